import type { OutgoingMessage } from "../../src/poller/delivery/http-message";
import { reportFromChild } from "./child-report";

/** What the ideal client's process reports. */
export interface IdealClientReport {
  readonly requestsPerSecond: number;
  /** The client process's CPU (user + system) per request over the timed passes: what posting alone costs. */
  readonly cpuPerRequestUs: number;
  /** Requests per second over the timed passes' steal-free seconds (steal-windows.ts); null if under 2 s of them. */
  readonly stealFreeRequestsPerSecond: number | null;
}

/**
 * The sink limit: an ideal client (one undici keep-alive connection, messages built beforehand, nothing else to
 * do) POSTing `messages` one at a time, as the poller does per lane. It runs in a process of its own, as the poller
 * does: posting from the sink's own process skips the cross-process wake-ups the poller pays, and once that process
 * is warm it was measured at up to twice the rate of the same client in its own process, which made the limit
 * swing from run to run. Reports requests per second and CPU per request, after an untimed warm-up pass over the
 * first messages, and repeats the messages for at least `minSeconds`.
 */
export function postSequentially(
  url: string,
  messages: readonly OutgoingMessage[],
  minSeconds: number,
): Promise<IdealClientReport> {
  return reportFromChild<IdealClientReport>(
    "ideal-client-process",
    [url, String(minSeconds * 1000)],
    [JSON.stringify(messages)],
  );
}
