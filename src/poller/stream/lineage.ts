import type { ShardInfo } from "./shard-discovery";

/** `leased_elsewhere`: readable, but another replica holds its lease (scale-out). */
export type ShardState = "blocked_on_parent" | "reading" | "finished" | "leased_elsewhere";

interface TrackedShard {
  info: ShardInfo;
  state: ShardState | "new";
}

/**
 * The shard tree of one stream and the rule that keeps per-item order across splits: a shard is read only after
 * its parent is finished (SHARD_END). A parent that DescribeStream no longer lists was trimmed (older than 24 h):
 * nothing of it can be read any more, so it does not block its children.
 */
export class ShardLineage {
  private readonly shards = new Map<string, TrackedShard>();

  /** Adds shards not seen before; returns the new ones. */
  add(infos: readonly ShardInfo[]): ShardInfo[] {
    const added: ShardInfo[] = [];
    for (const info of infos) {
      const known = this.shards.get(info.shardId);
      if (known) {
        if (info.closed && !known.info.closed) known.info = info;
        continue;
      }
      this.shards.set(info.shardId, { info, state: "new" });
      added.push(info);
    }
    return added;
  }

  has(shardId: string): boolean {
    return this.shards.has(shardId);
  }

  get(shardId: string): ShardInfo | undefined {
    return this.shards.get(shardId)?.info;
  }

  hasChildren(shardId: string): boolean {
    for (const shard of this.shards.values()) if (shard.info.parentShardId === shardId) return true;
    return false;
  }

  markFinished(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard) shard.state = "finished";
  }

  /** Makes a shard readable again (its reader stopped without reaching the end). */
  reset(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard && shard.state !== "finished") shard.state = "new";
  }

  /** A readable shard this replica does not hold the lease of: offered again by the next takeReadable. */
  park(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard && shard.state !== "finished") shard.state = "leased_elsewhere";
  }

  isFinished(shardId: string): boolean {
    return this.shards.get(shardId)?.state === "finished";
  }

  isReading(shardId: string): boolean {
    return this.shards.get(shardId)?.state === "reading";
  }

  /** Shards not finished, with whether their parent is listed (a listed parent must finish first). */
  unfinished(): { info: ShardInfo; parentListed: boolean }[] {
    const out: { info: ShardInfo; parentListed: boolean }[] = [];
    for (const shard of this.shards.values()) {
      if (shard.state === "finished") continue;
      const parentId = shard.info.parentShardId;
      out.push({ info: shard.info, parentListed: parentId !== undefined && this.shards.has(parentId) });
    }
    return out;
  }

  /**
   * Shards that may be read now (never started, parent finished or gone); they become `reading`. The others
   * wait as `blocked_on_parent`. Parents come before children in the result.
   */
  takeReadable(): ShardInfo[] {
    const readable: ShardInfo[] = [];
    for (const shard of this.shards.values()) {
      if (shard.state !== "new" && shard.state !== "blocked_on_parent" && shard.state !== "leased_elsewhere")
        continue;
      const parentId = shard.info.parentShardId;
      const parent = parentId ? this.shards.get(parentId) : undefined;
      if (parent && parent.state !== "finished") {
        shard.state = "blocked_on_parent";
        continue;
      }
      shard.state = "reading";
      readable.push(shard.info);
    }
    return readable;
  }

  allFinished(): boolean {
    for (const shard of this.shards.values()) if (shard.state !== "finished") return false;
    return true;
  }

  counts(): Record<ShardState, number> {
    const counts: Record<ShardState, number> = {
      blocked_on_parent: 0,
      reading: 0,
      finished: 0,
      leased_elsewhere: 0,
    };
    for (const shard of this.shards.values()) {
      counts[shard.state === "new" ? "blocked_on_parent" : shard.state]++;
    }
    return counts;
  }
}
