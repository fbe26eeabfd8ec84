import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { sleep } from "../stream/sleep";
import { planShare } from "./fair-share";
import type { LeaseFence, LeaseGrant, LeaseTable, ShardLeaseState } from "./lease-table";
import { WorkerLiveness } from "./liveness";

export interface LeaseSettings {
  /** This replica's identity (WORKER_ID, default the pod name). */
  readonly workerId: string;
  /** A worker whose heartbeat does not move for this long is dead and its shards are taken over (LEASE_DURATION). */
  readonly leaseDurationMs: number;
  /** Heartbeat, lease check and fair-share cycle; default a third of the lease duration. */
  readonly renewIntervalMs?: number;
  readonly now?: () => number;
}

/** A shard the stream consumer knows and has not finished, with its parent as DescribeStream lists it. */
export interface LeaseCandidate {
  readonly shardId: string;
  readonly parentShardId?: string;
  /** The parent is listed (not trimmed away): then it must be finished, in the table, before this shard is leased. */
  readonly parentListed: boolean;
}

/** How the leases drive the stream consumer. */
export interface LeaseHooks {
  candidates(): LeaseCandidate[];
  /** The table says these shards were read to SHARD_END (possibly by another worker). */
  finished(shardIds: readonly string[]): void;
  /** A lease is gone (taken over, or our heartbeat is too old): stop reading the shard at once. */
  lost(shardId: string): void;
  /** Hand the shard back: stop reading, write the final checkpoint, then call `release`. */
  shed(shardId: string): void;
  /** New leases were taken: start their readers. */
  granted(): void;
}

/** Below this share of the lease duration since the last successful heartbeat, a worker trusts its own leases. */
const SELF_TRUST = 0.8;
/** Heartbeat items silent for this many lease durations are deleted. */
const FORGET_AFTER_DURATIONS = 6;

/**
 * The shard leases of one worker on one stream. Every cycle (a third of the lease duration) it beats its heartbeat,
 * lists the stream's shard items, notices leases it lost, and takes or sheds shards toward fair share. A worker's
 * leases live as long as its heartbeat moves: others take them over after the lease duration without a beat (as
 * observed on their own clocks), and the worker itself stops reading before that (SELF_TRUST), so a paused or
 * partitioned replica never keeps reading a shard that another replica has taken. A child shard is leasable only when
 * the table says its parent reached SHARD_END.
 */
export class StreamLeases {
  private readonly held = new Map<string, LeaseGrant>();
  private readonly shedding = new Set<string>();
  private readonly liveness: WorkerLiveness;
  private readonly now: () => number;
  private readonly log: Logger;
  private lastBeatSentAt = Number.NEGATIVE_INFINITY;
  private cycles = 0;

  constructor(
    private readonly streamArn: string,
    private readonly table: LeaseTable,
    private readonly settings: LeaseSettings,
    private readonly hooks: LeaseHooks,
    private readonly deps: { readonly logger: Logger; readonly metrics: Metrics },
  ) {
    this.now = settings.now ?? Date.now;
    this.liveness = new WorkerLiveness(settings.leaseDurationMs, this.now);
    this.log = deps.logger.child({ workerId: settings.workerId });
  }

  get workerId(): string {
    return this.settings.workerId;
  }

  get intervalMs(): number {
    return this.settings.renewIntervalMs ?? Math.max(50, Math.floor(this.settings.leaseDurationMs / 3));
  }

  /** The grant of a shard this worker holds (and is not handing back). */
  grantOf(shardId: string): LeaseGrant | undefined {
    return this.shedding.has(shardId) ? undefined : this.held.get(shardId);
  }

  heldCount(): number {
    return this.held.size;
  }

