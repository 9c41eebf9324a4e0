import { describe, expect, it } from "vitest";

import { shortlist } from "../src/scoreCandidate";

describe("shortlist", () => {
  it("keeps candidates at or above the threshold, best first", () => {
    const got = shortlist([{ score: 50 }, { score: 90 }, { score: 70 }]);
    expect(got.map((c) => c.score)).toEqual([90, 70]);
  });
});
