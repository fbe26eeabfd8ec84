import type { StartingPosition } from "../../shared/env-contract";
import type { CheckpointHealth } from "../checkpoint/checkpoint-health";
import { ShardCheckpointer } from "../checkpoint/shard-checkpointer";
import type { CheckpointStore, StreamCheckpoints } from "../checkpoint/store";
import type { RecordDeliverer } from "../delivery/types";
import type { LeaseGrant, LeaseTable } from "../lease/lease-table";
import { type LeaseCandidate, type LeaseSettings, StreamLeases } from "../lease/stream-leases";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { decideShardStart, describePosition } from "./iterator";
import { ShardLineage } from "./lineage";
import type { ProgressMonitor } from "./progress-monitor";
import { awsErrorName, Backoff, classifyAwsError } from "./retry";
import type { ShardDiscovery, ShardInfo, StreamDescription } from "./shard-discovery";
import { ShardReader, type ShardReaderSettings, type ShardReadResult } from "./shard-reader";
import { sleep } from "./sleep";
import { type FirstStart, startStream } from "./stream-start";
import type { StreamsApi } from "./streams-api";

export interface StreamConsumerSettings extends ShardReaderSettings {
  readonly startingPosition: StartingPosition;
  readonly checkpointIntervalMs: number;
  /** Periodic full DescribeStream: the fallback that finds shards the child lookup missed. */
  readonly shardSyncIntervalMs: number;
  /** Child lookups right after a shard ends (children may appear a moment after their parent closes). */
  readonly childLookupAttempts: number;
  readonly retentionMs?: number;
  readonly now?: () => number;
}

export interface StreamConsumerDeps {
  readonly api: StreamsApi;
  readonly discovery: ShardDiscovery;
  readonly store: CheckpointStore;
  readonly deliverer: RecordDeliverer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly progress: ProgressMonitor;
  readonly checkpointHealth: CheckpointHealth;
  readonly table: { readonly arn: string; readonly region: string };
  /** Shard leases (scale-out across replicas); absent with in-memory checkpoints: this process owns every shard. */
  readonly leasing?: { readonly table: LeaseTable; readonly settings: LeaseSettings };
}

/** A running reader of a leased shard: how to stop it, and why it was stopped. */
interface LeasedReader {
  readonly grant: LeaseGrant;
  readonly stop: AbortController;
  readonly abortDelivery: AbortController;
  why?: "shed" | "lost";
}

export interface StreamConsumerSignals {
  readonly stop: AbortSignal;
  readonly delivery: AbortSignal;
}

/** `completed`: the stream is disabled and every shard was read to its end. */
export type StreamConsumerResult = "completed" | "stopped";

/**
 * Reads one stream: lists its shards, starts a reader per shard whose parent is finished, finds the children of a
 * shard the moment it ends, and re-lists the stream periodically. Completes only when the stream is DISABLED and
 * all of its shards are finished, which is how an old stream is drained before the table's new one is read.
 */
export class StreamConsumer {
  private readonly lineage = new ShardLineage();
  private readonly running = new Map<string, Promise<void>>();
  private readonly log: Logger;
  private readonly now: () => number;
  private status: string | undefined;
  private checkpoints: StreamCheckpoints = { shards: new Map() };
  /** STARTING_POSITION for the initial shards when this process is the consumer's very first start. */
  private firstStart: FirstStart | undefined;
  private wakeUp: (() => void) | undefined;
  /** A wake-up that came while the loop was busy (not waiting): the next wait returns at once. */
  private wakePending = false;
  private syncRequested = false;
  /** The last error that keeps the consumer from listing shards or reading checkpoints (for readiness). */
  problem: string | undefined;
  private readonly leases: StreamLeases | undefined;
  private readonly leasedReaders = new Map<string, LeasedReader>();
  /** Initial shards already started at STARTING_POSITION: a second start (lease regained) uses TRIM_HORIZON. */
  private readonly firstStartUsed = new Set<string>();
  private stopSignal: AbortSignal | undefined;

