import { describe, expect, it } from "vitest";
import { assemblePathways } from "~/domain/patient-pathways";
import { buildPathwayOverview } from "~/domain/pathway-overview";
import { ago, diagnosis, therapy, TODAY } from "../helpers/referral-snapshot";

const versioned = <T extends object>(row: T) => ({ ...row, version: 1 });

function overviewOf(diagnoses: Array<ReturnType<typeof diagnosis>>, therapies: Array<ReturnType<typeof therapy>>) {
  return buildPathwayOverview(
    {
      diagnoses: diagnoses.map(versioned),
      therapies: therapies.map((row) => versioned({ ...row, route: null })),
      assessments: [],
      procedures: [],
    } as unknown as Parameters<typeof buildPathwayOverview>[0],
    TODAY,
  );
}

const referral = (diagnosisId: string, status: "PENDING" | "COMPLETED", createdOn: string) => ({
  diagnosisId,
  status,
  createdOn,
  procedureDate: status === "COMPLETED" ? createdOn : null,
  conservativeCareContinues: false,
});

describe("assemblePathways", () => {
  const back = diagnosis({ id: "back" });
  const knee = diagnosis({ id: "knee", icd10Code: "M17.11", label: "Knee osteoarthritis" });
  const wrong = diagnosis({ id: "wrong", enteredInError: true });
  const overview = overviewOf(
    [back, knee, wrong],
    [
      therapy("NSAID", 120, null, { diagnosisId: "back" }),
      therapy("PHYSICAL_THERAPY", 90, 30, { diagnosisId: "back" }),
      therapy("NSAID", 60, null, { diagnosisId: "knee", enteredInError: true }),
    ],
  );

  it("gives each diagnosis in the record its own flag, referrals, evaluation and stage", () => {
    const pathways = assemblePathways(
      overview,
      {
        flags: [{ diagnosisId: "back", status: "OPEN" as const, waitingSince: ago(3) }],
        referrals: [referral("knee", "PENDING", ago(10)), referral("back", "COMPLETED", ago(200))],
        evaluations: [{ diagnosisId: "knee", summary: "knee evaluation" }],
      },
      "ACTIVE",
      TODAY,
    );
    expect(pathways.map(({ diagnosis }) => diagnosis.id)).toEqual(["back", "knee"]);
    const [backPathway, kneePathway] = pathways;
    expect(backPathway?.flag?.status).toBe("OPEN");
    expect(backPathway?.referrals.map((row) => row.status)).toEqual(["COMPLETED"]);
    expect(backPathway?.evaluation).toBeUndefined();
    expect(kneePathway?.flag).toBeUndefined();
    expect(kneePathway?.referrals.map((row) => row.status)).toEqual(["PENDING"]);
    expect(kneePathway?.evaluation?.summary).toBe("knee evaluation");
    expect(backPathway?.stage.stage).not.toBe(kneePathway?.stage.stage);
  });

  it("counts only active, valid therapies of the diagnosis towards combined care", () => {
    // A procedure 20 days ago with conservative care continuing: combined only while a therapy runs.
    const done = { ...referral("knee", "COMPLETED", ago(20)), conservativeCareContinues: true };
    const state = { flags: [], referrals: [done], evaluations: [] };
    const stageOf = (therapies: Array<ReturnType<typeof therapy>>) =>
      assemblePathways(overviewOf([knee], therapies), state, "ACTIVE", TODAY)[0]?.stage.stage;
    expect(stageOf([therapy("NSAID", 60, null, { diagnosisId: "knee" })])).toBe("COMBINED_CARE");
    expect(stageOf([therapy("NSAID", 60, null, { diagnosisId: "knee", enteredInError: true })])).toBe(
      "PROCEDURE_FOLLOW_UP",
    );
    expect(stageOf([therapy("NSAID", 60, null, { diagnosisId: "back" })])).toBe("PROCEDURE_FOLLOW_UP");
  });

  it("puts every pathway of a discharged patient in the discharged stage", () => {
    const pathways = assemblePathways(overview, { flags: [], referrals: [], evaluations: [] }, "DISCHARGED", TODAY);
    expect(new Set(pathways.map(({ stage }) => stage.stage))).toEqual(new Set(["DISCHARGED"]));
  });
});
