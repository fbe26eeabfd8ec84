import type { MemoryCheckpointStore } from "../checkpoint/memory-store";
import type { LeaseFence, LeaseGrant, LeaseTable, ShardLeaseState, WorkerBeat } from "./lease-table";

interface MemoryLease {
  owner?: string;
  counter: number;
}

/**
 * The lease table's semantics in memory, over a shared MemoryCheckpointStore: several in-process workers (tests)
 * compete for leases exactly as with DynamoDB's conditional writes, and the store rejects unfenced or stale
 * checkpoint writes. `partitioned` makes every call of one worker fail (a replica cut off from DynamoDB).
 */
export class MemoryLeaseTable implements LeaseTable {
  readonly description = "in-memory leases (tests)";
  private readonly leases = new Map<string, MemoryLease>();
  private readonly workers = new Map<string, number>();
  /** Workers whose calls fail, as if they could not reach the table. */
  readonly partitioned = new Set<string>();
  /** Every take and release, in order, for assertions. */
  readonly log: { op: "take" | "release"; shardId: string; workerId: string; counter: number; at: number }[] =
    [];

  constructor(private readonly store: MemoryCheckpointStore) {
    store.useFencing((streamArn, shardId, fence) => {
      const lease = this.leases.get(leaseKey(streamArn, shardId));
      if (!fence) return lease?.owner === undefined;
      return lease?.owner === fence.owner && lease.counter === fence.counter;
    });
  }

  async heartbeat(workerId: string): Promise<void> {
    this.reachable(workerId);
    this.workers.set(workerId, (this.workers.get(workerId) ?? 0) + 1);
  }

  async listWorkers(): Promise<WorkerBeat[]> {
    return [...this.workers].map(([workerId, counter]) => ({ workerId, counter }));
  }

  async forgetWorker(workerId: string, counter?: number): Promise<void> {
    // Without a counter it is the worker removing its own item on exit.
    if (counter === undefined) this.reachable(workerId);
    if (counter === undefined || this.workers.get(workerId) === counter) this.workers.delete(workerId);
  }

  async listShards(streamArn: string): Promise<ShardLeaseState[]> {
    const { shards } = await this.store.load(streamArn);
    const ids = new Set(shards.keys());
    const prefix = leaseKey(streamArn, "");
    for (const key of this.leases.keys()) if (key.startsWith(prefix)) ids.add(key.slice(prefix.length));
    return [...ids].map((shardId) => {
      const lease = this.leases.get(leaseKey(streamArn, shardId));
      return {
        shardId,
        owner: lease?.owner,
        counter: lease?.counter ?? 0,
        checkpoint: shards.get(shardId) ?? { shardEnd: false, updatedAt: 0 },
      };
    });
  }

  async take(
    streamArn: string,
    shardId: string,
    workerId: string,
    seen: { readonly owner?: string; readonly counter: number },
  ): Promise<LeaseGrant | undefined> {
    this.reachable(workerId);
    const key = leaseKey(streamArn, shardId);
    const lease = this.leases.get(key) ?? { counter: 0 };
    if (lease.owner !== seen.owner || lease.counter !== seen.counter) return undefined;
    const taken = { owner: workerId, counter: lease.counter + 1 };
    this.leases.set(key, taken);
    this.log.push({ op: "take", shardId, workerId, counter: taken.counter, at: performance.now() });
    const { shards } = await this.store.load(streamArn);
    return {
      fence: { owner: workerId, counter: taken.counter },
      checkpoint: shards.get(shardId) ?? { shardEnd: false, updatedAt: 0 },
    };
  }

  async release(streamArn: string, shardId: string, fence: LeaseFence): Promise<boolean> {
    this.reachable(fence.owner);
    const key = leaseKey(streamArn, shardId);
    const lease = this.leases.get(key);
    if (lease?.owner !== fence.owner || lease.counter !== fence.counter) return false;
    this.leases.set(key, { counter: lease.counter + 1 });
    this.log.push({
      op: "release",
      shardId,
      workerId: fence.owner,
      counter: lease.counter + 1,
      at: performance.now(),
    });
    return true;
  }

  /** The current owner of a shard's lease (tests). */
  ownerOf(streamArn: string, shardId: string): string | undefined {
    return this.leases.get(leaseKey(streamArn, shardId))?.owner;
  }

  private reachable(workerId: string): void {
    if (this.partitioned.has(workerId)) {
      throw Object.assign(new Error("fake: table unreachable"), { name: "NetworkingError" });
    }
  }
}

function leaseKey(streamArn: string, shardId: string): string {
  return `${streamArn}#${shardId}`;
}
