import type { GetRecordsOutput, _Record as StreamRecord } from "@aws-sdk/client-dynamodb-streams";
import type { CheckpointHealth } from "../checkpoint/checkpoint-health";
import type { ShardCheckpointer } from "../checkpoint/shard-checkpointer";
import type { RecordDeliverer, ShardContext } from "../delivery/types";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { describePosition, type StartPosition, TRIM_HORIZON } from "./iterator";
import { peekNextShardIterator } from "./next-iterator-peek";
import type { ProgressMonitor } from "./progress-monitor";
import { awsErrorName, Backoff, type BackoffPolicy, classifyAwsError } from "./retry";
import { sleep } from "./sleep";
import type { StreamsApi } from "./streams-api";

/** GetRecords' maximum (also bounded by 1 MB per call). */
export const GET_RECORDS_LIMIT = 1000;

export interface ShardReaderSettings {
  /** Wait after a GetRecords that returned nothing (POLL_INTERVAL). */
  readonly pollIntervalMs: number;
  /** Backoff for throttling, 5xx and network errors. */
  readonly backoff: BackoffPolicy;
}

export interface ShardReaderDeps {
  readonly api: StreamsApi;
  readonly deliverer: RecordDeliverer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly progress: ProgressMonitor;
  readonly checkpointHealth?: CheckpointHealth;
}

export interface ShardReaderSignals {
  /** Stop fetching: the reader finishes the batch in hand, checkpoints and returns. */
  readonly stop: AbortSignal;
  /** Abort the batch in hand (shutdown deadline passed): unsettled records stay unchecked. */
  readonly delivery: AbortSignal;
}

/** `ended`: read to SHARD_END (or the shard no longer exists); `stopped`: asked to stop. */
export type ShardReadResult = "ended" | "stopped";

/** A GetRecords outcome, kept as a value so that a prefetched page can wait until its turn. */
type Fetched =
  | { readonly ok: true; readonly out: GetRecordsOutput }
  | { readonly ok: false; readonly err: unknown };

type Acquired = { readonly iterator: string; readonly prefetched?: Promise<Fetched> } | "gone" | "stopped";

/** A GetRecords sent on the iterator read from the raw page before it (see `readEarly`). */
interface EarlyRead {
  readonly iterator: string;
  readonly page: Promise<Fetched>;
}

/**
 * Reads one shard in order: GetRecords (Limit 1000) → deliver the batch, while the next page is fetched (a bounded
 * buffer of one: at most two batches per shard in memory, and the next GetRecords waits until the batch before it
 * is settled; when it was settled first, that GetRecords goes out before the page in front of it is decoded, see
 * `readEarly`). Tight loop while records come back, POLL_INTERVAL when a page is empty. The checkpoint follows the
 * last contiguously settled record; errors are recovered here and never end the process.
 */
export class ShardReader {
  private readonly log: Logger;
  private readonly shardId: string;
  private readonly backoff: Backoff;
  /** GetRecords rejected as expired/invalid since the last success (a fresh iterator should fix it at once). */
  private rejectedInARow = 0;
  /** Set after a jump to TRIM_HORIZON: the first record read next bounds the range that may be lost. */
  private lossPendingRange: { reason: string; afterSequenceNumber?: string } | undefined;
  /** The page the reader is waiting for with nothing else to do: the one before it is settled. */
  private waitingFor: Promise<Fetched> | undefined;
  /** The GetRecords after `waitingFor`, sent before that page was decoded. */
  private early: EarlyRead | undefined;

  constructor(
    private readonly context: ShardContext,
    private readonly start: StartPosition,
    private readonly checkpointer: ShardCheckpointer,
    private readonly deps: ShardReaderDeps,
    private readonly settings: ShardReaderSettings,
    private readonly signals: ShardReaderSignals,
  ) {
    this.shardId = context.shardId;
    this.log = deps.logger.child({ shardId: context.shardId, streamArn: context.streamArn });
    this.backoff = new Backoff(settings.backoff);
  }

