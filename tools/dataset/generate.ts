/**
 * A synthetic but clinically plausible PainPath population, generated row by row: pure and
 * deterministic (no clock, no I/O), so the same options always give the same rows.
 *
 * The story the rows tell:
 * - The clinic's records go back HISTORY_YEARS; PainPath went live GO_LIVE_DAYS before `today`.
 *   Records dated before go-live are history imported from the previous system: version 1, no
 *   revisions, no audit rows. From go-live on, every write went through PainPath, so it has its
 *   audit row, and stops, discharges and entered-in-error corrections bump the version and keep a
 *   RecordRevision snapshot, exactly as the app's write paths do.
 * - Each patient is a visit-by-visit simulation: an outcome assessment at every visit; stepped
 *   conservative therapies started and stopped at visits (baseline on the start day); pain that
 *   falls with the trials that work. Archetypes set how often trials work (most patients improve,
 *   a minority fail several therapies), and a few patients are lost to follow-up mid-trial.
 * - Nothing is dated today or later: the last possible day is yesterday.
 *
 * Patient.lastAssessedOn and followUpAnchor are deliberately not generated: the loader computes
 * them with the app's own SQL (refreshAllPathwaySummaries) after loading.
 */
import type { Role } from "~/generated/prisma/enums";
import { DAY_MS, MINUTE_MS, clinicMoment, dayOf, stamp, weekday } from "./calendar";
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from "./catalog";
import { PatientSimulation, type AuditDraft, type PatientContext, type StaffMember } from "./patient";
import { Random, Weighted } from "./random";
import type { PatientStory } from "./story";
import type { DatasetOptions, DatasetRow, RevisionRow } from "./tables";

/** Every generated user signs in with this password (synthetic data only; the loader refuses production). */
export const DATASET_PASSWORD = "synthetic-cohort-lantern-2026";
/** hashPassword(DATASET_PASSWORD), computed once: Argon2 with its random salt would make every run differ. */
export const DATASET_PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$2mLueg+HTyi8D2kCeQnO+g$16lZmJumh+UK3fuNY5AwoNOPVI3VHObo2aHckYJ7gdE";
export const DATASET_EMAIL_DOMAIN = "bench.painpath.test";

export const HISTORY_YEARS = 6;
/** PainPath's go-live, in days before today: the audit trail and revisions start there. */
export const GO_LIVE_DAYS = 90;

/** Independent PRNG streams, so adding a user never reshuffles the patients. */
export const STREAM = { users: 1, patients: 2, audit: 3, mrn: 4, flagWork: 5, flagRaise: 6 } as const;

export const MAX_PATIENTS = 10_000_000;

/** All rows of the dataset: users, then each patient's record, then revisions and the audit trail. */
export function* generateDataset(options: DatasetOptions): Generator<DatasetRow> {
  const context = new DatasetContext(options);
  yield* context.generateUsers();
  for (let index = 0; index < options.patients; index++) {
    yield* new PatientSimulation(context, index, new Random(options.seed, STREAM.patients, index)).run();
  }
  yield* context.revisionRows();
  yield* context.auditRows();
}

/**
 * The rows of a preset of stories (tools/demo) for a clinic whose staff already exist. PainPath "went
 * live" today: every record is history entered before it, at version 1, without revisions or audit rows.
 */
export function* generateStories(
  { seed, today }: Pick<DatasetOptions, "seed" | "today">,
  staff: StaffMember[],
  stories: readonly PatientStory[],
): Generator<DatasetRow> {
  const context = new DatasetContext({ patients: Math.max(1, stories.length), seed, today }, 0);
  context.adoptStaff(staff);
  for (const [index, story] of stories.entries()) {
    yield* new PatientSimulation(context, index, new Random(seed, STREAM.patients, index), story).run();
  }
}

/** Roughly one physician per 500 patients, one nurse per 800, one administrator per 10,000. */
export function staffSize(patients: number) {
  return {
    physicians: Math.max(3, Math.round(patients / 500)),
    nurses: Math.max(3, Math.round(patients / 800)),
    admins: Math.max(1, Math.round(patients / 10_000)),
  };
}

interface PendingRevision {
  ms: number;
  row: Omit<RevisionRow, "id" | "changedAt">;
}

/** What the patients share: options, calendar, staff, and the trail that is sorted at the end. */
class DatasetContext implements PatientContext {
  readonly todayDay: number;
  readonly lastDay: number;
  readonly firstDay: number;
  readonly goLiveMs: number;
  readonly users: StaffMember[] = [];
  readonly physicians: StaffMember[] = [];
  readonly nurses: StaffMember[] = [];
  private physicianPanels: Weighted<number> | undefined;
  private readonly mrnOffset: number;
  private readonly audit: AuditDraft[] = [];
  private readonly revisions: PendingRevision[] = [];
  /** Per user and day: first and last clinical action, so sign-ins can precede them. */
  private readonly activity = new Map<number, { first: number; last: number }>();
  /** Per physician: recently seen patients, for the ids a list page's audit row names. */
  private readonly recentPatients = new Map<number, string[]>();

