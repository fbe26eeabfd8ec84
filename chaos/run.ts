import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamoDBLocal } from "../src/cli/dev/dynamodb-local";
import { ensureCheckpointTable } from "../src/poller/checkpoint/table-setup";
import { LOCAL_CREDENTIALS } from "../test/poller/fakes/local-tables";
import { runFakeStreamScenario } from "./fake-stream-scenario";
import { formatTable } from "./lib/report";
import { CHECKPOINT_TABLE } from "./lib/stage";
import { type ChaosSize, SCENARIOS, type ScenarioResult, SIZES } from "./scenarios";

export interface ChaosReport {
  readonly size: "full" | "ci";
  readonly at: string;
  readonly results: readonly ScenarioResult[];
  readonly pass: boolean;
}

/** Runs every scenario on one DynamoDB Local; writes the report as JSON to `output`. */
export async function runChaos(sizeName: "full" | "ci", output: string): Promise<ChaosReport> {
  const size: ChaosSize = SIZES[sizeName];
  const local = await startDynamoDBLocal();
  const db = new DynamoDBClient({
    endpoint: local.endpoint,
    region: "ddblocal",
    credentials: LOCAL_CREDENTIALS,
  });
  const results: ScenarioResult[] = [];
  // CHAOS_ONLY=1,4b runs some scenarios (6 is the fake-stream one).
  const only = process.env.CHAOS_ONLY?.split(",");
  try {
    // Created once up front, as the component does: pollers never wait for a table being created.
    await ensureCheckpointTable(db, CHECKPOINT_TABLE, true);
    for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.id))) {
      const result = await scenario.run({ local, db, size });
      results.push(result);
      console.log(formatTable([result]).split("\n").slice(-1)[0]);
    }
    if (!only || only.includes("6")) results.push(await runFakeStreamScenario(sizeName));
  } finally {
    db.destroy();
    await local.stop();
  }
  // A partial run (CHAOS_ONLY) replaces its scenarios in the existing report and keeps the others.
  const kept = only
    ? previousResults(output).filter((r) => !only.includes(r.scenario.split(" ")[0] ?? ""))
    : [];
  const merged = [...kept, ...results].sort((a, b) => a.scenario.localeCompare(b.scenario));
  const report: ChaosReport = {
    size: sizeName,
    at: new Date().toISOString(),
    results: merged,
    pass: merged.every((r) => r.pass),
  };
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

function previousResults(output: string): ScenarioResult[] {
  if (!existsSync(output)) return [];
  return [...(JSON.parse(readFileSync(output, "utf8")) as ChaosReport).results];
}

if (require.main === module) {
  const ci = process.argv.includes("--ci");
  const output = path.resolve(__dirname, "..", "bench/results", ci ? "chaos-ci.json" : "chaos.json");
  runChaos(ci ? "ci" : "full", output).then(
    (report) => {
      console.log(`\n${formatTable(report.results)}\n\nwritten to ${path.relative(process.cwd(), output)}`);
      process.exit(report.pass ? 0 : 1);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
