import type { _Record as StreamRecord } from "@aws-sdk/client-dynamodb-streams";
import type { BackoffPolicy, ContentMode, DataFormat } from "../../shared/env-contract";

export { ContentMode } from "../../shared/env-contract";
export type { StreamRecord };

/** Everything the delivery side needs; built from the validated environment by the poller's config. */
export interface DeliveryOptions {
  readonly sinkUrl: string;
  /** Knative `delivery.retry`: attempts after the first one. */
  readonly retry: number;
  readonly backoffPolicy: BackoffPolicy;
  /** Knative `delivery.backoffDelay`, in ms: the base of the backoff. */
  readonly backoffDelayMs: number;
  /** Knative `delivery.timeout`, in ms: per attempt. */
  readonly timeoutMs: number;
  readonly deadLetterSinkUrl?: string;
  /** `K_CE_OVERRIDES` extensions, added to every event. */
  readonly ceOverrides: Readonly<Record<string, string>>;
  readonly dataFormat: DataFormat;
  readonly contentMode: ContentMode;
  /** `PARALLELISM`: per-key ordered lanes per shard batch. Default 1 (one event at a time). */
  readonly parallelism?: number;
  /** CloudEvents batch mode (`BATCH_SIZE` > 1); absent: one event per request, in `contentMode`. */
  readonly batch?: BatchOptions;
}

/** Limits of one `application/cloudevents-batch+json` request. */
export interface BatchOptions {
  /** `BATCH_SIZE`: events per request (> 1). */
  readonly maxEvents: number;
  /** `BATCH_MAX_BYTES`: body size; a single event bigger than this still goes, alone. */
  readonly maxBytes: number;
  /** `BATCH_WINDOW`, in ms: how long the reader may wait for more records after a page that fills no batch. */
  readonly windowMs: number;
}

/** Where a record came from: what the CloudEvent needs beyond the record itself. */
export interface ShardContext {
  /** The table ARN exactly as configured: the CloudEvents `source`. */
  readonly tableArn: string;
  readonly region: string;
  readonly streamArn: string;
  readonly shardId: string;
}

/** Terminal outcome of one record: after any of these the record may be checkpointed. */
export type DeliveryOutcome = "delivered" | "dead-lettered" | "dropped";

/** What the reader hears per record: a delivery outcome, or `filtered` (no FILTER pattern matched; never sent). */
export type SettledOutcome = DeliveryOutcome | "filtered";

export interface RecordDeliverer {
  /**
   * Delivers `records` (one shard's batch, in stream order) so that events of the same item reach the sink in
   * order. Calls `onSettled` once per record as it reaches a terminal outcome, in stream order. Resolves when every
   * record is settled; rejects with the abort reason if `signal` aborts first (records not yet settled are then
   * left undelivered and must not be checkpointed).
   */
  deliver(
    records: readonly StreamRecord[],
    context: ShardContext,
    onSettled: (record: StreamRecord, outcome: SettledOutcome) => void,
    signal: AbortSignal,
  ): Promise<void>;
  close(): Promise<void>;
  /** Batch mode's window for the reader (`BATCH_WINDOW`); absent: pages are read back to back. Wrappers pass it on. */
  readonly pageFill?: PageFill;
}

/**
 * After a page of fewer than `records` records, the reader waits until `windowMs` after reading it before the next
 * GetRecords (instead of prefetching), so records that trickle in arrive as one fuller page, hence fuller batches.
 */
export interface PageFill {
  readonly records: number;
  readonly windowMs: number;
}
