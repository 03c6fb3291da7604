import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "~/domain/roles";
import { getDb } from "~/server/db.server";
import { hashPassword } from "~/server/password.server";

export const TEST_PASSWORD = "lantern-quiet-orchard-river-42";

/** A request context like the HTTP server builds for each request. */
export function makeContext(clientAddress = "203.0.113.7"): AppLoadContext {
  return {
    requestId: randomUUID(),
    clientAddress,
    cspNonce: "test-nonce",
    state: {},
  };
}

let cachedHash: Promise<string> | undefined;

export async function createUser(role: Role, overrides: { active?: boolean; email?: string; name?: string } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return getDb().user.create({
    data: {
      email: overrides.email ?? `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@clinic.test`,
      name: overrides.name ?? `Test ${role.toLowerCase()}`,
      role,
      active: overrides.active ?? true,
      passwordHash: await cachedHash,
    },
  });
}

export function auditEvents(where: { action?: string; userId?: string } = {}) {
  return getDb().auditEvent.findMany({ where, orderBy: { id: "asc" } });
}
