import { readFileSync } from "node:fs";
import { Pool } from "undici";
import type { OutgoingMessage } from "../../src/poller/delivery/http-message";
import type { IdealClientReport } from "./ideal-client";
import { StealWindows } from "./steal-windows";
import { IDEAL_CLIENT_WARM_UP_REQUESTS } from "./warm-up";

/**
 * The ideal client's process (see ideal-client.ts): `<sink url> <min timed ms> <messages.json>`; reports on the IPC
 * channel. The timed passes repeat the messages for at least that long (a few large batches alone take milliseconds).
 */
async function main(url: string, minTimedMs: number, file: string): Promise<IdealClientReport> {
  const messages = JSON.parse(readFileSync(file, "utf8")) as OutgoingMessage[];
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 1 });
  const post = async (message: OutgoingMessage) => {
    const res = await pool.request({
      path: pathname,
      method: "POST",
      headers: message.headers,
      body: message.body,
    });
    await res.body.dump();
    if (res.statusCode >= 300) throw new Error(`sink answered ${res.statusCode}`);
  };
  try {
    // Untimed requests first, so that the timed passes measure a warm client.
    for (const message of messages.slice(0, IDEAL_CLIENT_WARM_UP_REQUESTS)) await post(message);
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    let requests = 0;
    const windows = new StealWindows(() => requests);
    do {
      for (const message of messages) {
        await post(message);
        requests++;
      }
    } while (performance.now() - started < minTimedMs);
    const ended = performance.now();
    const cpu = process.cpuUsage(cpuAtStart);
    return {
      requestsPerSecond: requests / ((ended - started) / 1000),
      cpuPerRequestUs: (cpu.user + cpu.system) / requests,
      // NaN does not survive the IPC channel's JSON: null says "too few steal-free seconds".
      stealFreeRequestsPerSecond: nullIfNaN(windows.report(started, ended).stealFreeRate),
    };
  } finally {
    await pool.close();
  }
}

function nullIfNaN(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

const [url, minTimedMs, file] = process.argv.slice(2);
if (url === undefined || minTimedMs === undefined || file === undefined)
  throw new Error("usage: ideal-client-process <sink url> <min timed ms> <messages.json>");
main(url, Number(minTimedMs), file).then(
  (report) => process.send?.(report, () => process.exit(0)),
  (err: unknown) => {
    process.stderr.write(`ideal client failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
