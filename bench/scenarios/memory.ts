import { GET_RECORDS_LIMIT } from "../../src/poller/stream/shard-reader";
import type { BacklogTable } from "../lib/backlog";
import { type BenchContext, sleep } from "../lib/context";
import { ItemTracker } from "../lib/item-tracker";
import { PollerUnderTest, waitFor } from "../lib/poller";
import { scrape, sumSamples } from "../lib/prometheus";
import { figure, type MemoryResult } from "../lib/results";
import { type RssSample, sampleRss } from "../lib/rss";
import { BenchSink } from "../lib/sink";
import { median, round } from "../lib/stats";

/**
 * The steady half may grow by this much from its first quarter to its last and still count as flat (GC and JIT
 * noise). Over a 40 s quarter at ~170 events/s that is ~1.5 KB an event: what keeping every record would add.
 */
const FLAT_MARGIN_MB = 10;
const FLAT_MARGIN_RATIO = 0.1;
/** A fall of RSS this large between two samples 200 ms apart: a major GC returned memory. */
const GC_DROP_MB = 4;
/**
 * V8's heap rises for about this long at this event rate before the first major GC drops it (start-up, JIT, old
 * space sizing up); after it RSS stays level (a 240 s run: 146.6 MB at 65 s, 135 MB after the drop, 125.7-128.7 MB
 * from 83 s to 240 s). The first half of the window is that warm-up; flatness is judged on the second half only,
 * so only on windows of at least two such cycles (full mode). Shorter ones (quick, smoke) see only the rising edge
 * and are not judged: the backpressure bound below is their evidence.
 */
const GC_CYCLE_SECONDS = 60;
/**
 * What backpressure bounds: a shard holds the page being delivered and the one prefetched, no more. DynamoDB Local
 * gives the backlog table one shard.
 */
const HELD_RECORDS_BOUND = 2 * GET_RECORDS_LIMIT;
const METRICS_EVERY_MS = 1000;

interface MemoryRun {
  readonly peak: number;
  readonly heapUsedMb: number;
  readonly gcDrops: number;
  readonly firstHalf: number;
  readonly secondHalf: number;
  /** Medians of the second half's two quarters: what flatness compares. */
  readonly thirdQuarter: number;
  readonly lastQuarter: number;
  readonly delivered: number;
  /** The most records read but not yet settled at any scrape of the poller's metrics. */
  readonly heldRecordsMax: number;
  readonly samples: number;
  readonly series: [number, number][];
}

/**
 * Memory: the poller drains a large backlog into a slow sink (a delay per request). Without backpressure it
 * would read the whole backlog (GetRecords is ~100× faster than this sink) and RSS would climb; with it, RSS
 * stays flat. Sampled every 200 ms for a fixed window after the first event, while most of the backlog is
 * still unread; the poller's metrics, every second, tell how many records it holds (read, not yet settled).
 */
export async function memoryScenario(ctx: BenchContext, table: BacklogTable): Promise<MemoryResult> {
  const { repetitions, sinkDelayMs, windowSeconds } = ctx.config.memory;
  const runs: MemoryRun[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    const run = await memoryRun(ctx, table, rep);
    ctx.log(
      `memory ${rep + 1}/${repetitions}: peak ${run.peak.toFixed(1)} MB, first half ${run.firstHalf.toFixed(1)} MB, second half ${run.secondHalf.toFixed(1)} MB, ${run.delivered} events delivered`,
    );
    runs.push(run);
  }
  /** One MB figure over the repetitions. */
  const megabytes = (of: (run: MemoryRun) => number) => figure(runs.map(of), "MB", 1);
  const steadyStart = megabytes((r) => r.thirdQuarter);
  const margin = Math.max(FLAT_MARGIN_MB, FLAT_MARGIN_RATIO * steadyStart.median);
  const judged = windowSeconds >= 2 * GC_CYCLE_SECONDS;
  const heldRecordsMax = Math.max(...runs.map((r) => r.heldRecordsMax));
  return {
    backlog: table.items,
    sinkDelayMs,
    windowSeconds,
    peakRssMb: megabytes((r) => r.peak),
    firstHalfRssMb: megabytes((r) => r.firstHalf),
    steadyRssMb: megabytes((r) => r.secondHalf),
    steadyStartRssMb: steadyStart,
    steadyEndRssMb: megabytes((r) => r.lastQuarter),
    flatMarginMb: round(margin, 1),
    flat: judged ? runs.every((r) => r.lastQuarter - r.thirdQuarter <= margin) : null,
    heldRecordsMax,
    heldRecordsBound: HELD_RECORDS_BOUND,
    bounded: heldRecordsMax <= HELD_RECORDS_BOUND,
    deliveredInWindow: figure(
      runs.map((r) => r.delivered),
      "events",
    ),
    samples: runs.reduce((sum, r) => sum + r.samples, 0),
    series: runs[0]?.series ?? [],
    heapUsedAtEndMb: megabytes((r) => r.heapUsedMb),
    gcDropsInWindow: figure(
      runs.map((r) => r.gcDrops),
      "drops",
    ),
  };
}

