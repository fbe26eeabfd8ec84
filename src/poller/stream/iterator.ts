import { StartingPosition } from "../../shared/env-contract";
import type { ShardCheckpoint } from "../checkpoint/store";

/** Where a shard reader asks GetShardIterator to start. */
export type StartPosition =
  | { readonly type: "TRIM_HORIZON" }
  | { readonly type: "LATEST" }
  | { readonly type: "AFTER_SEQUENCE_NUMBER"; readonly sequenceNumber: string };

export const TRIM_HORIZON: StartPosition = { type: "TRIM_HORIZON" };

/** DynamoDB Streams keeps records 24 hours. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

export type ShardStart =
  | { readonly kind: "finished"; readonly why: "checkpoint" | "before-first-start" }
  | {
      readonly kind: "read";
      readonly position: StartPosition;
      /** Set when the checkpoint is older than the stream's retention: records after it may be gone. */
      readonly expiredCheckpoint?: ShardCheckpoint;
    };

export interface ShardStartInput {
  readonly checkpoint?: ShardCheckpoint;
  readonly shardClosed: boolean;
  /**
   * The configured STARTING_POSITION when this shard was open (or listed) at the consumer's very first start on its
   * very first stream, in this very process; undefined otherwise.
   */
  readonly firstStartPosition?: StartingPosition;
  readonly now: number;
  readonly retentionMs?: number;
}

/**
 * Flink's semantics (FLINK-36523): STARTING_POSITION applies only to the shards that exist at the very first start of
 * a consumer; every shard born later, and every shard of a later stream, is read from TRIM_HORIZON; a checkpoint
 * resumes AFTER_SEQUENCE_NUMBER and a SHARD_END checkpoint means done.
 *
 * LATEST gives no sequence number to checkpoint before the first record arrives. If the process restarts before
 * that, the shard has no checkpoint but the consumer is initialized: it is then read from TRIM_HORIZON, which may
 * deliver records older than the first start (duplicates of nothing the user asked for) rather than lose records
 * written while the poller was down. We prefer duplicates over loss.
 */
export function decideShardStart(input: ShardStartInput): ShardStart {
  const { checkpoint } = input;
  if (checkpoint?.shardEnd) return { kind: "finished", why: "checkpoint" };
  if (checkpoint?.sequenceNumber) {
    const retention = input.retentionMs ?? STREAM_RETENTION_MS;
    if (input.now - checkpoint.updatedAt > retention) {
      return { kind: "read", position: TRIM_HORIZON, expiredCheckpoint: checkpoint };
    }
    return {
      kind: "read",
      position: { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: checkpoint.sequenceNumber },
    };
  }
  if (input.firstStartPosition === StartingPosition.Latest) {
    // A shard already closed at the first start holds only history from before it: nothing to read.
    if (input.shardClosed) return { kind: "finished", why: "before-first-start" };
    return { kind: "read", position: { type: "LATEST" } };
  }
  return { kind: "read", position: TRIM_HORIZON };
}

export function describePosition(position: StartPosition): string {
  return position.type === "AFTER_SEQUENCE_NUMBER"
    ? `AFTER_SEQUENCE_NUMBER ${position.sequenceNumber}`
    : position.type;
}
