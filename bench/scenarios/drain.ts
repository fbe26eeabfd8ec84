import { cpus } from "node:os";
import type { _Record } from "@aws-sdk/client-dynamodb-streams";
import type { OutgoingMessage } from "../../src/poller/delivery/http-message";
import type { ShardContext } from "../../src/poller/delivery/types";
import type { BacklogTable } from "../lib/backlog";
import type { BenchContext } from "../lib/context";
import { deliverOnly } from "../lib/delivery-only";
import { batchMessagesFor, ContentMode, messagesFor } from "../lib/events";
import { drainGoalRate } from "../lib/goals";
import { postSequentially } from "../lib/ideal-client";
import { ItemTracker } from "../lib/item-tracker";
import { deliveryEnv, PollerUnderTest, waitFor } from "../lib/poller";
import {
  machineBusySince,
  machineCpuSecondsSince,
  machineJiffies,
  stealShare,
  threadCpuSeconds,
} from "../lib/proc-cpu";
import { scrape, sumSamples } from "../lib/prometheus";
import { type RawReadClient, rawReadDrain } from "../lib/raw-read";
import { type DrainResult, type DrainRow, type Figure, figure } from "../lib/results";
import { BenchSink } from "../lib/sink";
import { median, round } from "../lib/stats";
import { StealWindows } from "../lib/steal-windows";
import { WARM_UP_EVENTS } from "../lib/warm-up";

type Mode = DrainRow["contentMode"];

interface PollerRun {
  readonly rate: number;
  /** After the first WARM_UP_EVENTS events at the sink: the poller's warm code (NaN for drains shorter than that). */
  readonly warmRate: number;
  /** Poller process CPU (user + system) per event delivered after the first one reached the sink. */
  readonly cpuPerEventUs: number;
  /** Its main thread's share of that CPU. */
  readonly mainThreadCpuPerEventUs: number;
  /** Its thread's garbage-collection pauses per event over the same span (its own nodejs_gc_duration_seconds). */
  readonly gcPausePerEventUs: number;
  /** Mean sink request duration from the poller's own histogram. */
  readonly sinkRequestMs: number;
  readonly endToEndRate: number;
  /** Share of all cores busy (every process) from spawn to the last event. */
  readonly machineBusy: number;
  /** Share of the machine's time the hypervisor took during the drain, and the rate in the windows it did not. */
  readonly stealPercent: number;
  readonly stealFreeRate: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly invalid: readonly string[];
}

/**
 * Drain: the poller process reads a preloaded stream from TRIM_HORIZON and delivers every item; the same run
 * measures the raw read limit (GetRecords loop) and the raw sink limit (ideal client, same events, concurrency 1).
 * Repetitions interleave the three so that noise on this shared machine hits all of them alike.
 */
