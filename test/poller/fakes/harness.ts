import { Writable } from "node:stream";
import pino from "pino";
import { Registry } from "prom-client";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import type { CheckpointStore } from "../../../src/poller/checkpoint/store";
import type { Logger } from "../../../src/poller/ops/logger";
import { createMetrics, type Metrics } from "../../../src/poller/ops/metrics";
import { POLLER_TUNING, Poller, type PollerSettings } from "../../../src/poller/poller";
import { StartingPosition } from "../../../src/shared/env-contract";
import { parseTableArn, type TableArn } from "../../../src/shared/table-arn";
import { CapturingDeliverer } from "./fake-deliverer";
import { FakeStream, FakeStreamsApi, FakeTableApi } from "./fake-streams";

export const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
export const STREAM_ARN = `${TABLE_ARN}/stream/2026-01-01T00:00:00.000`;

export function testTable(arn = TABLE_ARN): TableArn {
  const parsed = parseTableArn(arn);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

/** A pino logger whose JSON lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n"))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

/** Short intervals so that tests run in milliseconds; nothing asserts on timing. */
export const FAST_TUNING = {
  ...POLLER_TUNING,
  pollIntervalMs: 5,
  checkpointIntervalMs: 20,
  shardSyncIntervalMs: 200,
  tableRecheckIntervalMs: 50,
  progressTimeoutMs: 60_000,
  shutdownDeadlineMs: 200,
  describeStreamPerSecond: 200,
  backoff: { baseMs: 1, capMs: 20 },
  startingPosition: StartingPosition.TrimHorizon,
} as const;

const live = new Set<Harness>();

// A failed assertion must not leave a poller running (mocha would never exit): stop every harness after each test.
// Benches load this file outside mocha, where there is no afterEach.
if (typeof afterEach === "function") {
  afterEach(async () => {
    await Promise.all([...live].map((h) => h.stop()));
    live.clear();
  });
}

export interface Harness {
  readonly api: FakeStreamsApi;
  readonly tableApi: FakeTableApi;
  readonly stream: FakeStream;
  readonly store: CheckpointStore;
  readonly deliverer: CapturingDeliverer;
  readonly metrics: Metrics;
  readonly logs: Record<string, unknown>[];
  readonly logger: Logger;
  poller: Poller;
  running: Promise<void>;
  /** Starts a new Poller on the same fakes and store (a restart). */
  restart(settings?: Partial<PollerSettings>): Promise<void>;
  stop(): Promise<void>;
}

export function createHarness(
  options: {
    settings?: Partial<PollerSettings>;
    store?: CheckpointStore;
    api?: FakeStreamsApi;
    stream?: FakeStream;
    start?: boolean;
  } = {},
): Harness {
  const api = options.api ?? new FakeStreamsApi();
  const stream = options.stream ?? api.addStream(new FakeStream(STREAM_ARN));
  if (!api.streams.has(stream.streamArn)) api.addStream(stream);
  const tableApi = new FakeTableApi();
  tableApi.setStream(stream.streamArn);
  const store = options.store ?? new MemoryCheckpointStore();
  const deliverer = new CapturingDeliverer();
  const metrics = createMetrics(new Registry());
  const { logger, lines } = capturingLogger();
  const make = (settings?: Partial<PollerSettings>) =>
    new Poller(
      { tableApi, streamsApi: api, store, deliverer, logger, metrics },
      { ...FAST_TUNING, table: testTable(), region: "us-east-1", ...options.settings, ...settings },
    );
  const harness: Harness = {
    api,
    tableApi,
    stream,
    store,
    deliverer,
    metrics,
    logs: lines,
    logger,
    poller: make(),
    running: Promise.resolve(),
    async restart(settings) {
      await harness.poller.stop();
      harness.poller = make(settings);
      harness.running = harness.poller.run();
    },
    async stop() {
      await harness.poller.stop();
    },
  };
  live.add(harness);
  if (options.start !== false) harness.running = harness.poller.run();
  return harness;
}

/** Polls `condition` every few ms; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function counterValue(
  metric: { get(): Promise<{ values: { value: number; labels: object }[] }> },
  labels: Record<string, string> = {},
): Promise<number> {
  const { values } = await metric.get();
  return values
    .filter((v) =>
      Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val),
    )
    .reduce((sum, v) => sum + v.value, 0);
}
