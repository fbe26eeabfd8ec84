import { expect } from "chai";
import { MAX_JUDGED_STEAL_PERCENT, ratioVerdict } from "../../bench/lib/goals";

describe("bench ratio goals under steal", () => {
  it("judges the ratio when both sides had little steal", () => {
    expect(ratioVerdict(0.77, 0.8, 3.2, 1.4)).to.equal(false);
    expect(ratioVerdict(0.83, 0.8, 3.2, 1.4)).to.equal(true);
    expect(ratioVerdict(0.8, 0.8, MAX_JUDGED_STEAL_PERCENT, MAX_JUDGED_STEAL_PERCENT)).to.equal(true);
  });

  it("does not judge a ratio against a stolen limit (a full run printed 105% met so)", () => {
    expect(ratioVerdict(1.05, 0.8, 0.8, 5.8)).to.equal(null);
  });

  it("does not judge a ratio from stolen drains either, whichever way it falls", () => {
    expect(ratioVerdict(0.7, 0.8, 10.4, 3.5)).to.equal(null);
    expect(ratioVerdict(1.24, 0.8, 11, 22.7)).to.equal(null);
  });
});
