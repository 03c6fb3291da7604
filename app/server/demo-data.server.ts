import type { Role } from "~/domain/roles";
import type { Db } from "./db.server";
import { getEnv } from "./env.server";
import { hashPassword } from "./password.server";

/** Demo accounts, printed at start and listed in the README. Refused in production. */
export const DEMO_USERS: ReadonlyArray<{
  role: Role;
  email: string;
  name: string;
  password: string;
}> = [
  {
    role: "PHYSICIAN",
    email: "physician@painpath.test",
    name: "Dr. Maya Okafor",
    password: "violet-harbour-lantern-58",
  },
  {
    role: "NURSE",
    email: "nurse@painpath.test",
    name: "Sam Lindqvist, RN",
    password: "copper-meadow-whistle-23",
  },
  {
    role: "ADMIN",
    email: "admin@painpath.test",
    name: "Jordan Reyes",
    password: "granite-orchard-beacon-91",
  },
];

/** Idempotent: creates what is missing and leaves existing rows as they are. */
export async function seedDemoData(db: Db) {
  if (getEnv().isProduction) throw new Error("Demo data is refused when NODE_ENV=production.");
  for (const user of DEMO_USERS) {
    const existing = await db.user.findUnique({
      where: { email: user.email },
      select: { id: true },
    });
    if (existing) continue;
    await db.user.create({
      data: {
        email: user.email,
        name: user.name,
        role: user.role,
        passwordHash: await hashPassword(user.password),
      },
    });
  }
  return DEMO_USERS;
}
