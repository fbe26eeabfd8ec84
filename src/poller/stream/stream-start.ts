import { StartingPosition } from "../../shared/env-contract";
import type { CheckpointStore, StreamMeta } from "../checkpoint/store";
import type { Logger } from "../ops/logger";
import type { StreamDescription } from "./shard-discovery";

/** The shards that get STARTING_POSITION: those listed at the consumer's very first start. */
export interface FirstStart {
  readonly position: StartingPosition;
  readonly shardIds: ReadonlySet<string>;
}

export interface StreamStartInput {
  readonly store: CheckpointStore;
  readonly streamArn: string;
  readonly listing: StreamDescription;
  /** This process already read another stream of the table. */
  readonly followsEarlierStream: boolean;
  readonly startingPosition: StartingPosition;
  readonly now: number;
  readonly log: Logger;
  /** Runs a checkpoint-store call until it succeeds; undefined when the poller stops first. */
  readonly retry: <T>(what: string, call: () => Promise<T>) => Promise<T | undefined>;
}

/**
 * Records that the consumer has started on a stream it never read (the `meta#<streamArn>` item). STARTING_POSITION
 * applies only when the consumer is brand new: no other stream in its namespace and none read before in this
 * process; a later stream (disabled and re-enabled) is read from TRIM_HORIZON, since its records are all newer
 * than what the consumer already delivered.
 */
export async function startStream(
  input: StreamStartInput,
): Promise<{ meta: StreamMeta; firstStart?: FirstStart } | undefined> {
  const { store, streamArn } = input;
  const others = await input.retry("list streams", () => store.listStreams());
  if (others === undefined) return undefined;
  const consumerIsNew = !input.followsEarlierStream && others.every((m) => m.streamArn === streamArn);
  const proposal: StreamMeta = {
    streamArn,
    startingPosition: consumerIsNew ? input.startingPosition : StartingPosition.TrimHorizon,
    initialShardIds: input.listing.shards.map((s) => s.shardId),
    createdAt: input.now,
  };
  const meta = await input.retry("initialize stream", () => store.initStream(proposal));
  if (!meta) return undefined;
  input.log.info(
    { startingPosition: meta.startingPosition, initialShards: meta.initialShardIds.length },
    consumerIsNew
      ? "first start of this consumer on the stream"
      : "new stream for this consumer: reading from TRIM_HORIZON",
  );
  // Only the process whose write created the meta item applies STARTING_POSITION (see decideShardStart): after
  // a restart, initial shards without a checkpoint are read from TRIM_HORIZON.
  const ours = meta.createdAt === proposal.createdAt && consumerIsNew;
  return {
    meta,
    firstStart: ours
      ? { position: meta.startingPosition, shardIds: new Set(meta.initialShardIds) }
      : undefined,
  };
}
