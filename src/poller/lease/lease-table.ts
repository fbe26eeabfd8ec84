import type { ShardCheckpoint } from "../checkpoint/store";

/**
 * The fencing token of one shard lease: checkpoint writes carry it and the table rejects them unless the item still
 * names this owner and counter. The counter moves on every take and release, never on renewals, so a checkpoint
 * write never races a renewal of its own lease.
 */
export interface LeaseFence {
  readonly owner: string;
  readonly counter: number;
}

/** One shard item as the lease table sees it: the lease and the checkpoint it protects. */
export interface ShardLeaseState {
  readonly shardId: string;
  /** Undefined: free (never taken, released, or its owner's lease was given up). */
  readonly owner?: string;
  readonly counter: number;
  readonly checkpoint: ShardCheckpoint;
}

/** A worker's heartbeat item (`worker#<id>`): its counter moves on every beat. */
export interface WorkerBeat {
  readonly workerId: string;
  readonly counter: number;
}

/** What a successful take gives the reader: its fencing token and the checkpoint to resume from. */
export interface LeaseGrant {
  readonly fence: LeaseFence;
  readonly checkpoint: ShardCheckpoint;
}

/**
 * Leases and heartbeats in the checkpoint table (DynamoDB) or in memory (tests). Every state change is a
 * conditional write on what the caller last saw, so two workers can never both win the same lease.
 */
export interface LeaseTable {
  /** Bumps this worker's heartbeat counter (creates the item on the first beat). */
  heartbeat(workerId: string): Promise<void>;
  listWorkers(): Promise<WorkerBeat[]>;
  /** Deletes a worker's heartbeat item if its counter is still `counter` (a stale worker, or our own on exit). */
  forgetWorker(workerId: string, counter?: number): Promise<void>;
  /** Every shard item of the stream: leases and checkpoints (consistent read). */
  listShards(streamArn: string): Promise<ShardLeaseState[]>;
  /**
   * Takes the lease of a shard if its item still looks like `seen` (same owner, same counter), bumping the
   * counter; undefined when another worker changed it first.
   */
  take(
    streamArn: string,
    shardId: string,
    workerId: string,
    seen: { readonly owner?: string; readonly counter: number },
  ): Promise<LeaseGrant | undefined>;
  /** Frees a lease we hold (bumping the counter); false when it was not ours any more. */
  release(streamArn: string, shardId: string, fence: LeaseFence): Promise<boolean>;
  readonly description: string;
}
