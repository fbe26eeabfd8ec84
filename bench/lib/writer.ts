import { type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { benchItem } from "./table";

/**
 * Steady writes for the latency scenario: item i is written at start + i/rate (PutItem, a bounded number in
 * flight), each with `writtenAt` = the wall-clock time its PutItem is sent. Returns how many were written and
 * how far behind schedule the writer fell at worst (a writer that cannot keep up would skew the latencies).
 */
export async function writeSteadily(
  client: DynamoDBClient,
  table: string,
  perSecond: number,
  seconds: number,
  bytes: number,
): Promise<{ written: number; maxLagMs: number }> {
  const total = Math.round(perSecond * seconds);
  // Enough in flight to hold 200/s while DynamoDB Local answers in up to ~80 ms (it slows down under load).
  const maxInFlight = 16;
  // Bounded: a writer that cannot keep up gives up at 1.5× its schedule plus 10 s rather than run on.
  const deadline = performance.now() + seconds * 1500 + 10_000;
  const started = performance.now();
  let inFlight = 0;
  let maxLagMs = 0;
  const pending = new Set<Promise<unknown>>();
  let written = 0;
  for (let i = 0; i < total && performance.now() < deadline; i++) {
    const dueAt = started + (i * 1000) / perSecond;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - dueAt);
    while (inFlight >= maxInFlight) await Promise.race(pending);
    inFlight++;
    const put = client
      .send(new PutItemCommand({ TableName: table, Item: benchItem(i, bytes) }))
      .finally(() => {
        inFlight--;
        pending.delete(put);
      });
    pending.add(put);
    written++;
  }
  await Promise.all(pending);
  return { written, maxLagMs };
}
