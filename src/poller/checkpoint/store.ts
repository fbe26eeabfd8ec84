import type { StartingPosition } from "../../shared/env-contract";
import type { LeaseFence } from "../lease/lease-table";

/** Progress of one shard for one consumer. */
export interface ShardCheckpoint {
  /** The last record that is settled together with every record before it. */
  readonly sequenceNumber?: string;
  /** The shard was read to its end (SHARD_END): its children may be read. */
  readonly shardEnd: boolean;
  /** Epoch ms of the write. */
  readonly updatedAt: number;
}

/** Per-consumer facts about one stream, written once when the consumer first reads it. */
export interface StreamMeta {
  readonly streamArn: string;
  /** The position given to the initial shards: STARTING_POSITION on the consumer's first stream, else TRIM_HORIZON. */
  readonly startingPosition: StartingPosition;
  /** Shards listed when the consumer started on this stream. */
  readonly initialShardIds: readonly string[];
  readonly createdAt: number;
  /** Every shard of the (disabled) stream was read to its end. */
  readonly completedAt?: number;
}

export interface StreamCheckpoints {
  readonly meta?: StreamMeta;
  readonly shards: ReadonlyMap<string, ShardCheckpoint>;
}

/**
 * A write was rejected by its condition: with a fence, "the lease is still ours (same owner and counter)"; without
 * one, "no lease owner on the item". The fencing that stops a replica which lost a shard.
 */
export class CheckpointConflictError extends Error {
  override readonly name = "CheckpointConflictError";
}

/**
 * Durable checkpoints, one namespace per consumer (CONSUMER_NAME). Implementations: DynamoDB (`CHECKPOINT_TABLE`)
 * and in-memory (tests, or no table configured).
 */
export interface CheckpointStore {
  /** Where the consumer is on one stream: its meta item and every shard checkpoint. */
  load(streamArn: string): Promise<StreamCheckpoints>;
  /** Meta items of every stream this consumer has started on (to finish old streams first). */
  listStreams(): Promise<StreamMeta[]>;
  /** Writes the meta item unless one exists; returns the one that is stored (ours or an earlier one). */
  initStream(meta: StreamMeta): Promise<StreamMeta>;
  markStreamCompleted(streamArn: string, at: number): Promise<void>;
  /**
   * Throws CheckpointConflictError when the write's condition fails: with `fence`, the shard's lease must still be
   * exactly that one; without, the item must have no lease owner (leases off: one replica).
   */
  saveShard(
    streamArn: string,
    shardId: string,
    checkpoint: Omit<ShardCheckpoint, "updatedAt">,
    fence?: LeaseFence,
  ): Promise<void>;
  readonly description: string;
}
