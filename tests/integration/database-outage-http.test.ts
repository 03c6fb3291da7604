import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DATABASE_UNAVAILABLE_MESSAGE } from "~/models/database-unavailable.server";
import { getDb } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { createPatient, createUser } from "../helpers/fixtures";
import { getPage, postForm } from "../helpers/http";
import { whileDatabaseUnreachable } from "../helpers/outage";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let cookie: string;
let record: Awaited<ReturnType<typeof createPatient>>;

beforeAll(async () => {
  server = await startTestServer();
  const physician = await createUser("PHYSICIAN");
  cookie = await sessionCookie(physician.id);
  record = await createPatient(physician.id);
});
afterAll(async () => {
  await server.close();
});

const asHtml = (text: string) => text.replace(/'/g, "&#x27;");

describe("while the database is out of reach", () => {
  it("pages and form posts answer 503 with a plain message, logged as a warning, not an error", async () => {
    const errors = vi.spyOn(logger, "error");
    const therapies = await getDb().therapyTrial.count();
    const [page, post] = await whileDatabaseUnreachable(async () => [
      await getPage(server, `/patients/${record.patient.id}`, cookie),
      await postForm(
        server,
        `/patients/${record.patient.id}/therapies/new`,
        {
          diagnosisId: record.diagnosis.id,
          modality: "PHYSICAL_THERAPY",
          startDate: "2025-01-06",
          sessionsPlanned: "8",
        },
        { cookie },
      ),
    ]);
    expect(page?.status).toBe(503);
    expect(await page?.text()).toContain(asHtml(DATABASE_UNAVAILABLE_MESSAGE));
    expect(post?.status).toBe(503);
    expect(await post?.text()).toContain(asHtml(DATABASE_UNAVAILABLE_MESSAGE));
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();

    // Back again: the same page answers, and nothing was written meanwhile.
    expect((await getPage(server, `/patients/${record.patient.id}`, cookie)).status).toBe(200);
    expect(await getDb().therapyTrial.count()).toBe(therapies);
  });

  it("a client-side form post (single fetch) gets the message as the form's reply", async () => {
    const response = await whileDatabaseUnreachable(() =>
      postForm(
        server,
        `/patients/${record.patient.id}/therapies/new.data`,
        {
          diagnosisId: record.diagnosis.id,
          modality: "PHYSICAL_THERAPY",
          startDate: "2025-01-06",
          sessionsPlanned: "8",
        },
        { cookie },
      ),
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain(DATABASE_UNAVAILABLE_MESSAGE);
  });
});
