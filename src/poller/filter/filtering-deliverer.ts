import type { RecordFilter } from "../../shared/event-pattern";
import type { RecordDeliverer, StreamRecord } from "../delivery/types";
import type { Metrics } from "../ops/metrics";

/**
 * FILTER in front of a deliverer: only matching records reach it. A filtered record is settled as `filtered` right
 * after the kept record before it settles (at once when none precedes it), so settling stays in stream order and the
 * checkpoint moves past filtered records without ever passing an undelivered one.
 */
export function filterRecords(
  inner: RecordDeliverer,
  filter: RecordFilter,
  metrics: Metrics,
): RecordDeliverer {
  return {
    async deliver(records, context, onSettled, signal) {
      const kept: StreamRecord[] = [];
      const leading: StreamRecord[] = [];
      /** The filtered records that follow each kept record, up to the next kept one. */
      const followers = new Map<StreamRecord, StreamRecord[]>();
      for (const record of records) {
        if (filter(record)) {
          kept.push(record);
          continue;
        }
        const previous = kept.at(-1);
        const group = previous === undefined ? leading : followers.get(previous);
        if (group !== undefined) group.push(record);
        else if (previous !== undefined) followers.set(previous, [record]);
      }
      // Counted when settled: a batch replayed after a failure never counts a record twice.
      const settleFiltered = (filtered: readonly StreamRecord[]) => {
        if (filtered.length === 0) return;
        metrics.recordsFiltered.inc(filtered.length);
        for (const record of filtered) onSettled(record, "filtered");
      };
      settleFiltered(leading);
      if (kept.length === 0) return;
      await inner.deliver(
        kept,
        context,
        (record, outcome) => {
          onSettled(record, outcome);
          settleFiltered(followers.get(record) ?? []);
        },
        signal,
      );
    },
    close: () => inner.close(),
    // Batch mode's page window is about pages read, before filtering: unchanged.
    pageFill: inner.pageFill,
  };
}