  constructor(
    readonly streamArn: string,
    private readonly deps: StreamConsumerDeps,
    private readonly settings: StreamConsumerSettings,
    /** True when the consumer has read another stream before (then every shard starts at TRIM_HORIZON). */
    private readonly followsEarlierStream: boolean,
  ) {
    this.log = deps.logger.child({ streamArn });
    this.now = settings.now ?? Date.now;
    this.leases = deps.leasing
      ? new StreamLeases(
          streamArn,
          deps.leasing.table,
          deps.leasing.settings,
          {
            candidates: () => this.leaseCandidates(),
            finished: (ids) => this.finishedElsewhere(ids),
            lost: (id) => this.stopLeasedReader(id, "lost"),
            shed: (id) => this.stopLeasedReader(id, "shed"),
            granted: () => this.wake(),
          },
          deps,
        )
      : undefined;
  }

  /** With leases, a replica holding no shard is a ready standby. */
  get leased(): boolean {
    return this.leases !== undefined;
  }

  /** Asks for a full shard sync now (e.g. the table's LatestStreamArn changed). */
  requestSync(): void {
    this.syncRequested = true;
    this.wake();
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }

  shardCounts() {
    return this.lineage.counts();
  }

  async run(signals: StreamConsumerSignals): Promise<StreamConsumerResult> {
    const initial = await this.initialize(signals.stop);
    if (initial === "stopped") return this.finishRun();
    if (initial === "gone") return "completed";
    this.stopSignal = signals.stop;
    const leaseLoop = new AbortController();
    const leasing = this.leases?.run(AbortSignal.any([signals.stop, leaseLoop.signal]));
    try {
      return await this.readUntilDone(signals);
    } finally {
      leaseLoop.abort();
      await leasing;
      // Every reader has written its last checkpoint: hand the leases over at once (rolling update in seconds).
      await this.leases?.releaseAll();
    }
  }

  private async readUntilDone(signals: StreamConsumerSignals): Promise<StreamConsumerResult> {
    let nextSyncAt = this.now() + this.settings.shardSyncIntervalMs;
    while (!signals.stop.aborted) {
      this.startReadableShards(signals);
      if (this.isCompleted()) {
        await this.markCompleted();
        return "completed";
      }
      await this.waitForWork(nextSyncAt - this.now(), signals.stop);
      if (signals.stop.aborted) break;
      if (this.syncRequested || this.now() >= nextSyncAt) {
        this.syncRequested = false;
        nextSyncAt = this.now() + this.settings.shardSyncIntervalMs;
        const listing = await this.listShards(signals.stop);
        if (listing === "gone") {
          await Promise.all(this.running.values());
          return "completed";
        }
        if (listing) this.addShards(listing);
      }
    }
    return this.finishRun();
  }

  private async finishRun(): Promise<StreamConsumerResult> {
    await Promise.all(this.running.values());
    this.publishShardCounts();
    return "stopped";
  }

  /** Loads checkpoints, lists the shards and decides the consumer's starting positions (once per stream). */
  private async initialize(stop: AbortSignal): Promise<"ok" | "stopped" | "gone"> {
    const loaded = await this.retryStore(
      "load checkpoints",
      () => this.deps.store.load(this.streamArn),
      stop,
    );
    if (loaded === undefined) return "stopped";
    this.checkpoints = loaded;
    let listing: StreamDescription | "gone" | undefined;
    while (!listing) {
      listing = await this.listShards(stop);
      if (stop.aborted) return "stopped";
    }
    if (listing === "gone") return "gone";

    if (!loaded.meta) {
      const started = await startStream({
        store: this.deps.store,
        streamArn: this.streamArn,
        listing,
        followsEarlierStream: this.followsEarlierStream,
        startingPosition: this.settings.startingPosition,
        now: this.now(),
        log: this.log,
        retry: (what, call) => this.retryStore(what, call, stop),
      });
      if (!started) return "stopped";
      this.firstStart = started.firstStart;
      this.checkpoints = { ...this.checkpoints, meta: started.meta };
    }
    for (const [shardId, checkpoint] of loaded.shards) {
      if (checkpoint.shardEnd) this.lineage.add([{ shardId, closed: true }]);
      if (checkpoint.shardEnd) this.lineage.markFinished(shardId);
    }
    this.addShards(listing);
    return "ok";
  }

