import type { LeaseFence } from "../lease/lease-table";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { awsErrorName, Backoff } from "../stream/retry";
import { sleep } from "../stream/sleep";
import type { CheckpointHealth } from "./checkpoint-health";
import { CheckpointConflictError, type CheckpointStore } from "./store";

export interface CheckpointerSettings {
  /** At most one write per shard per interval while reading; shard end and shutdown write at once. */
  readonly intervalMs: number;
  /**
   * An unchanged checkpoint is rewritten this often (default 1 h) while the shard is idle, so that `updatedAt` says
   * when the poller last confirmed its position: only a poller away for longer than the stream's retention then
   * finds a checkpoint "older than retention" (reported as possible loss), not one that read a quiet shard.
   */
  readonly refreshMs?: number;
  readonly now?: () => number;
  /** The shard's lease: every write is conditional on it still being held (fencing). */
  readonly fence?: LeaseFence;
  /** A fenced write was rejected: the lease is gone and the reader must stop. */
  readonly onConflict?: () => void;
}

export const DEFAULT_CHECKPOINT_REFRESH_MS = 60 * 60_000;

/**
 * The checkpoint of one shard. It only ever moves to a record that is settled together with every record before
 * it (the reader tells it so), and writes are throttled, serialized and retried, never awaited per record.
 */
export class ShardCheckpointer {
  private settled: string | undefined;
  private written: string | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  /** SHARD_END reached the store. */
  endWritten = false;

  constructor(
    private readonly store: CheckpointStore,
    private readonly streamArn: string,
    private readonly shardId: string,
    private readonly settings: CheckpointerSettings,
    private readonly deps: { logger: Logger; metrics: Metrics; checkpointHealth?: CheckpointHealth },
    /** The checkpoint the shard resumed from, if any: it needs no rewrite until it is due for a refresh. */
    resumedFrom?: { readonly sequenceNumber: string; readonly updatedAt: number },
  ) {
    this.now = settings.now ?? Date.now;
    this.settled = resumedFrom?.sequenceNumber;
    this.written = resumedFrom?.sequenceNumber;
    if (resumedFrom) this.lastWriteAt = resumedFrom.updatedAt;
  }

  /** The last contiguously settled sequence number. */
  get lastSettled(): string | undefined {
    return this.settled;
  }

  advanceTo(sequenceNumber: string): void {
    this.settled = sequenceNumber;
  }

  /** Starts a write in the background when the interval has passed and there is something new (or it is stale). */
  flushIfDue(): void {
    const now = this.now();
    const sinceLastWrite = now - this.lastWriteAt;
    if (sinceLastWrite < this.settings.intervalMs) return;
    const stale =
      this.settled !== undefined &&
      sinceLastWrite >= (this.settings.refreshMs ?? DEFAULT_CHECKPOINT_REFRESH_MS);
    if (this.settled === this.written && !stale) return;
    this.lastWriteAt = now;
    this.inFlight = this.inFlight.then(() => this.write(false, stale));
  }

  /** Writes what is settled and waits for it (shutdown). */
  async flush(): Promise<void> {
    this.inFlight = this.inFlight.then(() => this.write(false));
    await this.inFlight;
  }

  /**
   * Writes SHARD_END once every record is settled, retrying a few times: if it still fails, a restart re-reads the
   * shard from its last checkpoint and finds nothing new (duplicates at most, no loss).
   */
  async finish(signal?: AbortSignal): Promise<boolean> {
    await this.inFlight;
    const backoff = new Backoff({ baseMs: 100, capMs: 2_000 });
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.tryWrite(true)) {
        this.endWritten = true;
        return true;
      }
      // A rejected fence will not pass on a retry.
      if (this.conflicted) return false;
      await sleep(backoff.nextDelayMs(), signal);
      if (signal?.aborted) break;
    }
    return false;
  }

  private async write(shardEnd: boolean, refresh = false): Promise<void> {
    if (!shardEnd && !refresh && this.settled === this.written) return;
    await this.tryWrite(shardEnd);
  }

  private conflicted = false;

  private async tryWrite(shardEnd: boolean): Promise<boolean> {
    if (this.conflicted) return false;
    const sequenceNumber = this.settled;
    const fields = { shardId: this.shardId, streamArn: this.streamArn, sequenceNumber, shardEnd };
    try {
      await this.store.saveShard(
        this.streamArn,
        this.shardId,
        { sequenceNumber, shardEnd },
        this.settings.fence,
      );
      this.written = sequenceNumber;
      this.lastWriteAt = this.now();
      this.deps.metrics.checkpointWrites.inc({ result: "ok" });
      this.deps.checkpointHealth?.cleared(this.shardId);
      this.deps.logger.debug(fields, shardEnd ? "checkpoint: shard end" : "checkpoint");
      return true;
    } catch (err) {
      const conflict = err instanceof CheckpointConflictError;
      if (conflict && this.settings.fence) {
        this.conflicted = true;
        this.settings.onConflict?.();
      }
      // A conflict ends the reader (the lease is gone); anything else is retried at the next flush.
      if (conflict) this.deps.checkpointHealth?.cleared(this.shardId);
      else this.deps.checkpointHealth?.failed(this.shardId, awsErrorName(err));
      this.deps.metrics.checkpointWrites.inc({ result: conflict ? "conflict" : "error" });
      this.deps.logger.warn(
        { ...fields, err },
        conflict ? "checkpoint rejected (owned by another worker)" : "checkpoint write failed; will retry",
      );
      return false;
    }
  }
}