export async function drainScenario(
  ctx: BenchContext,
  table: BacklogTable,
  preloadSeconds: number,
): Promise<DrainResult> {
  const { items, repetitions, structured } = ctx.config.drain;
  const modes: Mode[] = structured ? ["binary", "structured", "batch"] : ["binary", "batch"];
  const { loads, records, context } = await sinkLimitLoads(ctx, table);
  const rawRead: number[] = [];
  const rawReadBusy: number[] = [];
  const rawReadCpu: number[] = [];
  const rawReadMachineCpu: number[] = [];
  const rawReadSteal: number[] = [];
  const rawReadStealFree: number[] = [];
  const stockRead: number[] = [];
  const stockReadCpu: number[] = [];
  const runs: Record<Mode, PollerRun[]> = { binary: [], structured: [], batch: [] };
  const sinkLimit: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const sinkLimitCpu: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const sinkLimitSteal: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const sinkLimitStealFree: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const deliveryOnly: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const deliveryOnlyCpu: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const deliveryOnlyMachineCpu: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const deliveryOnlyGc: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const deliveryOnlyMainThreadCpu: Record<Mode, number[]> = { binary: [], structured: [], batch: [] };
  const invalid: string[] = [];

  for (let rep = 0; rep < repetitions; rep++) {
    // Both loops, in turns, so that neither always runs on the warmer emulator.
    const readers: RawReadClient[] = rep % 2 === 0 ? ["poller", "stock-sdk"] : ["stock-sdk", "poller"];
    for (const reader of readers) {
      const machineAtRead = machineJiffies();
      const read = await rawReadDrain(ctx.endpoint, table.streamArn, items, reader);
      if (read.records < items) ctx.problem(`raw read (${reader}) found ${read.records} of ${items} records`);
      const cpuPerRecord = (read.cpuSeconds * 1e6) / Math.max(1, read.records);
      if (reader === "poller") {
        rawReadBusy.push(100 * machineBusySince(machineAtRead));
        rawReadMachineCpu.push((machineCpuSecondsSince(machineAtRead) * 1e6) / Math.max(1, read.records));
        rawReadSteal.push(100 * stealShare(machineAtRead, machineJiffies()));
        rawReadStealFree.push(read.stealFreeRate);
        rawRead.push(read.records / read.seconds);
        rawReadCpu.push(cpuPerRecord);
      } else {
        stockRead.push(read.records / read.seconds);
        stockReadCpu.push(cpuPerRecord);
      }
      ctx.log(
        `drain ${rep + 1}/${repetitions}: raw read (${reader} client) ${Math.round(read.records / read.seconds)} records/s`,
      );
    }
    for (const mode of modes) {
      const ideal = await measureSinkLimit(loads[mode], ctx.config.drain.sinkLimitMinSeconds);
      sinkLimit[mode].push(ideal.eventsPerSecond);
      sinkLimitCpu[mode].push(ideal.cpuPerEventUs);
      sinkLimitSteal[mode].push(100 * ideal.stealShare);
      sinkLimitStealFree[mode].push(ideal.stealFreeEventsPerSecond);
      const alone = await measureDeliveryOnly(ctx, mode, records, context);
      deliveryOnly[mode].push(alone.eventsPerSecond);
      deliveryOnlyCpu[mode].push(alone.cpuPerEventUs);
      deliveryOnlyMachineCpu[mode].push(alone.machineCpuPerEventUs);
      deliveryOnlyGc[mode].push(alone.gcPausePerEventUs);
      deliveryOnlyMainThreadCpu[mode].push(alone.mainThreadCpuPerEventUs);
      const run = await pollerDrain(ctx, table, mode, rep);
      runs[mode].push(run);
      invalid.push(...run.invalid);
      ctx.log(
        `drain ${rep + 1}/${repetitions} ${mode}: poller ${Math.round(run.rate)} events/s, delivery side alone ${Math.round(deliveryOnly[mode].at(-1) ?? 0)}, sink limit ${Math.round(sinkLimit[mode].at(-1) ?? 0)}`,
      );
    }
  }

  const rows = modes.map((mode): DrainRow => {
    const readLimit = median(rawRead);
    const sink = median(sinkLimit[mode]);
    /** One figure of the row's poller drains, a value per repetition. */
    const ofDrains = (pick: (run: PollerRun) => number, unit: string, digits?: number) =>
      figure(runs[mode].map(pick), unit, digits);
    const poller = ofDrains((run) => run.rate, "events/s");
    const limit = Math.min(readLimit, sink);
    const goalRate = drainGoalRate(mode, limit, readLimit);
    const eventMachineCpu = median(rawReadMachineCpu) + median(deliveryOnlyMachineCpu[mode]);
    const missing = Math.max(...runs[mode].map((r) => r.missing));
    const pollerStealFree = measuredFigure(runs[mode].map((r) => r.stealFreeRate));
    const pollerWarm = measuredFigure(runs[mode].map((r) => r.warmRate));
    const sinkStealFree = measuredFigure(sinkLimitStealFree[mode]);
    const readStealFree = measuredFigure(rawReadStealFree);
    // The limiting side must have steal-free seconds of its own: a steal-free drain against a limit measured under
    // steal would flatter the poller. The other side counts over its steal-free seconds where it had enough of them
    // (the ideal client's batch passes are too short to), else as a whole.
    const limiting = readLimit <= sink ? readStealFree : sinkStealFree;
    const stealFreeLimit =
      limiting === null ? null : Math.min(readStealFree?.median ?? readLimit, sinkStealFree?.median ?? sink);
    return {
      contentMode: mode,
      poller,
      pollerWarm,
      warmEfficiency: pollerWarm === null ? null : round(pollerWarm.median / limit, 3),
      pollerEndToEnd: ofDrains((run) => run.endToEndRate, "events/s"),
      sinkLimit: figure(sinkLimit[mode], "events/s"),
      pollerCpuPerEventUs: ofDrains((run) => run.cpuPerEventUs, "µs"),
      sinkLimitClientCpuPerEventUs: figure(sinkLimitCpu[mode], "µs"),
      deliveryOnly: figure(deliveryOnly[mode], "events/s"),
      deliveryOnlyCpuPerEventUs: figure(deliveryOnlyCpu[mode], "µs"),
      deliveryOnlyMachineCpuPerEventUs: figure(deliveryOnlyMachineCpu[mode], "µs"),
      pollerMainThreadCpuPerEventUs: ofDrains((run) => run.mainThreadCpuPerEventUs, "µs"),
      deliveryOnlyMainThreadCpuPerEventUs: figure(deliveryOnlyMainThreadCpu[mode], "µs"),
      pollerGcPausePerEventUs: ofDrains((run) => run.gcPausePerEventUs, "µs", 1),
      deliveryOnlyGcPausePerEventUs: figure(deliveryOnlyGc[mode], "µs", 1),
      goalCpuBudget:
        goalRate === undefined
          ? null
          : {
              rate: Math.round(goalRate),
              machineCpuPerEventUs: Math.round(eventMachineCpu),
              cores: round((goalRate * eventMachineCpu) / 1e6, 2),
              machineCores: cpus().length,
            },
      serialEstimate: Math.round(1 / (1 / readLimit + 1 / median(deliveryOnly[mode]))),
      pollerSinkRequestMs: ofDrains((run) => run.sinkRequestMs, "ms", 3),
      machineCpuBusyPercent: ofDrains((run) => 100 * run.machineBusy, "%"),
      pollerStealPercent: ofDrains((run) => run.stealPercent, "%", 1),
      sinkLimitStealPercent: figure(sinkLimitSteal[mode], "%", 1),
      pollerStealFree,
      sinkLimitStealFree: sinkStealFree,
      stealFreeEfficiency:
        pollerStealFree === null || stealFreeLimit === null
          ? null
          : round(pollerStealFree.median / stealFreeLimit, 3),
      sinkLimitRequestMs: round((1000 * loads[mode].eventsPerMessage) / sink, 3),
      limit: Math.round(limit),
      limitedBy: readLimit <= sink ? "read" : "sink",
      efficiency: round(poller.median / limit, 3),
      ofRawRead: round(poller.median / readLimit, 3),
      complete: missing === 0,
      missing,
      duplicates: Math.max(...runs[mode].map((r) => r.duplicates)),
    };
  });
  return {
    items,
    itemBytes: ctx.config.itemBytes,
    repetitions,
    preloadSeconds: round(preloadSeconds, 1),
    batchSize: ctx.config.drain.batchSize,
    rawRead: figure(rawRead, "records/s"),
    rawReadMachineCpuBusyPercent: figure(rawReadBusy, "%"),
    rawReadMachineCpuPerRecordUs: figure(rawReadMachineCpu, "µs"),
    rawReadStealPercent: figure(rawReadSteal, "%", 1),
    rawReadStealFree: measuredFigure(rawReadStealFree),
    rawReadClientCpuPerRecordUs: figure(rawReadCpu, "µs"),
    rawReadStockSdk: figure(stockRead, "records/s"),
    rawReadStockSdkClientCpuPerRecordUs: figure(stockReadCpu, "µs"),
    rows,
    invalidEvents: [...new Set(invalid)],
  };
}