async function memoryRun(ctx: BenchContext, table: BacklogTable, rep: number): Promise<MemoryRun> {
  const { sinkDelayMs, windowSeconds } = ctx.config.memory;
  const tracker = new ItemTracker(table.items);
  const sink = await BenchSink.start(tracker.observe, sinkDelayMs);
  const poller = await PollerUnderTest.start({
    endpoint: ctx.endpoint,
    tableArn: table.tableArn,
    sinkUrl: sink.url,
    consumerName: `${ctx.runId}/memory-${rep}`,
  });
  const pid = poller.pid;
  if (pid === undefined) throw new Error("the poller process has no pid");
  const rss = sampleRss(pid);
  let windowStart = 0;
  let heapUsedMb = Number.NaN;
  let heldRecordsMax = 0;
  try {
    const first = await waitFor(() => tracker.received > 0, poller, 60_000);
    if (first !== "done") ctx.problem(`memory: no event reached the sink (${first})\n${poller.logTail()}`);
    windowStart = performance.now();
    const windowEnd = windowStart + windowSeconds * 1000;
    while (performance.now() < windowEnd) {
      await sleep(Math.min(METRICS_EVERY_MS, Math.max(0, windowEnd - performance.now())));
      const metrics = await scrape(poller.metricsUrl).catch(() => "");
      heldRecordsMax = Math.max(heldRecordsMax, heldRecords(metrics));
      heapUsedMb = sumSamples(metrics, "nodejs_heap_size_used_bytes") / 2 ** 20;
    }
    if (!poller.running) ctx.problem(`memory: the poller exited during the window\n${poller.logTail()}`);
  } finally {
    rss.stop();
    // Not graceful: a batch of 1,000 in flight would take 5 s to finish at 5 ms each, and nothing is checked after.
    const code = await poller.stop(true);
    await sink.close();
    if (code !== 0) ctx.problem(`memory: the poller exited with ${code}\n${poller.logTail()}`);
  }
  const delivered = tracker.distinct;
  if (delivered >= table.items)
    ctx.log("memory: the whole backlog drained within the window; make it larger");
  return { ...halves(rss.samples, windowStart), delivered, heapUsedMb, heldRecordsMax };
}

/**
 * Records the poller has read and not yet settled (delivered, dead-lettered, dropped or filtered). A page counts as
 * read when it is handed to delivery, so the prefetched page is not in it: RSS covers that one.
 */
function heldRecords(metrics: string): number {
  const settled = [
    "dynamodb_source_events_delivered_total",
    "dynamodb_source_events_dead_lettered_total",
    "dynamodb_source_events_dropped_total",
    "dynamodb_source_records_filtered_total",
  ].reduce((sum, name) => sum + sumSamples(metrics, name), 0);
  return sumSamples(metrics, "dynamodb_source_records_read_total") - settled;
}

/**
 * Peak over the whole run (start-up included); medians of the two halves of the window after the first event, and
 * of the second half's two quarters.
 */
function halves(samples: readonly RssSample[], windowStart: number) {
  const inWindow = samples.filter((s) => s.atMs >= windowStart).map((s) => s.mb);
  const mid = Math.floor(inWindow.length / 2);
  const threeQuarters = Math.floor((inWindow.length * 3) / 4);
  let gcDrops = 0;
  for (let i = 1; i < inWindow.length; i++)
    if ((inWindow[i - 1] ?? 0) - (inWindow[i] ?? 0) > GC_DROP_MB) gcDrops++;
  return {
    gcDrops,
    peak: Math.max(...samples.map((s) => s.mb)),
    firstHalf: median(inWindow.slice(0, mid)),
    secondHalf: median(inWindow.slice(mid)),
    thirdQuarter: median(inWindow.slice(mid, threeQuarters)),
    lastQuarter: median(inWindow.slice(threeQuarters)),
    samples: samples.length,
    series: samples
      .filter((_, i) => i % 5 === 0)
      .map((s): [number, number] => [round((s.atMs - (samples[0]?.atMs ?? 0)) / 1000, 1), round(s.mb, 1)]),
  };
}