  private addShards(listing: StreamDescription): void {
    if (listing.status) this.status = listing.status;
    const added = this.lineage.add(listing.shards);
    if (added.length > 0) this.log.debug({ shards: added.map((s) => s.shardId) }, "new shards");
  }

  private startReadableShards(signals: StreamConsumerSignals): void {
    for (const shard of this.lineage.takeReadable()) {
      if (this.leases && !this.leases.grantOf(shard.shardId)) {
        this.lineage.park(shard.shardId);
        continue;
      }
      this.startShard(shard, signals);
    }
    this.publishShardCounts();
  }

  private startShard(shard: ShardInfo, signals: StreamConsumerSignals): void {
    const grant = this.leases?.grantOf(shard.shardId);
    // A lease comes with the checkpoint as it was when taken: fresher than the one loaded at start.
    const checkpoint = grant ? grant.checkpoint : this.checkpoints.shards.get(shard.shardId);
    const initialPosition =
      this.firstStart?.shardIds.has(shard.shardId) && !this.firstStartUsed.has(shard.shardId)
        ? this.firstStart.position
        : undefined;
    this.firstStartUsed.add(shard.shardId);
    const start = decideShardStart({
      checkpoint,
      shardClosed: shard.closed,
      firstStartPosition: initialPosition,
      now: this.now(),
      retentionMs: this.settings.retentionMs,
    });
    const log = this.log.child({ shardId: shard.shardId });
    if (start.kind === "finished") {
      this.lineage.markFinished(shard.shardId);
      if (start.why === "before-first-start") {
        log.info("shard closed before the consumer's first start (LATEST): nothing to read");
        // Tracked like a reader so that a stop waits for it: without it a restart would read the shard's history.
        const saving = this.saveFinished(shard.shardId, grant).then(() => {
          this.running.delete(shard.shardId);
          this.wake();
        });
        this.running.set(shard.shardId, saving);
      } else if (grant) void this.leases?.release(shard.shardId, grant.fence);
      this.wake();
      return;
    }
    const leased: LeasedReader | undefined = grant
      ? { grant, stop: new AbortController(), abortDelivery: new AbortController() }
      : undefined;
    if (leased) this.leasedReaders.set(shard.shardId, leased);
    const checkpointer = new ShardCheckpointer(
      this.deps.store,
      this.streamArn,
      shard.shardId,
      {
        intervalMs: this.settings.checkpointIntervalMs,
        now: this.settings.now,
        fence: grant?.fence,
        onConflict: grant
          ? () => {
              this.leases?.drop(shard.shardId, grant.fence);
              this.stopLeasedReader(shard.shardId, "lost");
            }
          : undefined,
      },
      this.deps,
      !start.expiredCheckpoint && checkpoint?.sequenceNumber
        ? { sequenceNumber: checkpoint.sequenceNumber, updatedAt: checkpoint.updatedAt }
        : undefined,
    );
    const reader = new ShardReader(
      {
        tableArn: this.deps.table.arn,
        region: this.deps.table.region,
        streamArn: this.streamArn,
        shardId: shard.shardId,
      },
      start.position,
      checkpointer,
      this.deps,
      this.settings,
      leased
        ? {
            stop: AbortSignal.any([signals.stop, leased.stop.signal]),
            delivery: AbortSignal.any([signals.delivery, leased.abortDelivery.signal]),
          }
        : signals,
    );
    if (start.expiredCheckpoint) {
      reader.reportPossibleLoss("checkpoint_expired", start.expiredCheckpoint.sequenceNumber);
    }
    log.debug({ position: describePosition(start.position) }, "starting shard reader");
    const done = reader
      .run()
      .catch((err: unknown): ShardReadResult => {
        // A bug, not an AWS error (those are handled in the reader): keep the process alive, retry at next sync.
        log.error({ err }, "shard reader failed");
        return "stopped";
      })
      .then((result) =>
        leased
          ? this.onLeasedReaderDone(shard, result, signals, leased, checkpointer.endWritten)
          : this.onReaderDone(shard, result, signals),
      );
    this.running.set(shard.shardId, done);
  }

