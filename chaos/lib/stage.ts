import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBLocal } from "../../src/cli/dev/dynamodb-local";
import { DynamoDBLeaseTable } from "../../src/poller/lease/dynamodb-lease-table";
import { createSourceTable, localTableArn } from "../../test/poller/fakes/local-tables";
import { CloudEventsReceiver } from "../../test/support/receiver";
import { Ledger } from "./ledger";
import { PollerFleet } from "./pollers";
import { VersionWriter } from "./writer";

export const CHECKPOINT_TABLE = "chaos-checkpoints";

export interface StageOptions {
  readonly items: number;
  readonly leaseDuration: string;
  /** Poller environment overrides of one scenario. */
  readonly env?: Readonly<Record<string, string>>;
}

/** One scenario's world: a source table with a stream, a writer, the receiver and its ledger, poller processes. */
export class Stage {
  readonly ledger = new Ledger();
  readonly writer: VersionWriter;
  readonly fleet: PollerFleet;
  readonly consumer: string;
  private collected = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly table: string,
    readonly streamArn: string,
    readonly receiver: CloudEventsReceiver,
    private readonly db: DynamoDBClient,
    local: DynamoDBLocal,
    options: StageOptions,
  ) {
    this.writer = new VersionWriter(db, table, options.items);
    this.consumer = `chaos/${table}`;
    this.fleet = new PollerFleet({
      PATH: process.env.PATH,
      ARN: localTableArn(table),
      K_SINK: receiver.url,
      STARTING_POSITION: "TRIM_HORIZON",
      CHECKPOINT_TABLE,
      CHECKPOINT_TABLE_CREATE: "true",
      CONSUMER_NAME: this.consumer,
      POLL_INTERVAL: "100",
      LEASE_DURATION: options.leaseDuration,
      // Linear backoff (0.5 s × attempt): a sink back after 30 s is retried within seconds, not minutes.
      DELIVERY_RETRY: "40",
      DELIVERY_BACKOFF_POLICY: "linear",
      DELIVERY_BACKOFF_DELAY: "500",
      DELIVERY_TIMEOUT: "5000",
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? "warn",
      ...options.env,
      AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: local.endpoint,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    this.timer = setInterval(() => this.collect(), 50);
  }

  static async open(
    local: DynamoDBLocal,
    db: DynamoDBClient,
    name: string,
    options: StageOptions,
  ): Promise<Stage> {
    const table = `chaos-${name}-${Date.now()}`;
    await createSourceTable(db, table, "NEW_AND_OLD_IMAGES");
    const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
    const receiver = await CloudEventsReceiver.start();
    return new Stage(table, Table?.LatestStreamArn ?? "", receiver, db, local, options);
  }

  /** Moves the receiver's new 2xx requests into the ledger. */
  collect(): void {
    const requests = this.receiver.requests;
    for (; this.collected < requests.length; this.collected++) {
      const request = requests[this.collected];
      if (request && typeof request.answer === "number" && request.answer < 300)
        this.ledger.add(request.events, request.receivedAt);
    }
  }

  /** Waits until every written version was delivered, or `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.collect();
      if (this.ledger.tally(this.writer.written).lost === 0) return true;
      await sleep(100);
    }
    return false;
  }

  /** The worker that holds the stream's (only) shard lease on DynamoDB Local. */
  async leaseOwner(): Promise<string | undefined> {
    const leases = new DynamoDBLeaseTable(this.db, CHECKPOINT_TABLE, this.consumer);
    const shards = await leases.listShards(this.streamArn);
    return shards.find((s) => s.owner !== undefined && !s.checkpoint.shardEnd)?.owner;
  }

  /** Most events the sink accepted within any one second (bounds the duplicates one crash may cause). */
  peakPerSecond(): number {
    const times = this.ledger.firstSeenAt;
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while ((times[hi] ?? 0) - (times[lo] ?? 0) > 1000) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  /** Whether versions written so far are still undelivered (a disruption now has something to delay). */
  backlogged(): boolean {
    this.collect();
    return this.ledger.distinct < this.writer.total;
  }

  /** Time from `at` to the next first delivery of a version (how long the disruption stopped progress). */
  recoveryMs(at: number): number | undefined {
    const next = this.ledger.firstSeenAt.find((t) => t >= at);
    return next === undefined ? undefined : next - at;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.fleet.stopAll();
    this.collect();
    await this.receiver.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
