import type { DescribeStreamOutput, Shard } from "@aws-sdk/client-dynamodb-streams";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import type { RateLimiter } from "./rate-limiter";
import { type BackoffPolicy, retryTransient } from "./retry";
import type { StreamsApi } from "./streams-api";

export interface ShardInfo {
  readonly shardId: string;
  readonly parentShardId?: string;
  /** An `EndingSequenceNumber` is set: the shard takes no new records and its iterator ends. */
  readonly closed: boolean;
}

export interface StreamDescription {
  /** ENABLING | ENABLED | DISABLING | DISABLED. */
  readonly status?: string;
  readonly shards: readonly ShardInfo[];
}

/** DescribeStream's maximum page size. */
export const DESCRIBE_STREAM_PAGE_SIZE = 100;

/**
 * Paginated DescribeStream through a process-wide rate limiter (the API allows 10 calls/s per stream). Throttling
 * and transient errors are retried here; other errors (ResourceNotFound, AccessDenied) reach the caller.
 */
export class ShardDiscovery {
  constructor(
    private readonly api: StreamsApi,
    private readonly limiter: RateLimiter,
    private readonly deps: { logger: Logger; metrics: Metrics; backoff?: BackoffPolicy },
    private readonly pageSize = DESCRIBE_STREAM_PAGE_SIZE,
  ) {}

  /** Every shard of the stream (all pages). */
  async listShards(streamArn: string, signal?: AbortSignal): Promise<StreamDescription> {
    return this.describeAllPages(streamArn, undefined, signal);
  }

  /**
   * The children of a finished shard, with `ShardFilter: CHILD_SHARDS`. The filter is only a hint: DynamoDB Local
   * ignores it and returns every shard, so the parent link is checked here.
   */
  async findChildren(
    streamArn: string,
    parentShardId: string,
    signal?: AbortSignal,
  ): Promise<StreamDescription> {
    const page = await this.describeAllPages(streamArn, parentShardId, signal);
    return { status: page.status, shards: page.shards.filter((s) => s.parentShardId === parentShardId) };
  }

  private async describeAllPages(
    streamArn: string,
    childrenOf: string | undefined,
    signal?: AbortSignal,
  ): Promise<StreamDescription> {
    const shards: ShardInfo[] = [];
    let status: string | undefined;
    let exclusiveStartShardId: string | undefined;
    // A cap on pages guards against a service that keeps answering the same LastEvaluatedShardId.
    for (let page = 0; page < 10_000; page++) {
      const out: DescribeStreamOutput = await retryTransient(
        "DescribeStream",
        async () => {
          await this.limiter.acquire(signal);
          signal?.throwIfAborted();
          this.deps.metrics.describeStreamCalls.inc();
          return this.api.describeStream(
            {
              StreamArn: streamArn,
              Limit: this.pageSize,
              ExclusiveStartShardId: exclusiveStartShardId,
              ShardFilter: childrenOf ? { Type: "CHILD_SHARDS", ShardId: childrenOf } : undefined,
            },
            signal,
          );
        },
        this.deps,
        signal,
      );
      const description = out.StreamDescription;
      status = description?.StreamStatus ?? status;
      for (const shard of description?.Shards ?? []) {
        const info = toShardInfo(shard);
        if (info) shards.push(info);
      }
      const next = description?.LastEvaluatedShardId;
      if (!next || next === exclusiveStartShardId) break;
      exclusiveStartShardId = next;
    }
    return { status, shards };
  }
}

function toShardInfo(shard: Shard): ShardInfo | undefined {
  if (!shard.ShardId) return undefined;
  return {
    shardId: shard.ShardId,
    parentShardId: shard.ParentShardId || undefined,
    closed: Boolean(shard.SequenceNumberRange?.EndingSequenceNumber),
  };
}
