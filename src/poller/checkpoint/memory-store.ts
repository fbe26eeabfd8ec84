import type { LeaseFence } from "../lease/lease-table";
import {
  CheckpointConflictError,
  type CheckpointStore,
  type ShardCheckpoint,
  type StreamCheckpoints,
  type StreamMeta,
} from "./store";

/** Says whether a fenced write may go ahead (the in-memory lease table of tests installs one). */
export type FenceCheck = (streamArn: string, shardId: string, fence: LeaseFence | undefined) => boolean;

/** Checkpoints in this process only: everything is re-read from the starting position after a restart. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly description = "in-memory (lost on restart)";
  private readonly metas = new Map<string, StreamMeta>();
  private readonly shards = new Map<string, Map<string, ShardCheckpoint>>();
  /** Every write, in order: tests assert that no checkpoint ever passed an undelivered record. */
  readonly writes: { streamArn: string; shardId: string; checkpoint: ShardCheckpoint }[] = [];

  private fenceCheck: FenceCheck | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Makes shard writes conditional on a lease, as the DynamoDB store's are (multi-worker tests). */
  useFencing(check: FenceCheck): void {
    this.fenceCheck = check;
  }

  async load(streamArn: string): Promise<StreamCheckpoints> {
    return { meta: this.metas.get(streamArn), shards: new Map(this.shards.get(streamArn) ?? []) };
  }

  async listStreams(): Promise<StreamMeta[]> {
    return [...this.metas.values()];
  }

  async initStream(meta: StreamMeta): Promise<StreamMeta> {
    const existing = this.metas.get(meta.streamArn);
    if (existing) return existing;
    this.metas.set(meta.streamArn, meta);
    return meta;
  }

  async markStreamCompleted(streamArn: string, at: number): Promise<void> {
    const meta = this.metas.get(streamArn);
    if (meta) this.metas.set(streamArn, { ...meta, completedAt: at });
  }

  async saveShard(
    streamArn: string,
    shardId: string,
    checkpoint: Omit<ShardCheckpoint, "updatedAt">,
    fence?: LeaseFence,
  ): Promise<void> {
    if (this.fenceCheck && !this.fenceCheck(streamArn, shardId, fence)) {
      throw new CheckpointConflictError(`checkpoint of shard ${shardId} rejected: lease not held`);
    }
    const stored: ShardCheckpoint = { ...checkpoint, updatedAt: this.now() };
    let perStream = this.shards.get(streamArn);
    if (!perStream) {
      perStream = new Map();
      this.shards.set(streamArn, perStream);
    }
    perStream.set(shardId, stored);
    this.writes.push({ streamArn, shardId, checkpoint: stored });
  }
}
