import { getDb } from "~/server/db.server";

export function findUserForSignIn(email: string) {
  return getDb().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, role: true, active: true, passwordHash: true, mustChangePassword: true },
  });
}
