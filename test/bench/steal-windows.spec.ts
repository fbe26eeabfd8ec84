import { expect } from "chai";
import { judgeWindows, type Sample } from "../../bench/lib/steal-windows";

/** Samples one second apart on a 2-core machine (200 jiffies a second): `steals[i]` jiffies stolen in window i. */
function samples(steals: readonly number[], eventsPerWindow: readonly number[]): Sample[] {
  const out: Sample[] = [{ at: 0, events: 0, jiffies: { busy: 0, total: 0, steal: 0 } }];
  for (const [i, stolen] of steals.entries()) {
    const prev = out[i] as Sample;
    out.push({
      at: prev.at + 1000,
      events: prev.events + (eventsPerWindow[i] ?? 0),
      // Stolen time is time the machine did not get: it comes out of busy + idle.
      jiffies: {
        busy: prev.jiffies.busy + 150 - stolen,
        total: prev.jiffies.total + 200 - stolen,
        steal: prev.jiffies.steal + stolen,
      },
    });
  }
  return out;
}

describe("bench steal windows", () => {
  it("rates the drain over its windows with at most 1% steal", () => {
    const report = judgeWindows(samples([0, 2, 80, 1], [4000, 3900, 1500, 3800]), 0, 4000);
    // Window 3 (40% stolen) is left out: 11,700 events in 3 s.
    expect(report.stealFreeSeconds).to.equal(3);
    expect(report.stealFreeRate).to.equal(3900);
  });

  it("counts only whole windows between the first event and the last", () => {
    // The first event arrives after the first sample and the last before the final one: windows 2 and 3 remain.
    const report = judgeWindows(samples([0, 0, 0, 0], [100, 4000, 4000, 100]), 500, 3500);
    expect(report.stealFreeSeconds).to.equal(2);
    expect(report.stealFreeRate).to.equal(4000);
  });

  it("gives no steal-free rate from less than 2 steal-free seconds", () => {
    const report = judgeWindows(samples([0, 50, 60], [4000, 2000, 2000]), 0, 3000);
    expect(report.stealFreeSeconds).to.equal(1);
    expect(report.stealFreeRate).to.be.NaN;
    expect(judgeWindows(samples([], []), 0, 0).stealFreeSeconds).to.equal(0);
  });
});
