import { setMaxListeners } from "node:events";
import type { TableArn } from "../shared/table-arn";
import { CheckpointHealth } from "./checkpoint/checkpoint-health";
import type { CheckpointStore, StreamMeta } from "./checkpoint/store";
import type { RecordDeliverer } from "./delivery/types";
import type { LeaseTable } from "./lease/lease-table";
import type { LeaseSettings } from "./lease/stream-leases";
import type { Logger } from "./ops/logger";
import type { Metrics } from "./ops/metrics";
import { ProgressMonitor } from "./stream/progress-monitor";
import { RateLimiter } from "./stream/rate-limiter";
import { Backoff } from "./stream/retry";
import { ShardDiscovery } from "./stream/shard-discovery";
import { sleep } from "./stream/sleep";
import { StreamConsumer, type StreamConsumerSettings } from "./stream/stream-consumer";
import { locateStream } from "./stream/stream-locator";
import type { StreamsApi, TableApi } from "./stream/streams-api";

export interface PollerSettings extends StreamConsumerSettings {
  readonly table: TableArn;
  readonly region: string;
  /** Not ready when a shard makes no progress for this long (PROGRESS_TIMEOUT). */
  readonly progressTimeoutMs: number;
  /** How often DescribeTable checks for a changed LatestStreamArn or a stream enabled later. */
  readonly tableRecheckIntervalMs: number;
  /** DescribeStream budget of the whole process (the API allows 10/s). */
  readonly describeStreamPerSecond: number;
  /** After stop(), in-flight deliveries get this long before they are aborted. */
  readonly shutdownDeadlineMs: number;
}

export interface PollerDeps {
  readonly tableApi: TableApi;
  readonly streamsApi: StreamsApi;
  readonly store: CheckpointStore;
  readonly deliverer: RecordDeliverer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Shard leases in the checkpoint table (several replicas); absent: this process reads every shard. */
  readonly leasing?: { readonly table: LeaseTable; readonly settings: LeaseSettings };
}

export interface Readiness {
  readonly ready: boolean;
  readonly reason?: string;
}

type PollerState =
  | { readonly kind: "starting" }
  | { readonly kind: "not-reading"; readonly reason: string }
  | { readonly kind: "reading"; readonly consumer: StreamConsumer }
  | { readonly kind: "stopping" };

/** Default tuning that is not part of the environment contract. */
export const POLLER_TUNING = {
  checkpointIntervalMs: 1_000,
  shardSyncIntervalMs: 60_000,
  tableRecheckIntervalMs: 30_000,
  childLookupAttempts: 5,
  describeStreamPerSecond: 8,
  shutdownDeadlineMs: 25_000,
  backoff: { baseMs: 100, capMs: 10_000 },
} as const;

/**
 * Finds the table's stream and reads it; follows a changed LatestStreamArn after the old stream is read to its end;
 * finishes streams an earlier run left unfinished first. Never exits on its own: problems show in readiness.
 */
export class Poller {
  private readonly stopController = new AbortController();
  private readonly deliveryController = new AbortController();
  private readonly progress = new ProgressMonitor();
  private readonly checkpointHealth = new CheckpointHealth();
  private readonly discovery: ShardDiscovery;
  private readonly log: Logger;
  private state: PollerState = { kind: "starting" };
  private running: Promise<void> | undefined;
  /** Streams this process (or an earlier run) read to their end. */
  private readonly completedStreams = new Set<string>();
  private hasReadAStream = false;

  constructor(
    private readonly deps: PollerDeps,
    private readonly settings: PollerSettings,
  ) {
    this.log = deps.logger;
    // Every shard reader listens on these two signals.
    setMaxListeners(0, this.stopController.signal, this.deliveryController.signal);
    this.discovery = new ShardDiscovery(deps.streamsApi, new RateLimiter(settings.describeStreamPerSecond), {
      logger: deps.logger,
      metrics: deps.metrics,
      backoff: settings.backoff,
    });
  }