/** What the ideal client posts: the poller's own requests for the same records, and the events they carry. */
interface SinkLimitLoad {
  readonly messages: readonly OutgoingMessage[];
  readonly eventsPerMessage: number;
}

/**
 * The first `sinkLimitItems` records of the stream as the poller would send them, in each mode; and the records
 * themselves, decoded, for the delivery-only run.
 */
async function sinkLimitLoads(
  ctx: BenchContext,
  table: BacklogTable,
): Promise<{ loads: Record<Mode, SinkLimitLoad>; records: _Record[]; context: ShardContext }> {
  const limit = ctx.config.drain.sinkLimitItems;
  const records: _Record[] = [];
  let shardId = "";
  await rawReadDrain(ctx.endpoint, table.streamArn, limit, "poller", (page, shard) => {
    shardId = shard;
    for (const record of page) if (records.length < limit) records.push(record);
  });
  const context = { tableArn: table.tableArn, streamArn: table.streamArn, shardId, region: "us-east-1" };
  const batchSize = ctx.config.drain.batchSize;
  const loads = {
    binary: { messages: messagesFor(records, context, ContentMode.Binary), eventsPerMessage: 1 },
    structured: { messages: messagesFor(records, context, ContentMode.Structured), eventsPerMessage: 1 },
    batch: { messages: batchMessagesFor(records, context, batchSize), eventsPerMessage: batchSize },
  };
  return { loads, records, context };
}