  private async onLeasedReaderDone(
    shard: ShardInfo,
    result: ShardReadResult,
    signals: StreamConsumerSignals,
    reader: LeasedReader,
    endWritten: boolean,
  ): Promise<void> {
    this.running.delete(shard.shardId);
    this.leasedReaders.delete(shard.shardId);
    const fence = reader.grant.fence;
    if (result === "ended" && endWritten) {
      // SHARD_END is in the table: the children become leasable, by any replica.
      this.lineage.markFinished(shard.shardId);
      this.publishShardCounts();
      await this.leases?.release(shard.shardId, fence);
      await this.lookUpChildren(shard.shardId, signals.stop);
    } else if (!signals.stop.aborted) {
      // Shed, lost, or failed: a lost lease is not ours to release; the others are handed back and offered again.
      if (reader.why !== "lost") await this.leases?.release(shard.shardId, fence);
      if (reader.why === undefined) await sleep(this.settings.backoff.capMs, signals.stop);
      this.lineage.reset(shard.shardId);
    }
    this.wake();
  }

  private stopLeasedReader(shardId: string, why: "shed" | "lost"): void {
    const reader = this.leasedReaders.get(shardId);
    if (!reader) {
      // Granted but not started yet: nothing to stop; a shed lease is handed back right away.
      if (why === "shed") void this.leases?.release(shardId);
      return;
    }
    reader.why ??= why;
    // A lost lease may already be read by another replica: stop delivering now, not after the batch.
    if (why === "lost") reader.abortDelivery.abort();
    reader.stop.abort();
  }

  private leaseCandidates(): LeaseCandidate[] {
    return this.lineage.unfinished().map(({ info, parentListed }) => ({
      shardId: info.shardId,
      parentShardId: info.parentShardId,
      parentListed,
    }));
  }

  /** Shards the table says are finished (read to SHARD_END by any replica): their children may be read. */
  private finishedElsewhere(shardIds: readonly string[]): void {
    let changed = false;
    for (const shardId of shardIds) {
      if (this.lineage.isReading(shardId)) continue;
      if (!this.lineage.has(shardId)) this.lineage.add([{ shardId, closed: true }]);
      if (this.lineage.isFinished(shardId)) continue;
      this.lineage.markFinished(shardId);
      changed = true;
      const stop = this.stopSignal;
      if (stop && !this.lineage.hasChildren(shardId))
        void this.lookUpChildren(shardId, stop).then(() => this.wake());
    }
    if (changed) this.wake();
  }

  private async onReaderDone(shard: ShardInfo, result: ShardReadResult, signals: StreamConsumerSignals) {
    this.running.delete(shard.shardId);
    if (result === "ended") {
      this.lineage.markFinished(shard.shardId);
      this.publishShardCounts();
      await this.lookUpChildren(shard.shardId, signals.stop);
    } else if (!signals.stop.aborted) {
      // Ended abnormally while not stopping: read it again from its checkpoint, after a pause.
      await sleep(this.settings.backoff.capMs, signals.stop);
      this.checkpoints = await this.deps.store.load(this.streamArn).catch(() => this.checkpoints);
      this.lineage.reset(shard.shardId);
    }
    this.wake();
  }