  /** Cycles until `stop`; the first one at once, so a lone replica starts reading without waiting. */
  async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      await this.cycle().catch((err: unknown) => this.log.error({ err }, "lease cycle failed"));
      await sleep(this.intervalMs, stop);
    }
  }

  /** One heartbeat + check + rebalance. Public for tests that drive time by hand. */
  async cycle(): Promise<void> {
    this.cycles++;
    const sentAt = this.now();
    try {
      await this.table.heartbeat(this.workerId);
      this.lastBeatSentAt = sentAt;
      this.count("heartbeat", "ok");
    } catch (err) {
      this.count("heartbeat", "error");
      this.log.warn({ err }, "lease heartbeat failed");
    }
    if (this.now() - this.lastBeatSentAt >= SELF_TRUST * this.settings.leaseDurationMs) {
      this.loseAll("no successful heartbeat within the lease duration");
      return;
    }
    let shards: ShardLeaseState[];
    try {
      const [workers, listed] = await Promise.all([
        this.table.listWorkers(),
        this.table.listShards(this.streamArn),
      ]);
      this.liveness.observe(workers);
      shards = listed;
    } catch (err) {
      this.count("list", "error");
      this.log.warn({ err }, "listing leases failed");
      return;
    }
    const byId = new Map(shards.map((s) => [s.shardId, s]));
    this.hooks.finished(shards.filter((s) => s.checkpoint.shardEnd).map((s) => s.shardId));
    this.detectLost(byId);
    await this.rebalance(byId);
    await this.forgetDeadWorkers();
    this.publish();
  }

  /** After the reader of a shard stopped: frees its lease, if we still hold that very lease. */
  async release(shardId: string, fence?: LeaseFence): Promise<void> {
    const grant = this.held.get(shardId);
    if (!grant || (fence && grant.fence.counter !== fence.counter)) return;
    this.held.delete(shardId);
    this.shedding.delete(shardId);
    try {
      const ok = await this.table.release(this.streamArn, shardId, grant.fence);
      this.count("release", ok ? "ok" : "conflict");
      this.log.info({ shardId, counter: grant.fence.counter, ok }, "lease released");
    } catch (err) {
      this.count("release", "error");
      this.log.warn({ shardId, err }, "releasing a lease failed; it expires with our heartbeat");
    }
    this.publish();
  }

  /** Forgets a lease without writing (a fenced write was rejected: another worker may hold it already). */
  drop(shardId: string, fence: LeaseFence): void {
    if (this.held.get(shardId)?.fence.counter !== fence.counter) return;
    this.held.delete(shardId);
    this.shedding.delete(shardId);
    this.publish();
  }

  /** Shutdown, after every reader wrote its last checkpoint: frees every lease and removes our heartbeat. */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((id) => this.release(id)));
    await this.table
      .forgetWorker(this.workerId)
      .catch((err: unknown) => this.log.warn({ err }, "removing the heartbeat item failed"));
  }

  private detectLost(byId: ReadonlyMap<string, ShardLeaseState>): void {
    for (const [shardId, grant] of this.held) {
      const row = byId.get(shardId);
      if (row?.owner === grant.fence.owner && row.counter === grant.fence.counter) continue;
      this.count("lost", "taken_over");
      this.log.warn({ shardId, owner: row?.owner, counter: row?.counter }, "lease lost to another worker");
      this.held.delete(shardId);
      this.shedding.delete(shardId);
      this.hooks.lost(shardId);
    }
  }

  private loseAll(why: string): void {
    if (this.held.size > 0)
      this.log.error({ shards: [...this.held.keys()] }, `stopping every reader: ${why}`);
    for (const shardId of [...this.held.keys()]) {
      this.count("lost", "heartbeat_expired");
      this.held.delete(shardId);
      this.shedding.delete(shardId);
      this.hooks.lost(shardId);
    }
    this.publish();
  }

  private async rebalance(byId: ReadonlyMap<string, ShardLeaseState>): Promise<void> {
    const me = this.workerId;
    const leasable: { shardId: string; liveOwner?: string; row?: ShardLeaseState }[] = [];
    for (const candidate of this.hooks.candidates()) {
      const row = byId.get(candidate.shardId);
      if (row?.checkpoint.shardEnd) continue;
      if (candidate.parentShardId && candidate.parentListed) {
        if (byId.get(candidate.parentShardId)?.checkpoint.shardEnd !== true) continue;
      }
      const owner = row?.owner;
      const liveOwner =
        owner === undefined
          ? undefined
          : owner === me
            ? this.held.has(candidate.shardId)
              ? me
              : undefined
            : this.liveness.isAlive(owner)
              ? owner
              : undefined;
      leasable.push({ shardId: candidate.shardId, liveOwner, row });
    }
    const plan = planShare({ me, leasable, liveWorkers: this.liveness.alive() });
    let took = 0;
    for (const shardId of plan.take) {
      const row = leasable.find((l) => l.shardId === shardId)?.row;
      const seen = { owner: row?.owner, counter: row?.counter ?? 0 };
      try {
        const grant = await this.table.take(this.streamArn, shardId, me, seen);
        if (!grant) {
          this.count("take", "conflict");
          continue;
        }
        this.held.set(shardId, grant);
        took++;
        this.count("take", seen.owner === undefined || seen.owner === me ? "ok" : "expired_owner");
        this.log.info(
          { shardId, counter: grant.fence.counter, previousOwner: seen.owner, target: plan.target },
          seen.owner && seen.owner !== me ? "lease taken over from a dead worker" : "lease taken",
        );
      } catch (err) {
        this.count("take", "error");
        this.log.warn({ shardId, err }, "taking a lease failed");
      }
    }
    const toShed = [...this.held.keys()].filter((id) => !this.shedding.has(id)).slice(0, plan.shed);
    for (const shardId of toShed) {
      this.shedding.add(shardId);
      this.count("shed", "ok");
      this.log.info({ shardId, target: plan.target }, "handing a lease back toward fair share");
      this.hooks.shed(shardId);
    }
    if (took > 0) this.hooks.granted();
  }

  private async forgetDeadWorkers(): Promise<void> {
    // Only every few cycles: deleting other workers' items is housekeeping, not urgent.
    if (this.cycles % 10 !== 0) return;
    for (const dead of this.liveness.longDead(FORGET_AFTER_DURATIONS)) {
      if (dead.workerId === this.workerId) continue;
      await this.table.forgetWorker(dead.workerId, dead.counter).catch(() => undefined);
      this.liveness.forget(dead.workerId);
    }
  }

  private count(op: string, result: string): void {
    this.deps.metrics.leaseOperations.inc({ op, result });
  }

  private publish(): void {
    this.deps.metrics.leases.set({ state: "held" }, this.held.size - this.shedding.size);
    this.deps.metrics.leases.set({ state: "shedding" }, this.shedding.size);
  }
}
