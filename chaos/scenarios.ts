import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBLocal } from "../src/cli/dev/dynamodb-local";
import { GET_RECORDS_LIMIT } from "../src/poller/stream/shard-reader";
import type { Tally } from "./lib/ledger";
import { Stage, sleep } from "./lib/stage";

/** Sizes of one run: `full` for `npm run chaos`, `ci` for the reduced run inside `npm test`. */
export interface ChaosSize {
  readonly records: number;
  readonly writesPerSecond: number;
  readonly killEveryMs: number;
  readonly outageMs: number;
  readonly slowPhaseMs: number;
  readonly leaseDuration: string;
  readonly drainTimeoutMs: number;
  /** Replicas of scenario 4 (the three; CI starts two to save process start-up time). */
  readonly replicas: number;
}

export const SIZES: Record<"full" | "ci", ChaosSize> = {
  full: {
    records: 20_000,
    writesPerSecond: 1_000,
    killEveryMs: 3_000,
    outageMs: 30_000,
    slowPhaseMs: 30_000,
    leaseDuration: "PT10S",
    drainTimeoutMs: 180_000,
    replicas: 3,
  },
  ci: {
    records: 2_000,
    writesPerSecond: 500,
    killEveryMs: 1_000,
    outageMs: 3_000,
    slowPhaseMs: 3_000,
    leaseDuration: "PT3S",
    drainTimeoutMs: 40_000,
    replicas: 2,
  },
};

export interface ScenarioResult extends Tally {
  readonly scenario: string;
  readonly disruptions: number;
  /** Longest time from a disruption (kill, outage end) to the next first delivery. */
  readonly recoveryMs: number | null;
  /** Duplicates allowed: 0 unless a replica crashed (then one checkpoint interval of events + one batch per crash). */
  readonly duplicateBound: number;
  readonly maxRssMb?: number;
  readonly seconds: number;
  readonly pass: boolean;
  readonly note?: string;
}

export interface World {
  readonly local: DynamoDBLocal;
  readonly db: DynamoDBClient;
  readonly size: ChaosSize;
}

type Scenario = (world: World) => Promise<ScenarioResult>;

/** Checkpoint interval of the poller (POLLER_TUNING.checkpointIntervalMs): the replay window after a crash. */
const CHECKPOINT_INTERVAL_S = 1;
const RSS_LIMIT_MB = 300;
/** One in five requests fails: retry after 20 ms × attempt, so the run measures correctness, not backoff. */
const FAST_RETRIES = { DELIVERY_BACKOFF_DELAY: "20" };

