/// <reference types="vite/client" />
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import type { IsoDate } from "~/domain/iso-date";
import { reevaluatePatients } from "~/models/evaluation.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/domain/roles";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { callRoute, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

type Caller = "anonymous" | "deactivated" | Role;
/**
 * allow: the handler ran; sign-in: redirected to sign in; deny: 403; 404: not found; 400: the form was refused;
 * bearer: 401, a CDS Hooks endpoint that answers only a signed JWT and never a session cookie.
 */
type Outcome = "allow" | "sign-in" | "deny" | "404" | "400" | "bearer";
type Row = {
  path: string;
  method: "GET" | "POST";
  expected: Record<Caller, Outcome>;
};

const signedInOnly = {
  anonymous: "sign-in",
  deactivated: "sign-in",
  PHYSICIAN: "allow",
  NURSE: "allow",
  ADMIN: "allow",
} as const;
const everyone = {
  anonymous: "allow",
  deactivated: "allow",
  PHYSICIAN: "allow",
  NURSE: "allow",
  ADMIN: "allow",
} as const;
const only = (...roles: Role[]): Record<Caller, Outcome> => ({
  anonymous: "sign-in",
  deactivated: "sign-in",
  PHYSICIAN: roles.includes("PHYSICIAN") ? "allow" : "deny",
  NURSE: roles.includes("NURSE") ? "allow" : "deny",
  ADMIN: roles.includes("ADMIN") ? "allow" : "deny",
});

const clinicians = only("PHYSICIAN", "NURSE");
/** A form's action: the callers the guard lets through get the form's own 400 reply to the empty form posted. */
const emptyFormRefused = (expected: Record<Caller, Outcome>): Record<Caller, Outcome> =>
  Object.fromEntries(
    Object.entries(expected).map(([caller, outcome]) => [caller, outcome === "allow" ? "400" : outcome]),
  ) as Record<Caller, Outcome>;
const bearerOnly = {
  anonymous: "bearer",
  deactivated: "bearer",
  PHYSICIAN: "bearer",
  NURSE: "bearer",
  ADMIN: "bearer",
} as const;
/** No pending sign-in in these requests: every caller is sent back to the password step. */
const pendingSignInOnly = {
  anonymous: "sign-in",
  deactivated: "sign-in",
  PHYSICIAN: "sign-in",
  NURSE: "sign-in",
  ADMIN: "sign-in",
} as const;
const nowhere = { anonymous: "404", deactivated: "404", PHYSICIAN: "404", NURSE: "404", ADMIN: "404" } as const;

/**
 * Every loader and action of every route, and who may call it. A route file without a row here
 * fails the suite, so a new route cannot ship without a decision on who may use it.
 */
const MATRIX: Record<string, { loader?: Row; action?: Row }> = {
  "_index.tsx": {
    loader: { path: "/", method: "GET", expected: signedInOnly },
  },
  "$.tsx": { loader: { path: "/nowhere", method: "GET", expected: nowhere } },
  "healthz.ts": {
    loader: { path: "/healthz", method: "GET", expected: everyone },
  },
  "sign-in.tsx": {
    loader: { path: "/sign-in", method: "GET", expected: everyone },
    action: { path: "/sign-in", method: "POST", expected: emptyFormRefused(everyone) },
  },
  "sign-out.tsx": {
    loader: { path: "/sign-out", method: "GET", expected: everyone },
    // Signing out always ends on the sign-in page, whoever asks.
    action: {
      path: "/sign-out",
      method: "POST",
      expected: {
        anonymous: "sign-in",
        deactivated: "sign-in",
        PHYSICIAN: "sign-in",
        NURSE: "sign-in",
        ADMIN: "sign-in",
      },
    },
  },
  "worklist.tsx": {
    loader: { path: "/worklist", method: "GET", expected: only("PHYSICIAN") },
  },
  "patients._index.tsx": { loader: { path: "/patients", method: "GET", expected: clinicians } },
  "reports.tsx": { loader: { path: "/reports", method: "GET", expected: only("ADMIN") } },
  "reports_.export.ts": {
    loader: { path: "/reports/export?table=status", method: "GET", expected: only("ADMIN") },
  },
  "admin.users._index.tsx": { loader: { path: "/admin/users", method: "GET", expected: only("ADMIN") } },
  "admin.sign-ins.tsx": {
    loader: { path: "/admin/sign-ins", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/sign-ins", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "admin.imports._index.tsx": { loader: { path: "/admin/imports", method: "GET", expected: only("ADMIN") } },
  "admin.imports.$runId.tsx": { loader: { path: "/admin/imports/:runId", method: "GET", expected: only("ADMIN") } },
  // The upload's options are in the query string: an empty post is refused with 400.
  "admin.imports.upload.ts": {
    action: { path: "/admin/imports/upload", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "imports.review.tsx": {
    loader: { path: "/imports/review", method: "GET", expected: only("NURSE", "ADMIN") },
    action: { path: "/imports/review", method: "POST", expected: emptyFormRefused(only("NURSE", "ADMIN")) },
  },
  "admin.users.new.tsx": {
    loader: { path: "/admin/users/new", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/users/new", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "admin.users.$userId.tsx": {
    loader: { path: "/admin/users/:userId", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/users/:userId", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "admin.audit._index.tsx": { loader: { path: "/admin/audit", method: "GET", expected: only("ADMIN") } },
  "admin.audit.integrity.tsx": {
    loader: { path: "/admin/audit/integrity", method: "GET", expected: only("ADMIN") },
  },
  "admin.audit.export.ts": { loader: { path: "/admin/audit/export", method: "GET", expected: only("ADMIN") } },
  // Every signed-in user may change their own password.
  "account.password.tsx": {
    loader: { path: "/account/password", method: "GET", expected: signedInOnly },
    action: { path: "/account/password", method: "POST", expected: emptyFormRefused(signedInOnly) },
  },
  // Every signed-in user may see and end their own sessions; the form names which, scoped to them.
  // The idle-expiry warning asks anyone's time left (not activity); only a session can be kept alive.
  "session.ts": {
    loader: { path: "/session", method: "GET", expected: everyone },
    action: { path: "/session", method: "POST", expected: signedInOnly },
  },
  "account.sessions.tsx": {
    loader: { path: "/account/sessions", method: "GET", expected: signedInOnly },
    action: { path: "/account/sessions", method: "POST", expected: emptyFormRefused(signedInOnly) },
  },
  // Every signed-in user manages their own second factors, and re-verifies one for a step-up.
  "account.security.tsx": {
    loader: { path: "/account/security", method: "GET", expected: signedInOnly },
    action: { path: "/account/security", method: "POST", expected: emptyFormRefused(signedInOnly) },
  },
  "account.security_.totp.tsx": {
    loader: { path: "/account/security/totp", method: "GET", expected: signedInOnly },
    action: { path: "/account/security/totp", method: "POST", expected: emptyFormRefused(signedInOnly) },
  },
  "account.verify.tsx": {
    loader: { path: "/account/verify", method: "GET", expected: signedInOnly },
    action: { path: "/account/verify", method: "POST", expected: emptyFormRefused(signedInOnly) },
  },
  // The second step of a sign-in belongs to a pending sign-in, not a session: without one, back to the
  // password (a signed-in user is sent to their home page).
  "sign-in_.verify.tsx": {
    loader: { path: "/sign-in/verify", method: "GET", expected: signedInOnly },
    action: { path: "/sign-in/verify", method: "POST", expected: pendingSignInOnly },
  },
  "admin.security.tsx": {
    loader: { path: "/admin/security", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/security", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "admin.rules._index.tsx": { loader: { path: "/admin/rules", method: "GET", expected: only("ADMIN") } },
  "admin.rules.new.tsx": {
    loader: { path: "/admin/rules/new", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/rules/new", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "admin.rules.$versionId.tsx": {
    loader: { path: "/admin/rules/:versionId", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/rules/:versionId", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "patients.new.tsx": {
    loader: { path: "/patients/new", method: "GET", expected: clinicians },
    action: { path: "/patients/new", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "patients.$patientId._index.tsx": { loader: { path: "/patients/:patientId", method: "GET", expected: clinicians } },
  // A patient's whole record as FHIR: read by the same roles as the patient page.
  "fhir.Patient.$patientId.[$everything].ts": {
    loader: { path: "/fhir/Patient/:patientId/$everything", method: "GET", expected: clinicians },
  },
  // A patient of its own, evaluated, so the evidence exists for the callers let through.
  "patients.$patientId.diagnoses.$diagnosisId.evidence.tsx": {
    loader: {
      path: "/patients/:evaluatedPatientId/diagnoses/:evaluatedDiagnosisId/evidence",
      method: "GET",
      expected: clinicians,
    },
  },
  "patients.$patientId.assessments._index.tsx": {
    loader: { path: "/patients/:patientId/assessments", method: "GET", expected: clinicians },
  },
  "patients.$patientId.edit.tsx": {
    loader: { path: "/patients/:patientId/edit", method: "GET", expected: clinicians },
    action: { path: "/patients/:patientId/edit", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "patients.$patientId.assessments.new.tsx": {
    loader: { path: "/patients/:patientId/assessments/new", method: "GET", expected: clinicians },
    action: { path: "/patients/:patientId/assessments/new", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "patients.$patientId.therapies.new.tsx": {
    loader: { path: "/patients/:patientId/therapies/new", method: "GET", expected: clinicians },
    action: { path: "/patients/:patientId/therapies/new", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "patients.$patientId.therapies.$therapyId.stop.tsx": {
    loader: { path: "/patients/:patientId/therapies/:therapyId/stop", method: "GET", expected: clinicians },
    action: {
      path: "/patients/:patientId/therapies/:therapyId/stop",
      method: "POST",
      expected: emptyFormRefused(clinicians),
    },
  },
  "patients.$patientId.diagnoses.new.tsx": {
    loader: { path: "/patients/:patientId/diagnoses/new", method: "GET", expected: clinicians },
    action: { path: "/patients/:patientId/diagnoses/new", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "patients.$patientId.diagnoses.$diagnosisId.edit.tsx": {
    loader: { path: "/patients/:patientId/diagnoses/:diagnosisId/edit", method: "GET", expected: clinicians },
    action: {
      path: "/patients/:patientId/diagnoses/:diagnosisId/edit",
      method: "POST",
      expected: emptyFormRefused(clinicians),
    },
  },
  "patients.$patientId.imaging.new.tsx": {
    loader: { path: "/patients/:patientId/imaging/new", method: "GET", expected: clinicians },
    action: { path: "/patients/:patientId/imaging/new", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "patients.$patientId.procedures.new.tsx": {
    loader: { path: "/patients/:patientId/procedures/new", method: "GET", expected: clinicians },
    action: { path: "/patients/:patientId/procedures/new", method: "POST", expected: emptyFormRefused(clinicians) },
  },
  "my-patients.tsx": { loader: { path: "/my-patients", method: "GET", expected: only("PHYSICIAN") } },
  "needs-data.tsx": { loader: { path: "/needs-data", method: "GET", expected: clinicians } },
  "patients.$patientId.flags.$flagId.tsx": {
    loader: { path: "/patients/:patientId/flags/:flagId", method: "GET", expected: nowhere },
    action: {
      path: "/patients/:patientId/flags/:flagId",
      method: "POST",
      expected: emptyFormRefused(only("PHYSICIAN")),
    },
  },
  "patients.$patientId.referrals.new.tsx": {
    loader: { path: "/patients/:patientId/referrals/new", method: "GET", expected: only("PHYSICIAN") },
    action: {
      path: "/patients/:patientId/referrals/new",
      method: "POST",
      expected: emptyFormRefused(only("PHYSICIAN")),
    },
  },
  "patients.$patientId.referrals.$referralId._index.tsx": {
    loader: { path: "/patients/:patientId/referrals/:referralId", method: "GET", expected: clinicians },
    action: {
      path: "/patients/:patientId/referrals/:referralId",
      method: "POST",
      expected: emptyFormRefused(clinicians),
    },
  },
  "patients.$patientId.referrals.$referralId.summary.tsx": {
    loader: { path: "/patients/:patientId/referrals/:referralId/summary", method: "GET", expected: clinicians },
  },
  "admin.cds-issuers._index.tsx": {
    loader: { path: "/admin/cds-issuers", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/cds-issuers", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  "admin.cds-issuers.$issuerId.tsx": {
    loader: { path: "/admin/cds-issuers/:issuerId", method: "GET", expected: only("ADMIN") },
    action: { path: "/admin/cds-issuers/:issuerId", method: "POST", expected: emptyFormRefused(only("ADMIN")) },
  },
  // The CDS Hooks endpoints trust a signed JWT from a configured EHR only: no session opens them.
  "cds-services._index.ts": { loader: { path: "/cds-services", method: "GET", expected: bearerOnly } },
  "cds-services.$serviceId.ts": {
    action: { path: "/cds-services/painpath-patient-view", method: "POST", expected: bearerOnly },
  },
  "cds-services.$serviceId.feedback.ts": {
    action: { path: "/cds-services/painpath-patient-view/feedback", method: "POST", expected: bearerOnly },
  },
  "patients.$patientId.entered-in-error.tsx": {
    loader: { path: "/patients/:patientId/entered-in-error", method: "GET", expected: nowhere },
    action: { path: "/patients/:patientId/entered-in-error", method: "POST", expected: emptyFormRefused(clinicians) },
  },
};

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
};
const routeModules = import.meta.glob<RouteModule>("/app/routes/**/*.{ts,tsx}", { eager: true });
const routeFiles = Object.keys(routeModules).map((file) => file.replace("/app/routes/", ""));

function classify(result: unknown): Outcome {
  // A form refused by validation, whether thrown as a Response or returned as data() for the form.
  if (statusOf(result) === 400) return "400";
  if (!(result instanceof Response)) return "allow";
  if (result.status === 403) return "deny";
  if (result.status === 401) return "bearer";
  if (result.status === 404) return "404";
  if (result.status === 400) return "400";
  const location = result.headers.get("Location") ?? "";
  if (result.status === 302 && /^\/sign-in(\?|$)/.test(location)) return "sign-in";
  return "allow";
}

const userIds = {} as Record<Exclude<Caller, "anonymous">, string>;
const routeParams: Record<string, string> = {};

beforeAll(async () => {
  for (const role of ["PHYSICIAN", "NURSE", "ADMIN"] as const) {
    userIds[role] = (await createUser(role)).id;
  }
  userIds.deactivated = (await createUser("NURSE", { active: false })).id;
  const { patient, diagnosis, therapy } = await createPatient(userIds.PHYSICIAN);
  const db = getDb();
  const flag = await db.flag.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      physicianId: userIds.PHYSICIAN,
      status: "OPEN",
      urgent: false,
      summary: "test",
      waitingSince: new Date(),
      evaluationId: randomUUID(),
    },
  });
  const referral = await db.referral.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      procedure: "EPIDURAL_STEROID_INJECTION",
      receivingClinic: "Spine Centre",
      urgency: "ROUTINE",
      reason: "test",
      conservativeCareContinues: true,
      createdById: userIds.PHYSICIAN,
    },
  });
  const draft = await db.ruleSetVersion.create({
    data: {
      version: "matrix-draft",
      basedOn: DEFAULT_RULE_SET.version,
      ruleSet: { ...DEFAULT_RULE_SET, version: "matrix-draft" } as unknown as Prisma.InputJsonValue,
      reason: "authorization matrix",
      createdById: userIds.ADMIN,
    },
  });
  const issuer = await db.cdsIssuer.create({
    data: {
      label: "Matrix EHR",
      issuer: "https://ehr.matrix.test",
      jwksUrl: "https://ehr.matrix.test/jwks",
      createdById: userIds.ADMIN,
    },
  });
  const evaluated = await createPatient(userIds.PHYSICIAN);
  await reevaluatePatients(db, [evaluated.patient.id], {
    ruleSet: DEFAULT_RULE_SET,
    now: new Date(),
    today: new Date().toISOString().slice(0, 10) as IsoDate,
  });
  Object.assign(routeParams, {
    issuerId: issuer.id,
    evaluatedPatientId: evaluated.patient.id,
    evaluatedDiagnosisId: evaluated.diagnosis.id,
    versionId: draft.id,
    userId: (await createUser("NURSE")).id,
    patientId: patient.id,
    diagnosisId: diagnosis.id,
    therapyId: therapy.id,
    flagId: flag.id,
    referralId: referral.id,
    runId: (
      await db.importRun.create({
        data: {
          source: "matrix.json",
          sourceSystem: "ehr",
          dryRun: true,
          startedById: userIds.ADMIN,
          physicianId: userIds.PHYSICIAN,
        },
      })
    ).id,
  });
});

describe("authorization matrix", () => {
  it("has a row for every route file, and every loader and action it exports", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...routeFiles].sort());
    for (const file of routeFiles) {
      const module = routeModules[`/app/routes/${file}`] as RouteModule;
      expect(Boolean(MATRIX[file]?.loader), `${file} loader`).toBe(Boolean(module.loader));
      expect(Boolean(MATRIX[file]?.action), `${file} action`).toBe(Boolean(module.action));
    }
  });

  const cases = Object.entries(MATRIX).flatMap(([file, handlers]) =>
    (["loader", "action"] as const).flatMap((kind) => {
      const row = handlers[kind];
      if (!row) return [];
      return (Object.keys(row.expected) as Caller[]).map((caller) => ({
        file,
        kind,
        row,
        caller,
      }));
    }),
  );

  it.each(cases)("$file $kind as $caller", async ({ file, kind, row, caller }) => {
    const module = routeModules[`/app/routes/${file}`] as RouteModule;
    const handler = module[kind] as (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
    // ":evaluatedPatientId" fills the route's "patientId": a parameter named after the fixture it takes.
    const routeName = (name: string) => name.replace(/^evaluated(\w)/, (_match, first: string) => first.toLowerCase());
    const params = Object.fromEntries(
      [...row.path.matchAll(/:(\w+)/g)].map(([, name]) => [
        routeName(name as string),
        routeParams[name as string] as string,
      ]),
    );
    const result = await callRoute(handler, {
      params,
      path: row.path.replace(/:(\w+)/g, (_match, name: string) => routeParams[name] as string),
      method: row.method,
      // A fresh session per case: sign-out cases end theirs.
      cookie: caller === "anonymous" ? undefined : await sessionCookie(userIds[caller]),
      form: row.method === "POST" ? {} : undefined,
    });
    expect(classify(result)).toBe(row.expected[caller]);
  });

  it.each([
    ["patients.$patientId.diagnoses.$diagnosisId.edit.tsx", { diagnosisId: "not-an-id" }],
    ["patients.$patientId.therapies.$therapyId.stop.tsx", { therapyId: "not-an-id" }],
  ])("checks the role before a malformed id in %s", async (file, badParam) => {
    const module = routeModules[`/app/routes/${file}`] as RouteModule;
    const action = module.action as (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
    const outcome = async (caller: Caller) =>
      classify(
        await callRoute(action, {
          params: { patientId: routeParams.patientId as string, ...badParam },
          path: "/x",
          method: "POST",
          cookie: caller === "anonymous" ? undefined : await sessionCookie(userIds[caller]),
          form: {},
        }),
      );
    expect(await outcome("anonymous")).toBe("sign-in");
    expect(await outcome("ADMIN")).toBe("deny");
  });

  it("audits every refusal of a signed-in user", async () => {
    const denied = await auditEvents({ action: "access.denied" });
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((event) => event.userId && event.outcome === "denied")).toBe(true);
  });
});
