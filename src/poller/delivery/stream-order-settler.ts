import type { DeliveryOutcome, StreamRecord } from "./types";

const OUTCOMES: readonly DeliveryOutcome[] = ["delivered", "dead-lettered", "dropped"];
const CODE: Readonly<Record<DeliveryOutcome, number>> = { delivered: 1, "dead-lettered": 2, dropped: 3 };

/**
 * Turns outcomes that arrive in any order (lanes finish independently) into `onSettled` calls in stream order: a
 * record is reported only once every earlier record of the batch is, so the checkpoint built from those calls can
 * never pass an undelivered record. Outcomes are kept as one byte per record.
 */
export class StreamOrderSettler {
  private readonly outcomes: Uint8Array;
  /** Records before this position have been reported. */
  private next = 0;
  private stopped = false;

  constructor(
    private readonly records: readonly StreamRecord[],
    private readonly onSettled: (record: StreamRecord, outcome: DeliveryOutcome) => void,
  ) {
    this.outcomes = new Uint8Array(records.length);
  }

  /** Records the outcome of the record at `position` and reports every record now settled in a row. */
  readonly settle = (position: number, outcome: DeliveryOutcome): void => {
    if (this.stopped) return;
    this.outcomes[position] = CODE[outcome];
    const { outcomes, records } = this;
    while (this.next < records.length) {
      const code = outcomes[this.next] ?? 0;
      const record = records[this.next];
      if (code === 0 || record === undefined) return;
      this.next++;
      this.onSettled(record, OUTCOMES[code - 1] ?? "dropped");
    }
  };

  /** After an abort or a failure nothing more is reported, even outcomes that still come in. */
  stop(): void {
    this.stopped = true;
  }

  /** How many records, from the first, have been reported. */
  get reported(): number {
    return this.next;
  }
}
