import type { CheckpointStore, ShardCheckpoint, StreamCheckpoints, StreamMeta } from "./store";

/** Checkpoints in this process only: everything is re-read from the starting position after a restart. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly description = "in-memory (lost on restart)";
  private readonly metas = new Map<string, StreamMeta>();
  private readonly shards = new Map<string, Map<string, ShardCheckpoint>>();
  /** Every write, in order: tests assert that no checkpoint ever passed an undelivered record. */
  readonly writes: { streamArn: string; shardId: string; checkpoint: ShardCheckpoint }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

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
  ): Promise<void> {
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
