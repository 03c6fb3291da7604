import { describe, expect, it } from "vitest";
import { patientIdRanges } from "~/models/evaluation.server";

describe("patientIdRanges", () => {
  it.each([1, 2, 3, 4, 7])(
    "cuts the UUID space into %i adjoining ranges from the lowest id to the highest",
    (parts) => {
      const ranges = patientIdRanges(parts);
      expect(ranges).toHaveLength(parts);
      expect(ranges[0]?.above).toBe("00000000-0000-0000-0000-000000000000");
      expect(ranges.at(-1)?.atMost).toBe("ffffffff-ffff-ffff-ffff-ffffffffffff");
      for (let index = 1; index < parts; index++) {
        expect(ranges[index]?.above).toBe(ranges[index - 1]?.atMost);
        expect(ranges[index]!.above > ranges[index - 1]!.above).toBe(true);
      }
    },
  );

  it("splits evenly: two workers meet at 8000…", () => {
    expect(patientIdRanges(2)[1]?.above).toBe("80000000-0000-0000-0000-000000000000");
  });
});
