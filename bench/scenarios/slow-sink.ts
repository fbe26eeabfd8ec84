import type { IncomingHttpHeaders } from "node:http";
import type { BacklogTable } from "../lib/backlog";
import type { BenchContext } from "../lib/context";
import { PollerUnderTest, waitFor } from "../lib/poller";
import { figure, type SlowSinkResult, type SlowSinkRow } from "../lib/results";
import { BenchSink } from "../lib/sink";
import { median, round } from "../lib/stats";

/** What each row changes in the poller's environment: one event at a time, lanes, batches, both. */
const SETTINGS: ReadonlyArray<{ label: string; env: Record<string, string> }> = [
  { label: "PARALLELISM=1 (default)", env: {} },
  { label: "PARALLELISM=10", env: { PARALLELISM: "10" } },
  { label: "BATCH_SIZE=100", env: { BATCH_SIZE: "100" } },
  { label: "PARALLELISM=10, BATCH_SIZE=100", env: { PARALLELISM: "10", BATCH_SIZE: "100" } },
];

/**
 * Lanes and batch mode against a sink that takes `sinkDelayMs` per request: the case they exist for. One shard
 * (DynamoDB Local), distinct items, drained from TRIM_HORIZON; events/s from the first to the last event.
 */
export async function slowSinkScenario(ctx: BenchContext, table: BacklogTable): Promise<SlowSinkResult> {
  const { items, sinkDelayMs, repetitions } = ctx.config.slowSink;
  const rows: SlowSinkRow[] = [];
  for (const setting of SETTINGS) {
    const rates: number[] = [];
    let complete = true;
    for (let rep = 0; rep < repetitions; rep++) {
      const run = await drainOnce(ctx, table, items, sinkDelayMs, setting.env, `${setting.label}-${rep}`);
      rates.push(run.rate);
      complete &&= run.complete;
      ctx.log(`slow sink ${setting.label} ${rep + 1}/${repetitions}: ${round(run.rate)} events/s`);
    }
    rows.push({ setting: setting.label, eventsPerSecond: figure(rates, "events/s"), complete });
  }
  const base = median(rows[0]?.eventsPerSecond.values ?? []);
  return {
    items,
    sinkDelayMs,
    rows: rows.map((r) => ({ ...r, speedup: round(median(r.eventsPerSecond.values) / base, 1) })),
  };
}

async function drainOnce(
  ctx: BenchContext,
  table: BacklogTable,
  items: number,
  sinkDelayMs: number,
  env: Record<string, string>,
  label: string,
): Promise<{ rate: number; complete: boolean }> {
  const seen = new Set<string>();
  let firstAt = Number.NaN;
  let lastAt = Number.NaN;
  const sink = await BenchSink.start((headers, body, at) => {
    for (const key of partitionKeys(headers, body)) seen.add(key);
    if (Number.isNaN(firstAt)) firstAt = at;
    lastAt = at;
  }, sinkDelayMs);
  const poller = await PollerUnderTest.start({
    endpoint: ctx.endpoint,
    tableArn: table.tableArn,
    sinkUrl: sink.url,
    consumerName: `${ctx.runId}/slow-sink/${label}`,
    extraEnv: env,
  });
  try {
    const outcome = await waitFor(() => seen.size >= items, poller, 300_000);
    if (outcome !== "done") ctx.problem(`slow sink ${label}: ${seen.size} of ${items} items (${outcome})`);
  } finally {
    await poller.stop(true);
    await sink.close();
  }
  const seconds = (lastAt - firstAt) / 1000;
  return {
    rate: seconds > 0 ? (Math.min(seen.size, items) - 1) / seconds : Number.NaN,
    complete: seen.size >= items,
  };
}

/** The `partitionkey` of every event in a request: binary (header) or a batch (JSON array of structured events). */
function partitionKeys(headers: IncomingHttpHeaders, body: string): string[] {
  const header = headers["ce-partitionkey"];
  if (typeof header === "string") return [header];
  const parsed: unknown = JSON.parse(body);
  const events = Array.isArray(parsed) ? parsed : [parsed];
  return events.map((e) => String((e as { partitionkey?: unknown }).partitionkey));
}
