import { Writable } from "node:stream";
import pino from "pino";
import { Registry } from "prom-client";
import { createDeliverer } from "../../../src/poller/delivery/deliverer";
import {
  ContentMode,
  type DeliveryOptions,
  type RecordDeliverer,
  type SettledOutcome,
  type StreamRecord,
} from "../../../src/poller/delivery/types";
import { createMetrics, type Metrics } from "../../../src/poller/ops/metrics";
import { BackoffPolicy, DataFormat } from "../../../src/shared/env-contract";
import { CONTEXT, makeRecord } from "../events/fixtures";

export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface Harness {
  deliverer: RecordDeliverer;
  metrics: Metrics;
  logs: LogLine[];
  settled: Array<{ id: string | undefined; outcome: SettledOutcome }>;
  deliver(records: readonly StreamRecord[], signal?: AbortSignal): Promise<void>;
}

export const harnesses: Harness[] = [];

/** A deliverer with fast retries, metrics in a private registry and logs captured as objects. */
export function harness(options: Partial<DeliveryOptions> & { sinkUrl: string }): Harness {
  const logs: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString("utf8")) as LogLine);
      done();
    },
  });
  const logger = pino({ level: "debug" }, stream);
  const metrics = createMetrics(new Registry());
  const deliverer = createDeliverer(
    {
      retry: 3,
      backoffPolicy: BackoffPolicy.Linear,
      backoffDelayMs: 5,
      timeoutMs: 2_000,
      ceOverrides: {},
      dataFormat: DataFormat.Aws,
      contentMode: ContentMode.Binary,
      ...options,
    },
    { logger, metrics },
  );
  const settled: Harness["settled"] = [];
  const h: Harness = {
    deliverer,
    metrics,
    logs,
    settled,
    deliver: (records, signal = new AbortController().signal) =>
      deliverer.deliver(
        records,
        CONTEXT,
        (record, outcome) => settled.push({ id: record.eventID, outcome }),
        signal,
      ),
  };
  harnesses.push(h);
  return h;
}

export async function closeHarnesses(): Promise<void> {
  await Promise.all(harnesses.splice(0).map((h) => h.deliverer.close()));
}

/** Records with distinct ids and sequence numbers, for items `item-0`, `item-1`, … */
export function records(count: number, prefix = "e"): StreamRecord[] {
  return Array.from({ length: count }, (_, i) =>
    makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys: { pk: { S: `item-${i}` } },
      newItem: { pk: { S: `item-${i}` }, n: { N: String(i) } },
      eventID: `${prefix}${i}`,
      sequenceNumber: String(1000 + i),
    }),
  );
}

/** The value of a counter/histogram-count sample with these labels (0 when absent). */
export async function metricValue(
  metric: {
    get(): Promise<{
      values: Array<{ value: number; labels: Partial<Record<string, string | number>>; metricName?: string }>;
    }>;
  },
  labels: Record<string, string> = {},
  metricName?: string,
): Promise<number> {
  const { values } = await metric.get();
  const match = values.find(
    (v) =>
      (metricName === undefined || v.metricName === metricName) &&
      Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return match?.value ?? 0;
}
