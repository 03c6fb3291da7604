import type { IsoDate } from "./iso-date";
import type { PathwayOverview } from "./pathway-overview";
import { pathwayStage, type StageInput } from "./pathway-stage";

type Flag = NonNullable<StageInput["flag"]> & { diagnosisId: string };
type Referral = StageInput["referrals"][number] & { diagnosisId: string };

/**
 * One pathway per diagnosis still in the record (entered-in-error ones drop out): the diagnosis,
 * its standing flag, its referrals and latest evaluation, and the stage those put it in.
 */
export function assemblePathways<F extends Flag, R extends Referral, E extends { diagnosisId: string }>(
  overview: Pick<PathwayOverview, "diagnoses" | "therapies">,
  state: { flags: readonly F[]; referrals: readonly R[]; evaluations: readonly E[] },
  patientStatus: StageInput["patientStatus"],
  today: IsoDate,
) {
  return overview.diagnoses
    .filter((diagnosis) => !diagnosis.enteredInError)
    .map((diagnosis) => {
      const flag = state.flags.find((candidate) => candidate.diagnosisId === diagnosis.id);
      const referrals = state.referrals.filter((referral) => referral.diagnosisId === diagnosis.id);
      const activeTherapyCount = overview.therapies.filter(
        (therapy) => therapy.diagnosisId === diagnosis.id && therapy.status === "ACTIVE" && !therapy.enteredInError,
      ).length;
      return {
        diagnosis,
        flag,
        referrals,
        evaluation: state.evaluations.find((evaluation) => evaluation.diagnosisId === diagnosis.id),
        stage: pathwayStage({
          patientStatus,
          redFlagRecordedOn: diagnosis.redFlags.length > 0 ? diagnosis.onsetDate : null,
          diagnosedOn: diagnosis.onsetDate,
          flag: flag ? { status: flag.status, waitingSince: flag.waitingSince } : null,
          referrals,
          activeTherapyCount,
          today,
        }),
      };
    });
}