/** The poller's delivery side alone, configured as the poller is for `mode`, into a sink of its own. */
async function measureDeliveryOnly(
  ctx: BenchContext,
  mode: Mode,
  records: readonly _Record[],
  context: ShardContext,
) {
  // The records are a prefix of the stream, not items 0..n-1: check arrivals and validity, not item ids.
  const tracker = new ItemTracker(ctx.config.drain.items);
  const sink = await BenchSink.start(tracker.observe);
  try {
    const env = deliveryEnv({ tableArn: context.tableArn, sinkUrl: sink.url, ...pollerEnv(ctx, mode) });
    const report = await deliverOnly(records, env, context);
    if (tracker.received < records.length)
      ctx.problem(
        `delivery only (${mode}): ${tracker.received} of ${records.length} events reached the sink`,
      );
    if (tracker.invalid.length > 0)
      ctx.problem(`delivery only (${mode}): invalid events ${tracker.invalid[0]}`);
    return report;
  } finally {
    await sink.close();
  }
}

/**
 * Events per second the ideal client gets through the same sink code and per-event bookkeeping as the poller, and
 * its CPU per event.
 */
async function measureSinkLimit(
  load: SinkLimitLoad,
  minSeconds: number,
): Promise<{
  eventsPerSecond: number;
  cpuPerEventUs: number;
  stealShare: number;
  stealFreeEventsPerSecond: number;
}> {
  const tracker = new ItemTracker(load.messages.length * load.eventsPerMessage);
  const sink = await BenchSink.start(tracker.observe);
  try {
    const machineAtStart = machineJiffies();
    const report = await postSequentially(sink.url, load.messages, minSeconds);
    return {
      eventsPerSecond: report.requestsPerSecond * load.eventsPerMessage,
      cpuPerEventUs: report.cpuPerRequestUs / load.eventsPerMessage,
      stealShare: stealShare(machineAtStart, machineJiffies()),
      stealFreeEventsPerSecond: (report.stealFreeRequestsPerSecond ?? Number.NaN) * load.eventsPerMessage,
    };
  } finally {
    await sink.close();
  }
}

/** The repetitions that measured a rate (NaN: too few steal-free seconds, or a drain shorter than its warm-up). */
function measuredFigure(rates: readonly number[]): Figure | null {
  const measured = rates.filter(Number.isFinite);
  return measured.length > 0 ? figure(measured, "events/s") : null;
}

/** The poller's environment for each drain row: batch mode is BATCH_SIZE, every other row one event a request. */
function pollerEnv(
  ctx: BenchContext,
  mode: Mode,
): { contentMode: ContentMode; extraEnv?: Record<string, string> } {
  if (mode === "batch") {
    return { contentMode: ContentMode.Binary, extraEnv: { BATCH_SIZE: String(ctx.config.drain.batchSize) } };
  }
  return { contentMode: mode === "structured" ? ContentMode.Structured : ContentMode.Binary };
}