  async run(): Promise<ShardReadResult> {
    const { progress, metrics } = this.deps;
    progress.track(this.shardId);
    this.log.info({ position: describePosition(this.start) }, "reading shard");
    try {
      let acquired = await this.acquire(this.start);
      while (typeof acquired === "object") {
        const step = await this.readOnce(acquired.iterator, acquired.prefetched);
        if (step === "ended") {
          const saved = await this.checkpointer.finish(this.signals.stop);
          this.log.info({ sequenceNumber: this.checkpointer.lastSettled, saved }, "shard read to its end");
          return "ended";
        }
        acquired = step;
      }
      if (acquired === "gone") {
        await this.checkpointer.finish(this.signals.stop);
        return "ended";
      }
      return "stopped";
    } finally {
      // Stopped or ended: whatever settled is written now (a no-op when nothing is new).
      await this.checkpointer.flush();
      progress.untrack(this.shardId);
      // Not read here any more: a checkpoint that still failed is for the next reader of the shard to write.
      this.deps.checkpointHealth?.cleared(this.shardId);
      metrics.iteratorAge.remove({ shard: this.shardId });
    }
  }

  /** One page and its delivery; the next iterator (with the next page on its way), or why reading ends. */
  private async readOnce(iterator: string, prefetched?: Promise<Fetched>): Promise<Acquired | "ended"> {
    const { metrics, progress } = this.deps;
    if (this.signals.stop.aborted) return "stopped";
    const page = prefetched ?? this.fetch(iterator);
    this.waitingFor = page;
    const fetched = await page;
    this.waitingFor = undefined;
    const early = this.early;
    this.early = undefined;
    if (!fetched.ok) {
      this.dropEarly(early);
      return this.recoverFromGetRecords(fetched.err, iterator);
    }
    this.backoff.reset();
    this.rejectedInARow = 0;
    progress.progressed(this.shardId);
    const records = fetched.out.Records ?? [];
    const next = fetched.out.NextShardIterator ?? undefined;

    let nextPage: Promise<Fetched> | undefined;
    const fillUntil = this.pageFillDeadline(records.length);
    if (records.length > 0) {
      metrics.recordsRead.inc(records.length);
      this.updateIteratorAge(records);
      this.reportLossRange(records);
      // The next page is fetched while this one is delivered; it is dropped if this batch does not fully settle.
      // A short page in batch mode with a window: no prefetch, the next read waits for records to gather instead.
      nextPage =
        this.takeEarly(early, next) ?? (next && fillUntil === undefined ? this.fetch(next) : undefined);
      if (!(await this.deliver(records))) {
        if (this.signals.stop.aborted || this.signals.delivery.aborted) return "stopped";
        // The deliverer failed without a shutdown: replay what is not settled.
        await sleep(this.backoff.nextDelayMs(), this.signals.stop);
        return this.acquire(this.resumePosition());
      }
    } else {
      this.dropEarly(early);
      if (next) metrics.iteratorAge.set({ shard: this.shardId }, 0);
    }

    // A null NextShardIterator: the shard is closed and every record of it was returned (the last page included).
    if (!next) return "ended";
    this.checkpointer.flushIfDue();
    if (records.length === 0) await sleep(this.settings.pollIntervalMs, this.signals.stop);
    else if (fillUntil !== undefined)
      await sleep(Math.max(0, fillUntil - performance.now()), this.signals.stop);
    return { iterator: next, prefetched: nextPage };
  }

  /** When a page of `count` records fills no batch and BATCH_WINDOW is set: the earliest time to read on. */
  private pageFillDeadline(count: number): number | undefined {
    const fill = this.deps.deliverer.pageFill;
    if (fill === undefined || count === 0 || count >= fill.records) return undefined;
    return performance.now() + fill.windowMs;
  }

  /** GetRecords; counted when made, since every call is billed, even a prefetched page that gets dropped. */
  private fetch(iterator: string): Promise<Fetched> {
    const sent: { page?: Promise<Fetched> } = {};
    sent.page = this.deps.api
      .getRecords({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }, this.signals.stop, (body) =>
        this.readEarly(sent.page, body),
      )
      .then(
        (out): Fetched => {
          const result = (out.Records?.length ?? 0) > 0 ? "records" : "empty";
          this.deps.metrics.getRecordsCalls.inc({ result });
          return { ok: true, out };
        },
        (err: unknown): Fetched => ({ ok: false, err }),
      );
    return sent.page;
  }

