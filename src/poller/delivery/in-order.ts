import type { DeliveryOutcome, StreamRecord } from "./types";

export type DeliverOne = (record: StreamRecord, signal: AbortSignal) => Promise<DeliveryOutcome>;

/**
 * Today's scheduling: one record at a time, in stream order, so order per item holds trivially and `onSettled`
 * runs in stream order. Per-key parallel lanes will replace this function (same signature): they must still
 * settle in stream order, buffering outcomes of records that finish ahead of an earlier one.
 */
export async function deliverInOrder(
  records: readonly StreamRecord[],
  deliverOne: DeliverOne,
  onSettled: (record: StreamRecord, outcome: DeliveryOutcome) => void,
  signal: AbortSignal,
): Promise<void> {
  for (const record of records) {
    signal.throwIfAborted();
    onSettled(record, await deliverOne(record, signal));
  }
}
