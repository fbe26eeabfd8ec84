import path from "node:path";
import { expect } from "chai";
import { formatTable } from "../../chaos/lib/report";
import { runChaos } from "../../chaos/run";

/**
 * The chaos suite in its reduced size (`npm run chaos` runs the full one): real poller processes (the built image
 * entrypoint), DynamoDB Local, a receiver that checks every item's versions. Every scenario must lose nothing and
 * reorder nothing, with duplicates only after crashes and within one checkpoint interval.
 */
describe("chaos suite, reduced for CI (poller processes, DynamoDB Local) @integration", function () {
  this.timeout(240_000);

  it("loses nothing and reorders nothing under crashes, rollouts, sink outages, failures and a slow sink", async () => {
    const output = path.resolve(__dirname, "../../bench/results/chaos-ci.json");
    const report = await runChaos("ci", output);
    console.log(formatTable(report.results));
    for (const result of report.results) {
      expect(result.lost, `${result.scenario}: lost`).to.equal(0);
      expect(result.reorderings, `${result.scenario}: reorderings`).to.equal(0);
      expect(result.duplicated, `${result.scenario}: duplicates`).to.be.at.most(result.duplicateBound);
      expect(result.written, `${result.scenario}: records written`).to.be.greaterThan(0);
      expect(result.pass, result.scenario).to.equal(true);
    }
    // The SIGTERM hand-over is the rolling-update promise: no duplicate at all, and in seconds.
    const rollout = report.results.find((r) => r.scenario.startsWith("4b"));
    expect(rollout?.duplicated).to.equal(0);
    expect(rollout?.recoveryMs ?? Number.POSITIVE_INFINITY).to.be.below(5_000);
  });
});