  /**
   * An early read: when the raw answer of the page the reader is waiting for comes in, the next GetRecords goes out
   * at once, on the iterator read from the raw body, before this page is decoded. The service then serves it while
   * this page is decoded and delivered, which takes decoding out of each GetRecords' turn when reading is what
   * holds a shard back (a drain into a fast sink). Only when the reader has nothing else to do: while a page is
   * being delivered, the next one is already on its way (the prefetch), and a third page would break the memory
   * bound. Not with BATCH_WINDOW either, which waits after a short page, and the raw body does not say how many
   * records it holds.
   */
  private readEarly(page: Promise<Fetched> | undefined, body: Uint8Array): boolean {
    if (page === undefined || page !== this.waitingFor || this.early !== undefined) return false;
    if (this.deps.deliverer.pageFill !== undefined || this.signals.stop.aborted) return false;
    const iterator = peekNextShardIterator(body);
    if (iterator === undefined) return false;
    this.early = { iterator, page: this.fetch(iterator) };
    return true;
  }

  /** The early read's page, if it asked for the iterator the decoded page names; else it is dropped. */
  private takeEarly(early: EarlyRead | undefined, next: string | undefined): Promise<Fetched> | undefined {
    if (early === undefined) return undefined;
    if (early.iterator === next) {
      this.deps.metrics.getRecordsEarly.inc({ outcome: "used" });
      return early.page;
    }
    this.log.warn(
      { earlyIteratorLength: early.iterator.length, nextIteratorLength: next?.length },
      "the iterator read early from a GetRecords answer is not the decoded one; dropping the early read",
    );
    this.dropEarly(early);
    return undefined;
  }

  /** An early read whose page is not read (its page failed, or was empty): counted, its answer left to settle. */
  private dropEarly(early: EarlyRead | undefined): void {
    if (early !== undefined) this.deps.metrics.getRecordsEarly.inc({ outcome: "dropped" });
  }

  /** Hands one batch to the deliverer; true when every record settled. */
  private async deliver(records: StreamRecord[]): Promise<boolean> {
    const positionOf = new Map<string, number>();
    records.forEach((record, i) => {
      const seq = record.dynamodb?.SequenceNumber;
      if (seq) positionOf.set(seq, i);
    });
    const settled = new Uint8Array(records.length);
    let contiguous = 0;
    // The contract says records settle in order; counting the contiguous prefix keeps the checkpoint safe even if a
    // deliverer settles them out of order.
    const onSettled = (record: StreamRecord) => {
      const seq = record.dynamodb?.SequenceNumber;
      const i = seq === undefined ? records.indexOf(record) : positionOf.get(seq);
      if (i === undefined || i < 0 || settled[i]) return;
      settled[i] = 1;
      if (i !== contiguous) return;
      while (contiguous < records.length && settled[contiguous]) contiguous++;
      const last = records[contiguous - 1]?.dynamodb?.SequenceNumber;
      if (last) this.checkpointer.advanceTo(last);
      this.deps.progress.progressed(this.shardId);
    };
    try {
      await this.deps.deliverer.deliver(records, this.context, onSettled, this.signals.delivery);
    } catch (err) {
      if (!this.signals.delivery.aborted)
        this.log.error({ err }, "deliverer failed; replaying unsettled records");
      return false;
    }
    if (contiguous < records.length) {
      this.log.error(
        { settled: contiguous, records: records.length },
        "deliverer resolved before settling every record; replaying the rest",
      );
      return false;
    }
    return true;
  }

  private async recoverFromGetRecords(err: unknown, iterator: string): Promise<Acquired> {
    const kind = classifyAwsError(err);
    if (kind === "aborted" || this.signals.stop.aborted) return "stopped";
    const error = awsErrorName(err);
    this.deps.metrics.awsErrors.inc({ operation: "GetRecords", error });
    switch (kind) {
      case "expired-iterator":
      case "invalid-request": {
        // Iterators live 15 minutes; DynamoDB Local answers ValidationException for a stale one. A request that
        // keeps being invalid with fresh iterators is something else: slow down and say so.
        this.rejectedInARow++;
        if (this.rejectedInARow > 2) {
          await this.pause(err, "GetRecords");
          if (this.signals.stop.aborted) return "stopped";
        } else {
          this.log.info(
            { error, sequenceNumber: this.checkpointer.lastSettled },
            "shard iterator expired; re-acquiring",
          );
        }
        return this.acquire(this.resumePosition());
      }
      case "trimmed":
        this.reportPossibleLoss("trimmed", this.checkpointer.lastSettled);
        return this.acquire(TRIM_HORIZON);
      case "not-found":
        this.log.warn(
          { error },
          "shard or stream no longer exists (ResourceNotFound); treating the shard as ended",
        );
        return "gone";
      default:
        await this.pause(err, "GetRecords");
        return this.signals.stop.aborted ? "stopped" : { iterator };
    }
  }