async function run(
  world: World,
  name: string,
  env: Readonly<Record<string, string>>,
  body: (stage: Stage) => Promise<{
    disruptions: number;
    recoveries: (number | undefined)[];
    crashes: number;
    maxRssMb?: number;
    note?: string;
  }>,
): Promise<ScenarioResult> {
  const started = Date.now();
  const stage = await Stage.open(world.local, world.db, name.split(" ")[0] ?? name, {
    items: 200,
    leaseDuration: world.size.leaseDuration,
    env,
  });
  let outcome: Awaited<ReturnType<typeof body>>;
  let drained = false;
  const phase = (what: string) => {
    if (process.env.CHAOS_VERBOSE)
      console.error(`[${name}] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  };
  try {
    phase("stage open");
    outcome = await body(stage);
    phase("scenario done");
    drained = await stage.drain(world.size.drainTimeoutMs);
    phase("drained");
  } catch (err) {
    console.error(stage.fleet.logTail.slice(-30).join("\n"));
    throw err;
  } finally {
    await stage.close();
    phase("closed");
  }
  if (!drained) console.error(`${name}: not drained in time\n${stage.fleet.logTail.slice(-30).join("\n")}`);
  const tally = stage.ledger.tally(stage.writer.written);
  const recoveries = outcome.recoveries.filter((r): r is number => r !== undefined);
  const duplicateBound =
    outcome.crashes * (Math.ceil(stage.peakPerSecond() * CHECKPOINT_INTERVAL_S) + GET_RECORDS_LIMIT);
  const rssOk = outcome.maxRssMb === undefined || outcome.maxRssMb <= RSS_LIMIT_MB;
  return {
    scenario: name,
    ...tally,
    disruptions: outcome.disruptions,
    recoveryMs: recoveries.length > 0 ? Math.max(...recoveries) : null,
    duplicateBound,
    maxRssMb: outcome.maxRssMb,
    seconds: Math.round((Date.now() - started) / 1000),
    pass: tally.lost === 0 && tally.reorderings === 0 && tally.duplicated <= duplicateBound && rssOk,
    // "lost" counts versions not delivered when the drain timed out: a loss, or a sink too slow for the timeout.
    note: drained
      ? outcome.note
      : `${outcome.note ?? ""} (drain timed out after ${world.size.drainTimeoutMs / 1000} s)`.trim(),
  };
}

/** 1: the only poller is SIGKILLed every few seconds while records are written, and restarted each time. */
export const killLoop: Scenario = (world) =>
  run(world, "1 SIGKILL loop (1 replica)", {}, async (stage) => {
    await stage.fleet.start("p0");
    const writing = stage.writer.write(world.size.records, world.size.writesPerSecond);
    let done = false;
    void writing.finally(() => {
      done = true;
    });
    const recoveries: (number | undefined)[] = [];
    const kills: number[] = [];
    let crashesWithoutBacklog = 0;
    while (!done) {
      await sleep(world.size.killEveryMs);
      const backlog = stage.backlogged();
      await stage.fleet.kill("p0");
      // A kill with nothing left to deliver delays nothing: its "recovery" would be the wait for the next write.
      if (backlog) kills.push(Date.now());
      else crashesWithoutBacklog++;
      // Same pod, new container: same WORKER_ID, so it takes its own lease back at once.
      await stage.fleet.start("p0");
    }
    await writing;
    await stage.drain(world.size.drainTimeoutMs);
    for (const at of kills) recoveries.push(stage.recoveryMs(at));
    const crashes = kills.length + crashesWithoutBacklog;
    const each = recoveries.map((r) => (r === undefined ? "?" : (r / 1000).toFixed(1))).join(", ");
    return { disruptions: crashes, recoveries, crashes, note: `recoveries (s): ${each}` };
  });

/** 2: the sink answers 503 for a while, then recovers. */
export const sinkOutage: Scenario = (world) =>
  run(world, "2 sink 503 outage", {}, async (stage) => {
    await stage.fleet.start("p0");
    await stage.writer.write(world.size.records / 4, world.size.writesPerSecond);
    stage.receiver.respondWith(() => ({ status: 503 }));
    await stage.writer.write(world.size.records / 4, world.size.writesPerSecond);
    await sleep(
      Math.max(0, world.size.outageMs - (world.size.records / 4 / world.size.writesPerSecond) * 1000),
    );
    stage.receiver.respondWith(() => ({ status: 202 }));
    const back = Date.now();
    await stage.drain(world.size.drainTimeoutMs);
    return {
      disruptions: 1,
      recoveries: [stage.recoveryMs(back)],
      crashes: 0,
      note: `503 for ${world.size.outageMs / 1000} s`,
    };
  });

/** 3: the sink fails 20% of requests at random, half with 500, half with a connection reset. */
export const flakySink: Scenario = (world) =>
  flakySinkWith(world, "3 sink fails 20% (500/reset)", FAST_RETRIES);

/** Scenario 3 with per-key lanes and batches: different items overtake each other, one item's events never may. */
export const flakySinkLanes: Scenario = (world) =>
  flakySinkWith(world, "3L sink fails 20%, PARALLELISM=8 BATCH_SIZE=10", {
    ...FAST_RETRIES,
    PARALLELISM: "8",
    BATCH_SIZE: "10",
  });

const flakySinkWith = (world: World, name: string, env: Readonly<Record<string, string>>) =>
  run(world, name, env, async (stage) => {
    let failures = 0;
    stage.receiver.respondWith(() => {
      const roll = Math.random();
      if (roll >= 0.2) return { status: 202 };
      failures++;
      return roll < 0.1 ? { status: 500 } : { reset: true };
    });
    await stage.fleet.start("p0");
    await stage.writer.write(world.size.records / 2, world.size.writesPerSecond);
    await stage.drain(world.size.drainTimeoutMs);
    return { disruptions: failures, recoveries: [], crashes: 0, note: `${failures} failed requests` };
  });

async function startReplicas(stage: Stage, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => stage.fleet.start(`r${i}`)));
}

async function waitForOwner(stage: Stage, except?: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const owner = await stage.leaseOwner();
    if (owner && owner !== except) return owner;
    await sleep(100);
  }
  throw new Error("no replica took the shard's lease");
}

/** 4a: three replicas (CI: two); the one reading is SIGKILLed (another takes over after the lease duration), then restarted. */
export const replicaCrash: Scenario = (world) =>
  run(world, "4a replicas, SIGKILL owner", {}, async (stage) => {
    await startReplicas(stage, world.size.replicas);
    const writing = stage.writer.write(world.size.records / 4, world.size.writesPerSecond / 2);
    const owner = await waitForOwner(stage);
    await sleep(world.size.killEveryMs);
    await stage.fleet.kill(owner);
    const killedAt = Date.now();
    const next = await waitForOwner(stage, owner);
    await stage.fleet.start(owner);
    await writing;
    await stage.drain(world.size.drainTimeoutMs);
    return {
      disruptions: 1,
      recoveries: [stage.recoveryMs(killedAt)],
      crashes: 1,
      note: `${owner} killed, ${next} took over`,
    };
  });

/** 4b: three replicas (CI: two); the one reading gets SIGTERM (rolling update): handed over in seconds, no duplicate. */
export const replicaRollout: Scenario = (world) =>
  run(world, "4b replicas, SIGTERM owner", {}, async (stage) => {
    await startReplicas(stage, world.size.replicas);
    const writing = stage.writer.write(world.size.records / 4, world.size.writesPerSecond / 2);
    const owner = await waitForOwner(stage);
    await sleep(world.size.killEveryMs);
    const code = await stage.fleet.terminate(owner);
    const stoppedAt = Date.now();
    const next = await waitForOwner(stage, owner);
    await stage.fleet.start(`${owner}-new`);
    await writing;
    await stage.drain(world.size.drainTimeoutMs);
    return {
      disruptions: 1,
      recoveries: [stage.recoveryMs(stoppedAt)],
      crashes: 0,
      note: `${owner} exited ${code}, ${next} took over`,
    };
  });

/** 5: a slow sink (p50 200 ms): the poller must not buffer the backlog; memory stays bounded. */
export const slowSink: Scenario = (world) =>
  run(world, "5 slow sink p50 200 ms", {}, async (stage) => {
    // Log-normal around 200 ms: p50 200 ms, a long tail.
    stage.receiver.respondWith(() => ({
      status: 202,
      delayMs: Math.round(200 * Math.exp(0.5 * gaussian())),
    }));
    await stage.fleet.start("p0");
    await stage.writer.write(world.size.records / 2, world.size.writesPerSecond * 2);
    let maxRssMb = 0;
    const until = Date.now() + world.size.slowPhaseMs;
    while (Date.now() < until) {
      maxRssMb = Math.max(maxRssMb, stage.fleet.rssMb("p0") ?? 0);
      await sleep(250);
    }
    const slowDelivered = stage.ledger.distinct;
    stage.receiver.respondWith(() => ({ status: 202 }));
    await stage.drain(world.size.drainTimeoutMs);
    return {
      disruptions: 0,
      recoveries: [],
      crashes: 0,
      maxRssMb: Math.round(maxRssMb),
      note: `${slowDelivered} delivered during the slow phase with ${stage.writer.total} written`,
    };
  });

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** Every process scenario, by the id CHAOS_ONLY selects it with. */
export const SCENARIOS: readonly { readonly id: string; readonly run: Scenario }[] = [
  { id: "1", run: killLoop },
  { id: "2", run: sinkOutage },
  { id: "3", run: flakySink },
  { id: "3L", run: flakySinkLanes },
  { id: "4a", run: replicaCrash },
  { id: "4b", run: replicaRollout },
  { id: "5", run: slowSink },
];
