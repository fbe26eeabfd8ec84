import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../bench/lib/dist";
import { imageNodeMajor } from "../../bench/lib/image-node";
import type { BenchResults } from "../../bench/lib/results";
import { RESULTS_DIR } from "../../bench/run";

const FIGURE = ["median", "values", "unit"];

/** Every field the README and the published results rely on, as paths; `[]` means every element of an array. */
const REQUIRED: Record<string, readonly string[]> = {
  "": [
    "schema",
    "mode",
    "date",
    "durationSeconds",
    "machine",
    "build",
    "method",
    "scenarios",
    "goals",
    "complete",
    "problems",
  ],
  machine: ["cores", "cpuModel", "memoryGiB", "node", "platform", "loadAverage"],
  method: [
    "config",
    "imageNodeMajor",
    "pollerNodeFlags",
    "pollerImageEnv",
    "warmUpEvents",
    "idealClientWarmUpRequests",
    "steal",
    "goals",
  ],
  "method.config.drain": ["items", "repetitions", "sinkLimitItems", "sinkLimitMinSeconds", "batchSize"],
  "method.steal": ["windowMs", "stealFreeMaxShare", "minStealFreeSeconds", "maxJudgedStealPercent"],
  "scenarios.drain": [
    "items",
    "itemBytes",
    "repetitions",
    "preloadSeconds",
    "batchSize",
    "rawRead",
    "rawReadMachineCpuBusyPercent",
    "rawReadMachineCpuPerRecordUs",
    "rawReadStealPercent",
    "rawReadStealFree",
    "rawReadClientCpuPerRecordUs",
    "rawReadStockSdk",
    "rawReadStockSdkClientCpuPerRecordUs",
    "rows",
    "invalidEvents",
  ],
  "scenarios.drain.rawRead": FIGURE,
  "scenarios.drain.rawReadMachineCpuPerRecordUs": FIGURE,
  "scenarios.drain.rawReadStealPercent": FIGURE,
  "scenarios.drain.rawReadClientCpuPerRecordUs": FIGURE,
  "scenarios.drain.rawReadStockSdk": FIGURE,
  "scenarios.drain.rawReadStockSdkClientCpuPerRecordUs": FIGURE,
  "scenarios.drain.rows[]": [
    "contentMode",
    "poller",
    "pollerWarm",
    "warmEfficiency",
    "pollerEndToEnd",
    "sinkLimit",
    "pollerCpuPerEventUs",
    "sinkLimitClientCpuPerEventUs",
    "deliveryOnly",
    "deliveryOnlyCpuPerEventUs",
    "deliveryOnlyMachineCpuPerEventUs",
    "pollerMainThreadCpuPerEventUs",
    "deliveryOnlyMainThreadCpuPerEventUs",
    "pollerGcPausePerEventUs",
    "deliveryOnlyGcPausePerEventUs",
    "goalCpuBudget",
    "serialEstimate",
    "pollerSinkRequestMs",
    "machineCpuBusyPercent",
    "pollerStealPercent",
    "sinkLimitStealPercent",
    "pollerStealFree",
    "sinkLimitStealFree",
    "stealFreeEfficiency",
    "sinkLimitRequestMs",
    "limit",
    "limitedBy",
    "efficiency",
    "ofRawRead",
    "complete",
    "missing",
    "duplicates",
  ],
  "scenarios.drain.rows[].poller": FIGURE,
  "scenarios.drain.rows[].sinkLimit": FIGURE,
  "scenarios.drain.rows[].pollerCpuPerEventUs": FIGURE,
  "scenarios.drain.rows[].sinkLimitClientCpuPerEventUs": FIGURE,
  "scenarios.drain.rows[].deliveryOnly": FIGURE,
  "scenarios.drain.rows[].deliveryOnlyCpuPerEventUs": FIGURE,
  "scenarios.drain.rows[].deliveryOnlyMachineCpuPerEventUs": FIGURE,
  "scenarios.drain.rows[].pollerMainThreadCpuPerEventUs": FIGURE,
  "scenarios.drain.rows[].deliveryOnlyMainThreadCpuPerEventUs": FIGURE,
  "scenarios.drain.rows[].pollerGcPausePerEventUs": FIGURE,
  "scenarios.drain.rows[].deliveryOnlyGcPausePerEventUs": FIGURE,
  "scenarios.drain.rows[].pollerStealPercent": FIGURE,
  "scenarios.drain.rows[].sinkLimitStealPercent": FIGURE,
  "scenarios.latency.rows[]": [
    "pollIntervalMs",
    "writesPerSecond",
    "seconds",
    "events",
    "p50",
    "p90",
    "p99",
    "max",
    "idleGetRecordsPerShardPerSecond",
    "writerMaxLagMs",
    "sinkRequestMeanMs",
    "complete",
    "missing",
  ],
  "scenarios.latency.rows[].p99": FIGURE,
  "scenarios.latency.rows[].idleGetRecordsPerShardPerSecond": FIGURE,
  "scenarios.memory": [
    "backlog",
    "sinkDelayMs",
    "windowSeconds",
    "peakRssMb",
    "firstHalfRssMb",
    "steadyRssMb",
    "steadyStartRssMb",
    "steadyEndRssMb",
    "flatMarginMb",
    "flat",
    "heldRecordsMax",
    "heldRecordsBound",
    "bounded",
    "deliveredInWindow",
    "samples",
    "series",
    "heapUsedAtEndMb",
    "gcDropsInWindow",
  ],
  "scenarios.memory.peakRssMb": FIGURE,
  "scenarios.manyShards": [
    "shards",
    "parents",
    "recordsPerShard",
    "allShardsStartedSeconds",
    "allRecordsDeliveredSeconds",
    "describeStreamCalls",
    "describeStreamPerSecondAverage",
    "describeStreamPerSecondPeak",
    "stalledShards",
    "lineageOrderHeld",
    "complete",
  ],
  "scenarios.manyShards.describeStreamPerSecondPeak": FIGURE,
  "goals[]": ["scenario", "goal", "measured", "met"],
};

