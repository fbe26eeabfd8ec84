import { setMaxListeners } from "node:events";
import { assignLanes } from "./lane-of";
import { StreamOrderSettler } from "./stream-order-settler";
import type { DeliveryOutcome, StreamRecord } from "./types";

/** Reports the terminal outcome of the record at `position` (an index into the batch). */
export type Settle = (position: number, outcome: DeliveryOutcome) => void;

/**
 * Delivers one lane: the records at `positions` (in stream order), one after the other, calling `settle` for each.
 * Rejects only with the signal's reason.
 */
export type LaneRunner = (positions: readonly number[], settle: Settle, signal: AbortSignal) => Promise<void>;

/**
 * What one lane can have listening on the batch's stop signal at once: its attempt to the sink and its attempt to
 * the dead-letter sink (each HttpSink keeps one reusable attempt signal per lane), and a backoff sleep.
 */
const STOP_LISTENERS_PER_LANE = 3;

/**
 * Per-key ordered parallel delivery of one batch. Records go to lane hash(partitionkey) % `laneCount`; each lane
 * delivers in order and lanes run concurrently, so events of one item stay in order while different items overtake
 * each other. `onSettled` still runs in stream order (see StreamOrderSettler): the checkpoint advances only to the
 * lowest undelivered record across lanes.
 *
 * Lanes live for one batch: `deliver()` must settle its whole batch before the reader hands over the next one, so a
 * lane cannot run ahead into the next batch. On abort (or an unexpected lane failure) every lane is stopped, nothing
 * more is settled, and this rejects with the reason once all lanes have returned, so no work outlives the call.
 */
export async function deliverInLanes(
  records: readonly StreamRecord[],
  laneCount: number,
  runLane: LaneRunner,
  onSettled: (record: StreamRecord, outcome: DeliveryOutcome) => void,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  if (records.length === 0) return;
  const settler = new StreamOrderSettler(records, onSettled);
  const lanes = assignLanes(records, laneCount);
  const stop = new AbortController();
  // Node's default of 10 would call 10 lanes retrying at once a possible leak, in a warning per batch.
  setMaxListeners(Math.max(10, lanes.length * STOP_LISTENERS_PER_LANE), stop.signal);
  let failure: { readonly error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    settler.stop();
    stop.abort(error);
  };
  const onAbort = () => fail(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(lanes.map((positions) => runLane(positions, settler.settle, stop.signal).catch(fail)));
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  if (failure !== undefined) throw failure.error;
}
