import pino from "pino";
import { Registry } from "prom-client";
import { MemoryCheckpointStore } from "../../src/poller/checkpoint/memory-store";
import { createMetrics } from "../../src/poller/ops/metrics";
import { POLLER_TUNING, Poller } from "../../src/poller/poller";
import type { StreamsApi } from "../../src/poller/stream/streams-api";
import { StartingPosition } from "../../src/shared/env-contract";
import { parseTableArn } from "../../src/shared/table-arn";
import { FakeStream, FakeStreamsApi, FakeTableApi } from "../../test/poller/fakes/fake-streams";
import type { BenchContext } from "../lib/context";
import { CountingDeliverer } from "../lib/counting-deliverer";
import { waitFor } from "../lib/poller";
import { figure, type ManyShardsResult } from "../lib/results";

const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/bench-many-shards";
const STREAM_ARN = `${TABLE_ARN}/stream/2026-01-01T00:00:00.000`;

interface ShardsRun {
  readonly startedAllSeconds: number;
  readonly deliveredAllSeconds: number;
  readonly describeCalls: number;
  readonly describeAverage: number;
  readonly describePeak: number;
  readonly stalled: number;
  readonly lineageOrderHeld: boolean;
}

/**
 * Many shards, in process against the fake stream of the unit tests (DynamoDB Local has one shard per stream):
 * `parents` closed shards each split into one open child, every shard holding records. The real Poller with its
 * default tuning (DescribeStream budget, 1 s poll interval); the deliverer settles at once, so this measures
 * discovery, lineage and scheduling, not HTTP.
 */
export async function manyShardsScenario(ctx: BenchContext): Promise<ManyShardsResult> {
  const { parents, recordsPerShard, repetitions } = ctx.config.manyShards;
  const runs: ShardsRun[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    const run = await manyShardsRun(ctx);
    ctx.log(
      `many shards ${rep + 1}/${repetitions}: all ${2 * parents} started in ${run.startedAllSeconds.toFixed(2)} s, DescribeStream peak ${run.describePeak}/s, ${run.stalled} stalled`,
    );
    runs.push(run);
  }
  const stalled = Math.max(...runs.map((r) => r.stalled));
  return {
    shards: 2 * parents,
    parents,
    recordsPerShard,
    allShardsStartedSeconds: figure(
      runs.map((r) => r.startedAllSeconds),
      "s",
      2,
    ),
    allRecordsDeliveredSeconds: figure(
      runs.map((r) => r.deliveredAllSeconds),
      "s",
      2,
    ),
    describeStreamCalls: figure(
      runs.map((r) => r.describeCalls),
      "calls",
    ),
    describeStreamPerSecondAverage: figure(
      runs.map((r) => r.describeAverage),
      "calls/s",
      2,
    ),
    describeStreamPerSecondPeak: figure(
      runs.map((r) => r.describePeak),
      "calls/s",
    ),
    stalledShards: stalled,
    lineageOrderHeld: runs.every((r) => r.lineageOrderHeld),
    complete: stalled === 0,
  };
}

async function manyShardsRun(ctx: BenchContext): Promise<ShardsRun> {
  const { parents, recordsPerShard } = ctx.config.manyShards;
  const shards = 2 * parents;
  const fake = new FakeStreamsApi({ recordCalls: false });
  const stream = fake.addStream(new FakeStream(STREAM_ARN));
  for (let i = 0; i < parents; i++) {
    stream.addShard(`parent-${i}`);
    stream.putMany(`parent-${i}`, recordsPerShard, `key-${i}`);
    stream.split(`parent-${i}`, `child-${i}`);
    stream.putMany(`child-${i}`, recordsPerShard, `key-${i}`);
  }
  const describeTimes: number[] = [];
  const api: StreamsApi = {
    describeStream: (input) => {
      describeTimes.push(performance.now());
      return fake.describeStream(input);
    },
    getShardIterator: (input) => fake.getShardIterator(input),
    getRecords: (input) => fake.getRecords(input),
  };
  const tableApi = new FakeTableApi();
  tableApi.setStream(STREAM_ARN);
  const table = parseTableArn(TABLE_ARN);
  if ("error" in table) throw new Error(table.error);
  const deliverer = new CountingDeliverer(shards);
  const poller = new Poller(
    {
      tableApi,
      streamsApi: api,
      store: new MemoryCheckpointStore(),
      deliverer,
      logger: pino({ level: "silent" }),
      metrics: createMetrics(new Registry()),
    },
    {
      ...POLLER_TUNING,
      table,
      region: "us-east-1",
      startingPosition: StartingPosition.TrimHorizon,
      pollIntervalMs: 1_000,
      progressTimeoutMs: 5 * 60_000,
    },
  );
  const started = performance.now();
  const running = poller.run();
  const total = shards * recordsPerShard;
  const outcome = await waitFor(() => deliverer.total >= total, undefined, 120_000);
  const deliveredAt = performance.now();
  await poller.stop();
  await running;
  if (outcome !== "done")
    ctx.problem(`many shards: ${deliverer.total} of ${total} records delivered in 120 s`);

  let stalled = 0;
  let lineageOrderHeld = true;
  for (let i = 0; i < parents; i++) {
    const parent = deliverer.shards.get(`parent-${i}`);
    const child = deliverer.shards.get(`child-${i}`);
    if (parent?.delivered !== recordsPerShard) stalled++;
    if (child?.delivered !== recordsPerShard) stalled++;
    if (parent && child && child.firstIndex <= parent.lastIndex) lineageOrderHeld = false;
  }
  if (stalled > 0) ctx.problem(`many shards: ${stalled} shards did not deliver all their records (stall)`);
  if (!lineageOrderHeld) ctx.problem("many shards: a child shard was read before its parent ended");
  const seconds = (deliveredAt - started) / 1000;
  return {
    startedAllSeconds: (deliverer.allStartedAt - started) / 1000,
    deliveredAllSeconds: seconds,
    describeCalls: describeTimes.length,
    describeAverage: describeTimes.length / Math.max(1, seconds),
    describePeak: peakPerSecond(describeTimes),
    stalled,
    lineageOrderHeld,
  };
}

/** The most timestamps within any 1 s sliding window (sorted input). */
function peakPerSecond(times: readonly number[]): number {
  let peak = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= 1000) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}
