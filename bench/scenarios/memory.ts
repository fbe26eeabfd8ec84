import type { BacklogTable } from "../lib/backlog";
import { type BenchContext, sleep } from "../lib/context";
import { ItemTracker } from "../lib/item-tracker";
import { PollerUnderTest, waitFor } from "../lib/poller";
import { scrape, sumSamples } from "../lib/prometheus";
import { figure, type MemoryResult } from "../lib/results";
import { type RssSample, sampleRss } from "../lib/rss";
import { BenchSink } from "../lib/sink";
import { median, round } from "../lib/stats";

/** Steady RSS may differ from the first half by this much and still count as flat (GC and JIT noise). */
const FLAT_MARGIN_MB = 10;
const FLAT_MARGIN_RATIO = 0.1;
/** A fall of RSS this large between two samples 200 ms apart: a major GC returned memory. */
const GC_DROP_MB = 4;

interface MemoryRun {
  readonly peak: number;
  readonly heapUsedMb: number;
  readonly gcDrops: number;
  readonly firstHalf: number;
  readonly secondHalf: number;
  readonly delivered: number;
  readonly samples: number;
  readonly series: [number, number][];
}

/**
 * Memory: the poller drains a large backlog into a slow sink (a delay per request). Without backpressure it
 * would read the whole backlog (GetRecords is ~100× faster than this sink) and RSS would climb; with it, RSS
 * stays flat. Sampled every 200 ms for a fixed window after the first event, while most of the backlog is
 * still unread.
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
  const firstHalf = figure(
    runs.map((r) => r.firstHalf),
    "MB",
    1,
  );
  const steady = figure(
    runs.map((r) => r.secondHalf),
    "MB",
    1,
  );
  const margin = Math.max(FLAT_MARGIN_MB, FLAT_MARGIN_RATIO * firstHalf.median);
  return {
    backlog: table.items,
    sinkDelayMs,
    windowSeconds,
    peakRssMb: figure(
      runs.map((r) => r.peak),
      "MB",
      1,
    ),
    firstHalfRssMb: firstHalf,
    steadyRssMb: steady,
    flatMarginMb: round(margin, 1),
    flat: runs.every((r) => Math.abs(r.secondHalf - r.firstHalf) <= margin),
    deliveredInWindow: figure(
      runs.map((r) => r.delivered),
      "events",
    ),
    samples: runs.reduce((sum, r) => sum + r.samples, 0),
    series: runs[0]?.series ?? [],
    heapUsedAtEndMb: figure(
      runs.map((r) => r.heapUsedMb),
      "MB",
      1,
    ),
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
  try {
    const first = await waitFor(() => tracker.received > 0, poller, 60_000);
    if (first !== "done") ctx.problem(`memory: no event reached the sink (${first})\n${poller.logTail()}`);
    windowStart = performance.now();
    await sleep(windowSeconds * 1000);
    if (!poller.running) ctx.problem(`memory: the poller exited during the window\n${poller.logTail()}`);
    const metrics = await scrape(poller.metricsUrl).catch(() => "");
    heapUsedMb = sumSamples(metrics, "nodejs_heap_size_used_bytes") / 2 ** 20;
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
  return { ...halves(rss.samples, windowStart), delivered, heapUsedMb };
}

/** Peak over the whole run (start-up included); medians of the two halves of the window after the first event. */
function halves(samples: readonly RssSample[], windowStart: number) {
  const inWindow = samples.filter((s) => s.atMs >= windowStart).map((s) => s.mb);
  const mid = Math.floor(inWindow.length / 2);
  let gcDrops = 0;
  for (let i = 1; i < inWindow.length; i++)
    if ((inWindow[i - 1] ?? 0) - (inWindow[i] ?? 0) > GC_DROP_MB) gcDrops++;
  return {
    gcDrops,
    peak: Math.max(...samples.map((s) => s.mb)),
    firstHalf: median(inWindow.slice(0, mid)),
    secondHalf: median(inWindow.slice(mid)),
    samples: samples.length,
    series: samples
      .filter((_, i) => i % 5 === 0)
      .map((s): [number, number] => [round((s.atMs - (samples[0]?.atMs ?? 0)) / 1000, 1), round(s.mb, 1)]),
  };
}
