export const ROLES = ["PHYSICIAN", "NURSE", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  PHYSICIAN: "Physician",
  NURSE: "Nurse",
  ADMIN: "Administrator",
};

/** Where each role lands after signing in. */
export const ROLE_HOME: Record<Role, string> = {
  PHYSICIAN: "/worklist",
  NURSE: "/patients",
  ADMIN: "/reports",
};
