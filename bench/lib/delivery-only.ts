import { serialize } from "node:v8";
import type { ShardContext, StreamRecord } from "../../src/poller/delivery/types";
import { reportFromChild } from "./child-report";
import { imageNodeFlags, imageRuntimeEnv } from "./image-runtime";

/** What the delivery-only process reports. */
export interface DeliveryOnlyReport {
  readonly eventsPerSecond: number;
  /** Its CPU (user + system) per event over the timed passes. */
  readonly cpuPerEventUs: number;
  /** The whole machine's CPU per event over the timed passes: this process, the sink's, the kernel's. */
  readonly machineCpuPerEventUs: number;
  /** Its main thread's share of that CPU (the rest: V8's GC and compiler workers, libuv's pool). */
  readonly mainThreadCpuPerEventUs: number;
  /** Time its thread was paused by garbage collection, per event, over the timed passes. */
  readonly gcPausePerEventUs: number;
}

/**
 * The poller's delivery side alone: its own deliverer (config, event builder, lanes or batches, retries, metrics),
 * in a process of its own, handed `records` already decoded, page after page, with no DynamoDB Local and no SDK
 * decoding. Between the ideal client (posting only) and the poller (reading too), it shows which side a gap is on.
 * `env` is the poller's delivery environment (K_SINK, CE_CONTENT_MODE, BATCH_SIZE, …). It runs with the image's
 * Node.js flags and environment, as the poller does: its young generation, and so its garbage collection, and its
 * malloc arenas are the poller's.
 */
export function deliverOnly(
  records: readonly StreamRecord[],
  env: Readonly<Record<string, string>>,
  context: ShardContext,
): Promise<DeliveryOnlyReport> {
  return reportFromChild<DeliveryOnlyReport>(
    "delivery-only-process",
    [],
    [serialize(records), JSON.stringify(env), JSON.stringify(context)],
    { nodeFlags: imageNodeFlags(), env: imageRuntimeEnv() },
  );
}