  constructor(
    readonly options: DatasetOptions,
    goLiveDays = GO_LIVE_DAYS,
  ) {
    if (!Number.isInteger(options.patients) || options.patients < 1 || options.patients > MAX_PATIENTS) {
      throw new RangeError(`patients must be a whole number from 1 to ${MAX_PATIENTS}, got ${options.patients}.`);
    }
    if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be a whole number, got ${options.seed}.`);
    this.todayDay = dayOf(options.today);
    this.lastDay = this.todayDay - 1;
    this.firstDay = this.todayDay - Math.round(HISTORY_YEARS * 365.25);
    this.goLiveMs = (this.todayDay - goLiveDays) * DAY_MS;
    this.mrnOffset = new Random(options.seed, STREAM.mrn).int(0, 99_999_999);
  }

  *generateUsers(): Generator<DatasetRow> {
    const random = new Random(this.options.seed, STREAM.users);
    const size = staffSize(this.options.patients);
    const roles: Role[] = [
      ...Array<Role>(size.physicians).fill("PHYSICIAN"),
      ...Array<Role>(size.nurses).fill("NURSE"),
      ...Array<Role>(size.admins).fill("ADMIN"),
    ];
    const panels: Array<[number, number]> = [];
    for (const [index, role] of roles.entries()) {
      const female = random.chance(role === "NURSE" ? 0.8 : 0.5);
      const given = random.pick(female ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
      const family = random.pick(FAMILY_NAMES);
      const user: StaffMember = {
        index,
        team: this.physicians.length,
        id: random.uuid(),
        role,
        // Physicians stay active: every patient needs an active assigned physician.
        active: role === "PHYSICIAN" || !random.chance(0.03),
        clientAddress: `10.20.${Math.floor(index / 250)}.${(index % 250) + 2}`,
      };
      this.users.push(user);
      if (role === "PHYSICIAN") {
        // Panel sizes vary about fourfold between physicians.
        panels.push([this.physicians.length, random.between(0.4, 1.6)]);
        this.physicians.push(user);
      } else if (role === "NURSE") this.nurses.push(user);
      const createdAt = stamp(clinicMoment(random, this.firstDay - random.int(1, 60)));
      const name =
        role === "PHYSICIAN"
          ? `Dr. ${given} ${family}`
          : role === "NURSE"
            ? `${given} ${family}, RN`
            : `${given} ${family}`;
      yield {
        table: "User",
        row: {
          id: user.id,
          email: `${slug(given)}.${slug(family)}.${role.charAt(0).toLowerCase()}${index + 1}@${DATASET_EMAIL_DOMAIN}`,
          name,
          role,
          active: user.active,
          passwordHash: DATASET_PASSWORD_HASH,
          mustChangePassword: false,
          version: 1,
          createdAt,
          updatedAt: createdAt,
        },
      };
    }
    this.physicianPanels = new Weighted(panels);
  }

  adoptStaff(staff: readonly StaffMember[]) {
    this.users.push(...staff);
    this.physicians.push(...staff.filter((member) => member.role === "PHYSICIAN"));
    this.nurses.push(...staff.filter((member) => member.role === "NURSE"));
    this.physicianPanels = new Weighted(this.physicians.map((_, index) => [index, 1] as const));
  }

  pickPhysician(random: Random): StaffMember {
    return this.physicians[(this.physicianPanels as Weighted<number>).pick(random)] as StaffMember;
  }

  /** Each physician works with one nurse team; a patient's visits are mostly with that team's nurse. */
  teamNurse(physician: StaffMember): StaffMember {
    return this.nurses[physician.team % this.nurses.length] as StaffMember;
  }

  mrn(index: number): string {
    // index × a multiplier coprime with 10^8, shifted: unique 8-digit MRNs that do not look sequential.
    return String((index * 7_368_787 + this.mrnOffset) % 100_000_000).padStart(8, "0");
  }

  isLive(ms: number): boolean {
    return ms >= this.goLiveMs;
  }

  /** An audit row, if PainPath was live at that moment. */
  record(event: AuditDraft) {
    if (!this.isLive(event.ms)) return;
    this.audit.push(event);
    if (event.user) {
      const key = event.user.index * 100_000 + Math.floor(event.ms / DAY_MS);
      const seen = this.activity.get(key);
      if (!seen) this.activity.set(key, { first: event.ms, last: event.ms });
      else {
        seen.first = Math.min(seen.first, event.ms);
        seen.last = Math.max(seen.last, event.ms);
      }
    }
  }

  revise(ms: number, row: Omit<RevisionRow, "id" | "changedAt">) {
    if (this.isLive(ms)) this.revisions.push({ ms, row });
  }

  rememberPatient(physician: StaffMember, patientId: string) {
    const recent = this.recentPatients.get(physician.index) ?? [];
    recent.push(patientId);
    if (recent.length > 50) recent.shift();
    this.recentPatients.set(physician.index, recent);
  }

  *revisionRows(): Generator<DatasetRow> {
    const sorted = this.revisions.map((revision, order) => ({ ...revision, order }));
    sorted.sort((a, b) => a.ms - b.ms || a.order - b.order);
    for (const [position, revision] of sorted.entries()) {
      yield { table: "RecordRevision", row: { id: position + 1, changedAt: stamp(revision.ms), ...revision.row } };
    }
  }

  /** The clinical trail plus sign-ins, sign-outs, expiries, failures and list views; ids in time order. */
  *auditRows(): Generator<DatasetRow> {
    this.addSessionEvents(new Random(this.options.seed, STREAM.audit));
    const events = this.audit.map((event, order) => ({ event, order }));
    events.sort((a, b) => a.event.ms - b.event.ms || a.order - b.order);
    const random = new Random(this.options.seed, STREAM.audit, 1);
    for (const [position, { event }] of events.entries()) {
      yield {
        table: "AuditEvent",
        row: {
          id: position + 1,
          at: stamp(event.ms),
          userId: event.user?.id ?? null,
          userRole: event.user?.role ?? null,
          action: event.action,
          outcome: event.outcome ?? "success",
          entityType: event.entityType ?? null,
          entityId: event.entityId ?? null,
          patientId: event.patientId ?? null,
          clientAddress: event.user?.clientAddress ?? `10.30.${random.int(0, 255)}.${random.int(2, 254)}`,
          requestId: random.uuid(),
          detail: event.detail === undefined ? null : JSON.stringify(event.detail),
        },
      };
    }
  }

  private addSessionEvents(random: Random) {
    const firstLiveDay = this.goLiveMs / DAY_MS;
    for (let day = firstLiveDay; day <= this.lastDay; day++) {
      if (weekday(day) === 0 || weekday(day) === 6) continue;
      for (const user of this.users) {
        if (!user.active) continue;
        const seen = this.activity.get(user.index * 100_000 + day);
        if (!seen && !random.chance(user.role === "ADMIN" ? 0.6 : 0.15)) continue;
        const first = seen?.first ?? clinicMoment(random, day);
        const last = seen?.last ?? first + random.int(20, 240) * MINUTE_MS;
        this.signIn(random, user, first - random.int(2, 30) * MINUTE_MS);
        if (user.role !== "ADMIN") {
          // Idle timeouts (15 minutes by default) end sessions during the day: sign in again.
          const resumes = random.int(0, 2);
          for (let i = 0; i < resumes; i++) {
            const at = first + Math.floor(random.next() * Math.max(1, last - first));
            this.audit.push({ ms: at, user, action: "auth.session_expired", detail: { reason: "idle-timeout" } });
            this.signIn(random, user, at + random.int(1, 20) * MINUTE_MS);
          }
          const lists = random.int(1, 3);
          for (let i = 0; i < lists; i++) {
            const physician = user.role === "PHYSICIAN" ? user : random.pick(this.physicians);
            const recent = this.recentPatients.get(physician.index) ?? [];
            this.audit.push({
              ms: first + Math.floor(random.next() * Math.max(1, last - first)),
              user,
              action: "patient.list",
              detail: { searched: random.chance(0.3), patientIds: recent.slice(-random.int(5, 25)) },
            });
          }
        }
        if (random.chance(0.45)) {
          this.audit.push({ ms: last + random.int(2, 40) * MINUTE_MS, user, action: "auth.sign_out" });
        }
      }
      // Mistyped or unknown e-mail addresses.
      for (let i = random.int(0, 3); i > 0; i--) {
        this.audit.push({
          ms: clinicMoment(random, day),
          user: null,
          action: "auth.sign_in_failed",
          outcome: "failure",
          detail: { reason: "unknown-account" },
        });
      }
    }
  }

  private signIn(random: Random, user: StaffMember, ms: number) {
    if (random.chance(0.04)) {
      this.audit.push({
        ms: ms - random.int(10, 90) * 1000,
        user,
        action: "auth.sign_in_failed",
        outcome: "failure",
        detail: { reason: "wrong-password" },
      });
    }
    this.audit.push({ ms, user, action: "auth.sign_in" });
  }
}

function slug(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, "");
}