  /** ShardFilter CHILD_SHARDS at once, with a few retries: children can appear a moment after the parent ends. */
  private async lookUpChildren(parentShardId: string, stop: AbortSignal): Promise<void> {
    // Children listed already (a split before the last sync) need no DescribeStream call of the shared budget.
    if (this.lineage.hasChildren(parentShardId)) return;
    const backoff = new Backoff({ baseMs: 50, capMs: 1_000 });
    for (let attempt = 0; attempt < this.settings.childLookupAttempts && !stop.aborted; attempt++) {
      try {
        const found = await this.deps.discovery.findChildren(this.streamArn, parentShardId, stop);
        this.addShards(found);
        if (found.shards.length > 0 || isDisabled(found.status)) return;
      } catch (err) {
        if (classifyAwsError(err) === "aborted") return;
        this.log.warn({ shardId: parentShardId, error: awsErrorName(err) }, "child shard lookup failed");
      }
      await sleep(backoff.nextDelayMs(), stop);
    }
    this.log.debug({ shardId: parentShardId }, "no child shards yet; the periodic sync will find them");
  }

  private async listShards(stop: AbortSignal): Promise<StreamDescription | "gone" | undefined> {
    try {
      const listing = await this.deps.discovery.listShards(this.streamArn, stop);
      this.problem = undefined;
      return listing;
    } catch (err) {
      const kind = classifyAwsError(err);
      if (kind === "aborted" || stop.aborted) return undefined;
      if (kind === "not-found") {
        this.log.warn("stream no longer exists (older than 24 h after being disabled); nothing more to read");
        await this.markCompleted();
        return "gone";
      }
      this.problem = `DescribeStream failed: ${awsErrorName(err)}`;
      this.log.error({ error: awsErrorName(err), err }, "DescribeStream failed; retrying");
      await sleep(this.settings.backoff.capMs, stop);
      return undefined;
    }
  }

  private isCompleted(): boolean {
    return isDisabled(this.status) && this.running.size === 0 && this.lineage.allFinished();
  }

  private async markCompleted(): Promise<void> {
    this.log.info("stream disabled and read to its end");
    this.publishShardCounts();
    try {
      await this.deps.store.markStreamCompleted(this.streamArn, this.now());
    } catch (err) {
      this.log.warn({ err }, "could not mark the stream completed; it will be checked again after a restart");
    }
  }

  private async saveFinished(shardId: string, grant?: LeaseGrant): Promise<void> {
    try {
      await this.deps.store.saveShard(this.streamArn, shardId, { shardEnd: true }, grant?.fence);
    } catch (err) {
      this.log.warn({ shardId, err }, "could not checkpoint a skipped shard");
    }
    if (grant) await this.leases?.release(shardId, grant.fence);
  }

  private waitForWork(ms: number, stop: AbortSignal): Promise<void> {
    if (this.wakePending || stop.aborted) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const ac = new AbortController();
      const done = () => {
        this.wakeUp = undefined;
        stop.removeEventListener("abort", done);
        ac.abort();
        resolve();
      };
      this.wakeUp = done;
      stop.addEventListener("abort", done, { once: true });
      void sleep(Math.max(0, ms), ac.signal).then(done);
    });
  }

  private async retryStore<T>(
    what: string,
    call: () => Promise<T>,
    stop: AbortSignal,
  ): Promise<T | undefined> {
    const backoff = new Backoff(this.settings.backoff);
    while (!stop.aborted) {
      try {
        const result = await call();
        this.problem = undefined;
        return result;
      } catch (err) {
        this.problem = `checkpoint store: ${what} failed: ${awsErrorName(err)}`;
        this.deps.metrics.awsErrors.inc({ operation: `checkpoint:${what}`, error: awsErrorName(err) });
        this.log.error({ err }, `checkpoint store: ${what} failed; retrying`);
        await sleep(backoff.nextDelayMs(), stop);
      }
    }
    return undefined;
  }

  private publishShardCounts(): void {
    const counts = this.lineage.counts();
    for (const [state, count] of Object.entries(counts)) this.deps.metrics.shards.set({ state }, count);
  }
}

function isDisabled(status: string | undefined): boolean {
  return status === "DISABLED";
}