  /** Runs until stop(); resolves once every reader has stopped and written its checkpoint. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /**
   * Graceful stop: no new GetRecords; batches being delivered get `shutdownDeadlineMs`, then their delivery is
   * aborted; every shard writes its last contiguously settled checkpoint.
   */
  async stop(): Promise<void> {
    if (!this.stopController.signal.aborted) {
      this.log.info(
        { deadlineMs: this.settings.shutdownDeadlineMs },
        "stopping: finishing in-flight batches",
      );
      this.state = { kind: "stopping" };
      this.stopController.abort();
    }
    const deadline = setTimeout(() => {
      this.log.warn("shutdown deadline reached: aborting in-flight deliveries");
      this.deliveryController.abort();
    }, this.settings.shutdownDeadlineMs);
    try {
      await this.running;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** A second SIGTERM/SIGINT: do not wait for the deadline, abort in-flight deliveries now. */
  abortInFlight(): void {
    this.deliveryController.abort();
  }

  readiness(): Readiness {
    const state = this.state;
    switch (state.kind) {
      case "starting":
        return { ready: false, reason: "looking up the table's stream" };
      case "stopping":
        return { ready: false, reason: "shutting down" };
      case "not-reading":
        return { ready: false, reason: state.reason };
      case "reading": {
        const counts = state.consumer.shardCounts();
        // With leases, a replica that listed the shards but holds none is a ready standby.
        const standby = state.consumer.leased && Object.values(counts).some((n) => n > 0);
        if (this.progress.trackedCount === 0 && counts.reading === 0 && !standby) {
          const problem = state.consumer.problem ? ` (${state.consumer.problem})` : "";
          return { ready: false, reason: `listing the shards of ${state.consumer.streamArn}${problem}` };
        }
        const stalled = this.progress.stalled(this.settings.progressTimeoutMs);
        const first = stalled[0];
        if (first) {
          return {
            ready: false,
            reason: `shard ${first.shardId} made no progress for ${Math.round(first.stalledMs / 1000)} s (${stalled.length} shard(s) stalled; PROGRESS_TIMEOUT ${Math.round(this.settings.progressTimeoutMs / 1000)} s)`,
          };
        }
        const failing = this.checkpointHealth.failingLongerThan(this.settings.progressTimeoutMs);
        if (failing) {
          return {
            ready: false,
            reason: `checkpoint writes for shard ${failing.shardId} have failed for ${Math.round(failing.failingMs / 1000)} s (${failing.error}; ${failing.shards} shard(s); ${this.deps.store.description}): records are still delivered, but a restart would deliver again everything since the last saved checkpoint`,
          };
        }
        return { ready: true };
      }
    }
  }

  private get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  private async loop(): Promise<void> {
    const unfinished = await this.unfinishedStreams();
    let lastReason: string | undefined;
    while (!this.stopSignal.aborted) {
      const lookup = await locateStream(
        this.deps.tableApi,
        this.settings.table.tableName,
        this.deps,
        this.stopSignal,
      );
      if (this.stopSignal.aborted) break;
      if (lookup.kind !== "found") {
        if (lookup.reason !== lastReason) this.log.error({ table: this.settings.table.arn }, lookup.reason);
        lastReason = lookup.reason;
        this.setNotReading(lookup.reason);
        await sleep(this.settings.tableRecheckIntervalMs, this.stopSignal);
        continue;
      }
      const latest = lookup.info.latestStreamArn;
      // Streams an earlier run left unfinished come first: their records precede the new stream's.
      for (const old of unfinished.splice(0).filter((m) => m.streamArn !== latest)) {
        await this.consume(old.streamArn);
        if (this.stopSignal.aborted) return;
      }
      if (this.completedStreams.has(latest)) {
        const reason = `the stream of table ${this.settings.table.tableName} is disabled and was read to its end; enable the stream to resume`;
        if (reason !== lastReason) this.log.error({ streamArn: latest }, reason);
        lastReason = reason;
        this.setNotReading(reason);
        await sleep(this.settings.tableRecheckIntervalMs, this.stopSignal);
        continue;
      }
      lastReason = undefined;
      await this.consume(latest);
    }
  }

  /** Reads one stream until it is completed (disabled and drained) or the poller stops. */
  private async consume(streamArn: string): Promise<void> {
    const consumer = new StreamConsumer(
      streamArn,
      {
        ...this.deps,
        api: this.deps.streamsApi,
        discovery: this.discovery,
        progress: this.progress,
        checkpointHealth: this.checkpointHealth,
        table: { arn: this.settings.table.arn, region: this.settings.region },
      },
      this.settings,
      this.hasReadAStream,
    );
    this.hasReadAStream = true;
    this.state = { kind: "reading", consumer };
    this.log.info({ streamArn }, "reading stream");
    const watching = new AbortController();
    const watcher = this.watchTable(consumer, watching.signal);
    const result = await consumer.run({ stop: this.stopSignal, delivery: this.deliveryController.signal });
    watching.abort();
    await watcher;
    if (result === "completed") this.completedStreams.add(streamArn);
  }

  /** While a stream is read, a changed or disabled stream on the table triggers a shard sync at once. */
  private async watchTable(consumer: StreamConsumer, signal: AbortSignal): Promise<void> {
    const both = AbortSignal.any([signal, this.stopSignal]);
    let announced = false;
    while (!both.aborted) {
      await sleep(this.settings.tableRecheckIntervalMs, both);
      if (both.aborted) return;
      const lookup = await locateStream(this.deps.tableApi, this.settings.table.tableName, this.deps, both);
      if (
        lookup.kind !== "found" ||
        lookup.info.latestStreamArn !== consumer.streamArn ||
        !lookup.info.streamEnabled
      ) {
        if (!announced)
          this.log.info(
            {
              streamArn: consumer.streamArn,
              latestStreamArn: lookup.kind === "found" ? lookup.info.latestStreamArn : undefined,
            },
            "the table's stream changed or was disabled: finishing the current stream first",
          );
        announced = true;
        consumer.requestSync();
      }
    }
  }

  private async unfinishedStreams(): Promise<StreamMeta[]> {
    const backoff = new Backoff(this.settings.backoff);
    while (!this.stopSignal.aborted) {
      try {
        const metas = await this.deps.store.listStreams();
        for (const m of metas) if (m.completedAt !== undefined) this.completedStreams.add(m.streamArn);
        if (metas.length > 0) this.hasReadAStream = true;
        return metas.filter((m) => m.completedAt === undefined).sort((a, b) => a.createdAt - b.createdAt);
      } catch (err) {
        this.setNotReading(`checkpoint store (${this.deps.store.description}) is not readable`);
        this.log.error({ err }, "listing the consumer's streams in the checkpoint store failed; retrying");
        await sleep(backoff.nextDelayMs(), this.stopSignal);
      }
    }
    return [];
  }

  private setNotReading(reason: string): void {
    if (!this.stopSignal.aborted) this.state = { kind: "not-reading", reason };
  }
}
