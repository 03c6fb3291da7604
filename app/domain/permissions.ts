import type { Role } from "./roles";

/**
 * Who may do what, in one table. Loaders and actions enforce it through requireUser; the UI reads
 * it to hide what would be refused. Administrators never see clinical detail.
 */
export const PERMISSIONS = {
  "worklist:view": ["PHYSICIAN"],
  "patients:view": ["PHYSICIAN", "NURSE"],
  "pathway:write": ["PHYSICIAN", "NURSE"],
  "flags:act": ["PHYSICIAN"],
  "referrals:create": ["PHYSICIAN"],
  "referrals:update": ["PHYSICIAN", "NURSE"],
  "needs-data:view": ["PHYSICIAN", "NURSE"],
  "caseload:view": ["PHYSICIAN"],
  "reports:view": ["ADMIN"],
  "users:manage": ["ADMIN"],
  "audit:view": ["ADMIN"],
  "rules:manage": ["ADMIN"],
  /** The FHIR import's review list of unknown codes: codes only, no patient data. */
  "imports:review": ["NURSE", "ADMIN"],
  /** Running a FHIR import and reading its reports (MRNs and counts, no clinical detail). */
  "imports:run": ["ADMIN"],
  /** Which EHRs may call the CDS Hooks service. */
  "cds-issuers:manage": ["ADMIN"],
  /** One's own account: changing one's password. */
  "account:manage": ["PHYSICIAN", "NURSE", "ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
