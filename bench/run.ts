import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startDynamoDBLocal } from "../src/cli/dev/dynamodb-local";
import { createBacklog, growBacklog } from "./lib/backlog";
import type { BenchContext } from "./lib/context";
import { ensureDist, REPO_ROOT } from "./lib/dist";
import { evaluateGoals } from "./lib/goals";
import { imageNodeMajor, majorOf, nodeBinaryOfMajor } from "./lib/image-node";
import { describeMachine } from "./lib/machine";
import { toMarkdown } from "./lib/markdown";
import { describeMethod } from "./lib/method";
import { type BenchMode, MODES } from "./lib/modes";
import { ownDynamoDBLocals } from "./lib/own-dynamodb-local";
import { PollerUnderTest } from "./lib/poller";
import type { BenchResults } from "./lib/results";
import { localClient } from "./lib/table";
import { drainScenario } from "./scenarios/drain";
import { latencyScenario } from "./scenarios/latency";
import { manyShardsScenario } from "./scenarios/many-shards";
import { memoryScenario } from "./scenarios/memory";
import { slowSinkScenario } from "./scenarios/slow-sink";

export const RESULTS_DIR = path.join(REPO_ROOT, "bench/results");

export interface BenchOptions {
  readonly mode: BenchMode;
  /** Rebuild dist/ even when it looks up to date. */
  readonly build?: boolean;
  /** Write a CPU profile of the poller (first drain of each row) to bench/results/profiles. */
  readonly profile?: boolean;
  readonly log?: (line: string) => void;
}

export interface BenchOutcome {
  readonly results: BenchResults;
  readonly files: readonly string[];
}

/**
 * Runs every scenario against one DynamoDB Local and writes the results: bench/results/latest.json and
 * latest.md (full and quick), bench/results/smoke.json (smoke, so CI never overwrites the published figures).
 */
export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const config = MODES[options.mode];
  const log = options.log ?? ((line: string) => process.stdout.write(`[bench] ${line}\n`));
  const started = performance.now();
  const build = ensureDist(options.build === true, log);
  const problems: string[] = [];
  log(`mode ${config.mode}: starting DynamoDB Local`);
  const local = await startDynamoDBLocal();
  // Interrupted (Ctrl-C, a CI timeout): no poller or DynamoDB Local may outlive the bench.
  const onSignal = (signal: NodeJS.Signals) => {
    for (const poller of PollerUnderTest.live) poller.child.kill("SIGKILL");
    const emulators = [local, ...ownDynamoDBLocals].map((emulator) => emulator.stop());
    void Promise.allSettled(emulators).finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const db = localClient(local.endpoint);
  const cpuProfileDir = options.profile ? path.join(RESULTS_DIR, "profiles") : undefined;
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const ctx: BenchContext = {
    endpoint: local.endpoint,
    db,
    config,
    runId: `bench${Date.now().toString(36)}`,
    cpuProfileDir,
    log,
    problem(line) {
      problems.push(line);
      process.stderr.write(`\n[bench] !!! PROBLEM: ${line}\n\n`);
    },
  };
  try {
    // Latency first, each run on a DynamoDB Local of its own (see latency.ts).
    const latency = await latencyScenario(ctx);
    // One backlog table for drain and memory: preloading runs at ~2.6k items/s, the slowest step of the bench.
    const { table: backlog, preloadSeconds } = await createBacklog(ctx, config.drain.items);
    const drain = await drainScenario(ctx, backlog, preloadSeconds);
    const manyShards = await manyShardsScenario(ctx);
    const slowSink = await slowSinkScenario(ctx, backlog);
    await growBacklog(ctx, backlog, config.memory.backlog);
    const memory = await memoryScenario(ctx, backlog);
    const scenarios = { drain, latency, memory, manyShards, slowSink };
    const machine = describeMachine();
    const results: BenchResults = {
      schema: 1,
      mode: config.mode,
      date: new Date().toISOString(),
      durationSeconds: Math.round((performance.now() - started) / 1000),
      machine,
      build,
      method: describeMethod(config),
      scenarios,
      goals: evaluateGoals(scenarios, machine.cores),
      complete: problems.length === 0,
      problems,
    };
    return { results, files: writeResults(results) };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    db.destroy();
    await local.stop();
  }
}

function writeResults(results: BenchResults): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (results.mode === "smoke") {
    const file = path.join(RESULTS_DIR, "smoke.json");
    writeFileSync(file, json);
    return [file];
  }
  const files = [path.join(RESULTS_DIR, "latest.json"), path.join(RESULTS_DIR, "latest.md")];
  writeFileSync(files[0] as string, json);
  writeFileSync(files[1] as string, toMarkdown(results));
  return files;
}

function parseArgs(argv: readonly string[]): BenchOptions & { readonly thisNode: boolean } {
  const known = new Set(["--quick", "--smoke", "--profile", "--build", "--this-node"]);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0) {
    throw new Error(`unknown argument(s) ${unknown.join(" ")}; use ${[...known].join(", ")}`);
  }
  const mode: BenchMode = argv.includes("--smoke") ? "smoke" : argv.includes("--quick") ? "quick" : "full";
  return {
    mode,
    profile: argv.includes("--profile"),
    build: argv.includes("--build"),
    thisNode: argv.includes("--this-node"),
  };
}

/**
 * The bench again, as it is, on `binary`: every process it starts (pollers, the ideal client, the delivery side
 * alone) runs on the bench's own binary, so the whole bench moves. Signals go on to it, and its exit code is ours.
 */
function rerunOn(binary: string, major: number, argv: readonly string[]): void {
  process.stdout.write(`[bench] the image runs Node.js ${major}: running the bench on ${binary}\n`);
  const child = spawn(binary, [...process.execArgv, __filename, ...argv], { stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.once("exit", (code) => {
    process.exitCode = code ?? 1;
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  });
}

function main(argv: readonly string[]): void {
  const options = parseArgs(argv);
  // Measure what ships: the image's Node.js, unless asked for this one (the results record which it was).
  const major = imageNodeMajor();
  if (!options.thisNode && majorOf(process.version) !== major) {
    rerunOn(nodeBinaryOfMajor(major), major, argv);
    return;
  }
  runBench(options).then(
    ({ results, files }) => {
      process.stdout.write(
        `\n${toMarkdown(results)}\nwritten: ${files.map((f) => path.relative(REPO_ROOT, f)).join(", ")}\n`,
      );
      if (!results.complete) {
        process.stderr.write(
          `\n[bench] ${results.problems.length} PROBLEM(S): see "problems" in the results\n`,
        );
        process.exitCode = 1;
      }
    },
    (err: unknown) => {
      process.stderr.write(
        `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main(process.argv.slice(2));
