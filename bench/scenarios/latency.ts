import type { BenchContext } from "../lib/context";
import { sleep } from "../lib/context";
import { ItemTracker } from "../lib/item-tracker";
import { withOwnDynamoDBLocal } from "../lib/own-dynamodb-local";
import { PollerUnderTest, waitFor } from "../lib/poller";
import { scrape, sumSamples } from "../lib/prometheus";
import { figure, type LatencyResult, type LatencyRow } from "../lib/results";
import { BenchSink } from "../lib/sink";
import { percentile } from "../lib/stats";
import { createStreamTable } from "../lib/table";
import { writeSteadilyInThread } from "../lib/writer-thread";

interface LatencyRun {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly idleCallsPerShardPerSecond: number;
  readonly events: number;
  readonly missing: number;
  readonly writerMaxLagMs: number;
  readonly sinkMeanMs: number;
}

/**
 * Latency: steady writes into a fresh table while the poller runs; each item carries `writtenAt` (DynamoDB
 * Local rounds ApproximateCreationDateTime to the minute, so the item's own clock is used), the sink takes the
 * difference on arrival. Then, with no writes, the GetRecords rate per shard from /metrics: the idle cost.
 */
export async function latencyScenario(ctx: BenchContext): Promise<LatencyResult> {
  const { pollIntervalsMs, repetitions, writesPerSecond, seconds } = ctx.config.latency;
  const rows: LatencyRow[] = [];
  for (const intervalMs of pollIntervalsMs) {
    const runs: LatencyRun[] = [];
    for (let rep = 0; rep < repetitions; rep++) {
      // Every run on a fresh DynamoDB Local: the emulator keeps every stream record in memory and slows down as
      // they pile up. After a 100k-item drain it stopped answering steady PutItems; after four 6,000-item latency
      // runs the writer managed only 2,949 of 6,000 writes in time (full mode, 2026-12-01), which would measure
      // the emulator instead of the poller.
      const run = await withOwnDynamoDBLocal(ctx, (own) => latencyRun(own, intervalMs, rep));
      ctx.log(
        `latency ${intervalMs} ms ${rep + 1}/${repetitions}: p50 ${run.p50} p99 ${run.p99} max ${run.max} ms, idle ${run.idleCallsPerShardPerSecond.toFixed(2)} GetRecords/shard/s`,
      );
      runs.push(run);
    }
    const missing = Math.max(...runs.map((r) => r.missing));
    rows.push({
      pollIntervalMs: intervalMs,
      writesPerSecond,
      seconds,
      events: runs.reduce((sum, r) => sum + r.events, 0),
      p50: figure(
        runs.map((r) => r.p50),
        "ms",
      ),
      p90: figure(
        runs.map((r) => r.p90),
        "ms",
      ),
      p99: figure(
        runs.map((r) => r.p99),
        "ms",
      ),
      max: figure(
        runs.map((r) => r.max),
        "ms",
      ),
      idleGetRecordsPerShardPerSecond: figure(
        runs.map((r) => r.idleCallsPerShardPerSecond),
        "calls/shard/s",
        2,
      ),
      writerMaxLagMs: Math.round(Math.max(...runs.map((r) => r.writerMaxLagMs))),
      sinkRequestMeanMs: figure(
        runs.map((r) => r.sinkMeanMs),
        "ms",
        2,
      ),
      complete: missing === 0,
      missing,
    });
  }
  return { rows };
}

async function latencyRun(ctx: BenchContext, intervalMs: number, rep: number): Promise<LatencyRun> {
  const { writesPerSecond, seconds, idleSeconds } = ctx.config.latency;
  const total = Math.round(writesPerSecond * seconds);
  const name = `${ctx.runId}-latency-${intervalMs}-${rep}`;
  const { tableArn } = await createStreamTable(ctx.db, name);
  const tracker = new ItemTracker(total, true);
  const sink = await BenchSink.start(tracker.observe);
  const poller = await PollerUnderTest.start({
    endpoint: ctx.endpoint,
    tableArn,
    sinkUrl: sink.url,
    consumerName: `${ctx.runId}/latency-${intervalMs}-${rep}`,
    pollInterval: String(intervalMs),
  });
  let idle = Number.NaN;
  let writerMaxLagMs = 0;
  let writtenCount = total;
  let sinkMeanMs = Number.NaN;
  try {
    await poller.waitUntilReady();
    // Let the reader settle into its idle polling rhythm before the first write.
    await sleep(2 * intervalMs);
    const written = await writeSteadilyInThread({
      endpoint: ctx.endpoint,
      table: name,
      perSecond: writesPerSecond,
      seconds,
      bytes: ctx.config.itemBytes,
    });
    writerMaxLagMs = written.maxLagMs;
    writtenCount = written.written;
    if (written.written < total) {
      ctx.problem(
        `latency (${intervalMs} ms): the writer managed only ${written.written} of ${total} writes in time`,
      );
    }
    const outcome = await waitFor(() => tracker.distinct >= written.written, poller, 30_000);
    if (outcome !== "done") {
      ctx.problem(
        `latency (${intervalMs} ms): ${outcome} with ${tracker.distinct} of ${total} events\n${poller.logTail()}`,
      );
    }
    const busy = await scrape(poller.metricsUrl);
    sinkMeanMs =
      (1000 * sumSamples(busy, "dynamodb_source_sink_request_duration_seconds_sum")) /
      Math.max(1, sumSamples(busy, "dynamodb_source_sink_request_duration_seconds_count"));
    idle = await idleGetRecordsRate(poller, intervalMs, idleSeconds);
  } finally {
    const code = await poller.stop();
    await sink.close();
    if (code !== 0)
      ctx.problem(`latency (${intervalMs} ms): the poller exited with ${code}\n${poller.logTail()}`);
  }
  // Items are written in id order: those the writer never got to are not missing, only unwritten.
  const missing = writtenCount - tracker.distinct;
  if (missing > 0) ctx.problem(`latency (${intervalMs} ms): ${missing} events NEVER reached the sink`);
  const latencies = tracker.latenciesMs;
  return {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    idleCallsPerShardPerSecond: idle,
    events: latencies.length,
    missing,
    writerMaxLagMs,
    sinkMeanMs,
  };
}

/** GetRecords calls per reading shard per second over `seconds` with no writes, from two scrapes of /metrics. */
async function idleGetRecordsRate(
  poller: PollerUnderTest,
  intervalMs: number,
  seconds: number,
): Promise<number> {
  await sleep(2 * intervalMs);
  const before = await scrape(poller.metricsUrl);
  const startedAt = performance.now();
  await sleep(seconds * 1000);
  const after = await scrape(poller.metricsUrl);
  const elapsed = (performance.now() - startedAt) / 1000;
  const calls =
    sumSamples(after, "dynamodb_source_get_records_calls_total") -
    sumSamples(before, "dynamodb_source_get_records_calls_total");
  const shards = Math.max(1, sumSamples(after, "dynamodb_source_shards", { state: "reading" }));
  return calls / shards / elapsed;
}