async function pollerDrain(
  ctx: BenchContext,
  table: BacklogTable,
  mode: Mode,
  rep: number,
): Promise<PollerRun> {
  const items = ctx.config.drain.items;
  const tracker = new ItemTracker(items, false, WARM_UP_EVENTS);
  const sink = await BenchSink.start(tracker.observe);
  const spawnedAt = performance.now();
  const machineAtSpawn = machineJiffies();
  let machineBusy = Number.NaN;
  let stealPercent = Number.NaN;
  let stealFreeRate = Number.NaN;
  /** The poller's CPU and the events received when the first event was seen at the sink, then at the end. */
  let cpuAtFirst: { seconds: number; mainThreadSeconds: number; received: number } | undefined;
  let cpuPerEventUs = Number.NaN;
  let mainThreadCpuPerEventUs = Number.NaN;
  /** The poller's GC seconds so far, scraped when the first event reached the sink, and the events received then. */
  let gcAtFirst: { seconds: Promise<number>; received: number } | undefined;
  let gcPausePerEventUs = Number.NaN;
  let sinkRequestMs = Number.NaN;
  const poller = await PollerUnderTest.start({
    endpoint: ctx.endpoint,
    tableArn: table.tableArn,
    sinkUrl: sink.url,
    consumerName: `${ctx.runId}/drain-${mode}-${rep}`,
    ...pollerEnv(ctx, mode),
    cpuProfileDir: rep === 0 ? ctx.cpuProfileDir : undefined,
  });
  const windows = new StealWindows(() => tracker.received);
  try {
    // Bounded: 60 s plus the drain at a floor of 200 events/s.
    const sampleCpu = () => {
      const cpu = poller.pid === undefined ? undefined : threadCpuSeconds(poller.pid);
      return cpu === undefined ? undefined : { ...cpu, received: tracker.received };
    };
    const drained = () => {
      if (cpuAtFirst === undefined && tracker.received > 0) cpuAtFirst = sampleCpu();
      // Once: a poller whose CPU cannot be read (it exited) must not get a scrape every 20 ms.
      if (gcAtFirst === undefined && tracker.received > 0)
        gcAtFirst = {
          seconds: scrape(poller.metricsUrl).then(gcSeconds, () => Number.NaN),
          received: tracker.received,
        };
      return tracker.distinct >= items;
    };
    const outcome = await waitFor(drained, poller, 60_000 + (items / 200) * 1000);
    if (outcome !== "done") {
      ctx.problem(
        `drain (${mode}, repetition ${rep + 1}): ${outcome} with ${tracker.distinct} of ${items} items delivered\n${poller.logTail()}`,
      );
    }
    machineBusy = machineBusySince(machineAtSpawn);
    stealPercent = 100 * stealShare(machineAtSpawn, machineJiffies());
    stealFreeRate = windows.report(tracker.firstAt, tracker.lastAt).stealFreeRate;
    const atEnd = sampleCpu();
    if (cpuAtFirst !== undefined && atEnd !== undefined && atEnd.received > cpuAtFirst.received) {
      const events = atEnd.received - cpuAtFirst.received;
      cpuPerEventUs = ((atEnd.seconds - cpuAtFirst.seconds) * 1e6) / events;
      mainThreadCpuPerEventUs = ((atEnd.mainThreadSeconds - cpuAtFirst.mainThreadSeconds) * 1e6) / events;
    }
    const metrics = await scrape(poller.metricsUrl).catch(() => "");
    // Its own span: the CPU sample at the first event is retried while /proc cannot be read, the scrape is not.
    if (gcAtFirst !== undefined && tracker.received > gcAtFirst.received) {
      gcPausePerEventUs =
        ((gcSeconds(metrics) - (await gcAtFirst.seconds)) * 1e6) / (tracker.received - gcAtFirst.received);
    }
    sinkRequestMs =
      (1000 * sumSamples(metrics, "dynamodb_source_sink_request_duration_seconds_sum")) /
      Math.max(1, sumSamples(metrics, "dynamodb_source_sink_request_duration_seconds_count"));
  } finally {
    windows.close();
    const code = await poller.stop();
    await sink.close();
    if (code !== 0) ctx.problem(`drain (${mode}): the poller exited with ${code}\n${poller.logTail()}`);
  }
  if (tracker.missing > 0)
    ctx.problem(`drain (${mode}, repetition ${rep + 1}): ${tracker.missing} items NEVER reached the sink`);
  if (tracker.foreign > 0) ctx.problem(`drain (${mode}): ${tracker.foreign} events were not bench items`);
  return {
    rate: tracker.rate,
    warmRate: tracker.rateAfterWarmUp,
    cpuPerEventUs,
    mainThreadCpuPerEventUs,
    gcPausePerEventUs,
    sinkRequestMs,
    endToEndRate: items / ((tracker.lastAt - spawnedAt) / 1000),
    machineBusy,
    stealPercent,
    stealFreeRate,
    missing: tracker.missing,
    duplicates: tracker.duplicates,
    invalid: tracker.invalid,
  };
}

/** Seconds the process's thread spent paused by garbage collection, every kind, from its prom-client metrics. */
function gcSeconds(metrics: string): number {
  return sumSamples(metrics, "nodejs_gc_duration_seconds_sum");
}