/** The values at `pathText` (several when it goes through `[]`). */
function valuesAt(root: unknown, pathText: string): unknown[] {
  let current: unknown[] = [root];
  for (const part of pathText.split(".").filter(Boolean)) {
    const name = part.replace("[]", "");
    current = current.map((v) => (v as Record<string, unknown>)[name]);
    if (part.endsWith("[]")) current = current.flatMap((v) => (Array.isArray(v) ? v : [undefined]));
  }
  return current;
}

describe("bench smoke (npm run bench -- --smoke) @integration", function () {
  // Room for the first run to fetch the image's Node.js from the npm registry (see bench/lib/image-node.ts).
  this.timeout(300_000);

  it("runs every scenario and writes bench/results/smoke.json with every field", async () => {
    // Exactly the README's command: it compiles the bench and runs it as JavaScript, children included.
    const file = path.join(RESULTS_DIR, "smoke.json");
    rmSync(file, { force: true });
    const run = spawnSync("npm", ["run", "bench", "--silent", "--", "--smoke"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 270_000,
    });
    expect(run.status, `npm run bench -- --smoke failed:\n${run.stdout}\n${run.stderr}`).to.equal(0);
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    const results = json as BenchResults;
    for (const [where, fields] of Object.entries(REQUIRED)) {
      const objects = valuesAt(json, where);
      expect(objects, where || "root").to.not.be.empty;
      for (const object of objects) {
        expect(object, where || "root").to.be.an("object");
        for (const field of fields) expect(object, `${where}.${field}`).to.have.property(field);
      }
    }
    for (const figureMedian of valuesAt(json, "scenarios.drain.rows[].poller.median")) {
      expect(figureMedian, "a measured rate").to.be.a("number");
    }
    expect(results.mode).to.equal("smoke");
    // What ships: the bench moves itself onto the image's Node.js when this one is another.
    expect(results.machine.node, "the Node.js the bench ran on").to.match(
      new RegExp(`^v${imageNodeMajor()}\\.`),
    );
    expect(results.scenarios.drain.rows.map((r) => r.contentMode)).to.deep.equal([
      "binary",
      "structured",
      "batch",
    ]);
    // The CPU budget is worked out for the rows with a ratio goal, and only for them.
    const budgets = results.scenarios.drain.rows.map((r) => r.goalCpuBudget);
    expect(budgets[1]).to.equal(null);
    for (const budget of [budgets[0], budgets[2]]) {
      expect(budget?.cores, "cores a goal needs").to.be.a("number").and.satisfy(Number.isFinite);
      expect(budget?.machineCores).to.be.above(0);
    }
    // Not speed: correctness. A bench that loses events must never pass quietly.
    expect(results.problems, results.problems.join("\n")).to.deep.equal([]);
  });
});
