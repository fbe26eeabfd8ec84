import { expect } from "chai";
import {
  absoluteRateText,
  MAX_JUDGED_STEAL_PERCENT,
  ratioPercent,
  ratioVerdict,
  repetitionRatios,
  repetitionText,
} from "../../bench/lib/goals";

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

describe("bench absolute-rate goal", () => {
  it("says when the ideal client itself stayed under the rate (the machine, not the poller, was slow)", () => {
    expect(absoluteRateText(3378, 4059, 5000)).to.equal(
      "3378 events/s; the ideal client (prebuilt messages, same sink) did 4059, itself under 5000: the machine was too slow this hour",
    );
  });

  it("only names the ideal client's rate when it reached the goal", () => {
    expect(absoluteRateText(4800, 6435, 5000)).to.equal(
      "4800 events/s; the ideal client (prebuilt messages, same sink) did 6435",
    );
  });
});

describe("bench ratio percentages", () => {
  it("prints a whole percent when it falls on the same side of the goal as the ratio", () => {
    expect(ratioPercent(0.765, 0.8)).to.equal("77%");
    expect(ratioPercent(0.8, 0.8)).to.equal("80%");
    expect(ratioPercent(0.834, 0.8)).to.equal("83%");
    expect(ratioPercent(0.551, 0.9)).to.equal("55%");
  });

  it("keeps one decimal when rounding would turn a miss into the goal (0.799 is not 80%)", () => {
    expect(ratioPercent(0.799, 0.8)).to.equal("79.9%");
    expect(ratioPercent(0.895, 0.9)).to.equal("89.5%");
  });
});

describe("bench ratios per repetition", () => {
  it("pairs each repetition's poller with the limit measured next to it (the 17:24 full run of 2026-12-03)", () => {
    const ideal = [5110, 6091, 6360];
    const rawRead = [36337, 56915, 52306];
    const ratios = repetitionRatios([4036, 4756, 4297], (i) => Math.min(rawRead[i] ?? 0, ideal[i] ?? 0));
    // The goal's ratio of the medians is 4297 / 6091 = 70.5%: the two medians came from different repetitions.
    expect(repetitionText(ratios)).to.equal("; per repetition 79.0 / 78.1 / 67.6% (median 78.1%)");
  });

  it("takes the lower limit of each repetition, and says nothing for a single run", () => {
    const ratios = repetitionRatios([900, 1000], (i) => Math.min([1000, 2000][i] ?? 0, [1200, 1250][i] ?? 0));
    expect(ratios).to.deep.equal([0.9, 0.8]);
    expect(repetitionText([0.9])).to.equal("");
  });
});
