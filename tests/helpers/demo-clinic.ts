import path from "node:path";
import { runImport } from "~/models/fhir-import.server";
import { getDb } from "~/server/db.server";
import { seedDemoData } from "../../tools/demo/demo-data";
import { makeContext } from "./fixtures";

export type DemoRole = "physician" | "nurse" | "admin";

/**
 * The demo clinic as the browser walks see it: the demo data, plus an import whose codes PainPath
 * cannot all map, so the review list has rows. Returns the demo users' ids by role.
 */
export async function seedDemoClinicWithImport(): Promise<Record<DemoRole, string>> {
  const db = getDb();
  await seedDemoData(db);
  const idOf = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const users = {
    physician: await idOf("physician@painpath.test"),
    nurse: await idOf("nurse@painpath.test"),
    admin: await idOf("admin@painpath.test"),
  };
  await runImport({
    path: path.join(__dirname, "../fixtures/fhir/us-core-bundle.json"),
    sourceLabel: "us-core-bundle.json",
    sourceSystem: "test-ehr",
    dryRun: false,
    actor: { id: users.admin, role: "ADMIN" },
    physicianId: users.physician,
    context: makeContext(),
  });
  return users;
}
