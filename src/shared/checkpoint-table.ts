/**
 * Key schema of the checkpoint/lease table. The component creates the table and the poller reads and writes it,
 * so both must agree on these names.
 *
 * One table serves many consumers: `pk` is the consumer name (`CONSUMER_NAME`), `sk` names the item within it:
 *   - `shard#<streamArn>#<shardId>`: checkpoint (and, with scale-out, lease) of one shard;
 *   - `meta#<streamArn>`: per-consumer facts about a stream (e.g. the shards open at the consumer's first start);
 *   - `worker#<workerId>`: heartbeat of one replica (its shard leases live as long as it beats).
 */
export const CHECKPOINT_TABLE_KEY = {
  partitionKey: "pk",
  sortKey: "sk",
} as const;

export const CHECKPOINT_SORT_KEY_PREFIX = {
  shard: "shard#",
  meta: "meta#",
  worker: "worker#",
} as const;
