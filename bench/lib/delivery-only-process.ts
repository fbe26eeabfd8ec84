import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { deserialize } from "node:v8";
import { Registry } from "prom-client";
import { loadConfig } from "../../src/poller/config";
import { createDeliverer } from "../../src/poller/delivery/deliverer";
import type { ShardContext, StreamRecord } from "../../src/poller/delivery/types";
import { createLogger } from "../../src/poller/ops/logger";
import { createMetrics } from "../../src/poller/ops/metrics";
import type { DeliveryOnlyReport } from "./delivery-only";
import { machineCpuSecondsSince, machineJiffies, threadCpuSeconds } from "./proc-cpu";
import { WARM_UP_EVENTS } from "./warm-up";

/** The records as the shard reader hands them over: GetRecords pages of at most 1000. */
const PAGE = 1000;
/** Timed passes repeat the records for at least this long. */
const MIN_TIMED_MS = 1000;

/**
 * The poller's delivery side alone (see delivery-only.ts): `<records.v8> <env.json> <context.json>`. The deliverer
 * is built from the environment by the poller's own config and createDeliverer; pages are delivered one after the
 * other, as one shard reader does, with nothing to read or decode. Reports on the IPC channel.
 */
async function main(recordsFile: string, envFile: string, contextFile: string): Promise<DeliveryOnlyReport> {
  const records = deserialize(readFileSync(recordsFile)) as StreamRecord[];
  const config = loadConfig(JSON.parse(readFileSync(envFile, "utf8")) as Record<string, string>);
  const context = JSON.parse(readFileSync(contextFile, "utf8")) as ShardContext;
  const deliverer = createDeliverer(config.delivery, {
    logger: createLogger("warn"),
    metrics: createMetrics(new Registry()),
  });
  const pages: StreamRecord[][] = [];
  for (let from = 0; from < records.length; from += PAGE) pages.push(records.slice(from, from + PAGE));
  let undelivered = 0;
  const onSettled = (_record: StreamRecord, outcome: string) => {
    if (outcome !== "delivered") undelivered++;
  };
  const signal = new AbortController().signal;
  const pass = async (upTo: number) => {
    let events = 0;
    for (const page of pages) {
      if (events >= upTo) break;
      await deliverer.deliver(page, context, onSettled, signal);
      events += page.length;
    }
    return events;
  };
  try {
    // Untimed records first, as for the ideal client: the timed passes measure warm code.
    await pass(WARM_UP_EVENTS);
    let gcPauseMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcPauseMs += entry.duration;
    });
    gc.observe({ entryTypes: ["gc"] });
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const threadsAtStart = threadCpuSeconds(process.pid);
    const machineAtStart = machineJiffies();
    let events = 0;
    do events += await pass(Number.POSITIVE_INFINITY);
    while (performance.now() - started < MIN_TIMED_MS);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    const threadsAtEnd = threadCpuSeconds(process.pid);
    const machineSeconds = machineCpuSecondsSince(machineAtStart);
    // Entries are delivered asynchronously: the last of them, before the observer stops.
    for (const entry of gc.takeRecords()) gcPauseMs += entry.duration;
    gc.disconnect();
    if (undelivered > 0) throw new Error(`${undelivered} events were not delivered`);
    return {
      eventsPerSecond: events / seconds,
      cpuPerEventUs: (cpu.user + cpu.system) / events,
      machineCpuPerEventUs: (machineSeconds * 1e6) / events,
      mainThreadCpuPerEventUs:
        threadsAtStart === undefined || threadsAtEnd === undefined
          ? Number.NaN
          : ((threadsAtEnd.mainThreadSeconds - threadsAtStart.mainThreadSeconds) * 1e6) / events,
      gcPausePerEventUs: (gcPauseMs * 1000) / events,
    };
  } finally {
    await deliverer.close();
  }
}

const [recordsFile, envFile, contextFile] = process.argv.slice(2);
if (recordsFile === undefined || envFile === undefined || contextFile === undefined)
  throw new Error("usage: delivery-only-process <records.v8> <env.json> <context.json>");
main(recordsFile, envFile, contextFile).then(
  (report) => process.send?.(report, () => process.exit(0)),
  (err: unknown) => {
    process.stderr.write(`delivery-only run failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