  /** GetShardIterator, retried until it works, the shard is gone, or the reader is stopped. */
  private async acquire(position: StartPosition): Promise<Acquired> {
    let current = position;
    for (;;) {
      if (this.signals.stop.aborted) return "stopped";
      try {
        const out = await this.deps.api.getShardIterator(
          {
            StreamArn: this.context.streamArn,
            ShardId: this.shardId,
            ShardIteratorType: current.type,
            SequenceNumber: current.type === "AFTER_SEQUENCE_NUMBER" ? current.sequenceNumber : undefined,
          },
          this.signals.stop,
        );
        if (!out.ShardIterator) return "gone";
        this.backoff.reset();
        return { iterator: out.ShardIterator };
      } catch (err) {
        const kind = classifyAwsError(err);
        if (kind === "aborted" || this.signals.stop.aborted) return "stopped";
        this.deps.metrics.awsErrors.inc({ operation: "GetShardIterator", error: awsErrorName(err) });
        if (kind === "trimmed" && current.type !== "TRIM_HORIZON") {
          this.reportPossibleLoss(
            "trimmed",
            current.type === "AFTER_SEQUENCE_NUMBER" ? current.sequenceNumber : undefined,
          );
          current = TRIM_HORIZON;
          continue;
        }
        if (kind === "not-found") {
          this.log.warn(
            { error: awsErrorName(err) },
            "shard or stream no longer exists; treating the shard as ended",
          );
          return "gone";
        }
        await this.pause(err, "GetShardIterator");
      }
    }
  }

  /** Continue after the last settled record, or from where the reader started if nothing settled yet. */
  private resumePosition(): StartPosition {
    const last = this.checkpointer.lastSettled;
    return last ? { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: last } : this.start;
  }

  private async pause(err: unknown, operation: string): Promise<void> {
    const kind = classifyAwsError(err);
    const delayMs = this.backoff.nextDelayMs();
    const fields = { operation, error: awsErrorName(err), failures: this.backoff.failures, delayMs };
    if (kind === "throttled" || kind === "transient") {
      if (this.backoff.failures === 1 || this.backoff.failures % 10 === 0)
        this.log.warn(fields, "AWS call failed; backing off");
    } else {
      this.log.error({ ...fields, err }, "unexpected AWS error; retrying");
    }
    await sleep(delayMs, this.signals.stop);
  }

  /** Never silent: a metric and a warning now, and the exact range once the next record is read. */
  reportPossibleLoss(reason: string, afterSequenceNumber: string | undefined): void {
    this.deps.metrics.recordsLost.inc({ reason });
    this.lossPendingRange = { reason, afterSequenceNumber };
    this.log.warn(
      { reason, afterSequenceNumber },
      "records may have been lost: the stream trimmed them before they were read; continuing from TRIM_HORIZON",
    );
  }

  private reportLossRange(records: StreamRecord[]): void {
    if (!this.lossPendingRange) return;
    const first = records[0]?.dynamodb?.SequenceNumber;
    this.log.warn(
      { ...this.lossPendingRange, firstSequenceNumberAfterGap: first },
      "possible loss range: records after afterSequenceNumber and before firstSequenceNumberAfterGap",
    );
    this.lossPendingRange = undefined;
  }

  private updateIteratorAge(records: StreamRecord[]): void {
    const created = records[records.length - 1]?.dynamodb?.ApproximateCreationDateTime;
    if (!created) return;
    const ageSeconds = Math.max(0, (Date.now() - new Date(created).getTime()) / 1000);
    this.deps.metrics.iteratorAge.set({ shard: this.shardId }, ageSeconds);
  }
}
