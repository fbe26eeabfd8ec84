import { setTimeout as sleep } from "node:timers/promises";

/** Waits `ms`, rejecting with the signal's reason as soon as it aborts (a shutdown must not wait out a backoff). */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  }
}
