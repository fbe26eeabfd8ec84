import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { CHECKPOINT_SORT_KEY_PREFIX, CHECKPOINT_TABLE_KEY } from "../../shared/checkpoint-table";
import { StartingPosition } from "../../shared/env-contract";
import type { LeaseFence } from "../lease/lease-table";
import {
  CheckpointConflictError,
  type CheckpointStore,
  type ShardCheckpoint,
  type StreamCheckpoints,
  type StreamMeta,
} from "./store";

const { partitionKey: PK, sortKey: SK } = CHECKPOINT_TABLE_KEY;

export function shardSortKey(streamArn: string, shardId: string): string {
  return `${CHECKPOINT_SORT_KEY_PREFIX.shard}${streamArn}#${shardId}`;
}

export function metaSortKey(streamArn: string): string {
  return `${CHECKPOINT_SORT_KEY_PREFIX.meta}${streamArn}`;
}

/**
 * Checkpoints in a DynamoDB table (key schema in src/shared/checkpoint-table.ts): `pk` = consumer name, one item per
 * shard and one meta item per stream. Reads are consistent. A shard write with a lease fence is conditional on
 * `leaseOwner = :me AND leaseCounter = :counter`, so a replica that lost its lease cannot move a checkpoint
 * (fencing); without a fence (leases off) it requires that no replica holds a lease on the item.
 */
export class DynamoDBCheckpointStore implements CheckpointStore {
  readonly description: string;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly consumerName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.description = `DynamoDB table ${tableName}, consumer ${consumerName}`;
  }

  async load(streamArn: string): Promise<StreamCheckpoints> {
    const shards = new Map<string, ShardCheckpoint>();
    const prefix = shardSortKey(streamArn, "");
    for (const item of await this.queryPrefix(prefix)) {
      const sk = item[SK]?.S;
      if (!sk) continue;
      shards.set(sk.slice(prefix.length), toShardCheckpoint(item));
    }
    const metaItem = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: this.key(metaSortKey(streamArn)),
        ConsistentRead: true,
      }),
    );
    return { meta: metaItem.Item ? toStreamMeta(metaItem.Item) : undefined, shards };
  }

  async listStreams(): Promise<StreamMeta[]> {
    const items = await this.queryPrefix(CHECKPOINT_SORT_KEY_PREFIX.meta);
    return items.map(toStreamMeta).filter((m): m is StreamMeta => m !== undefined);
  }

  async initStream(meta: StreamMeta): Promise<StreamMeta> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...this.key(metaSortKey(meta.streamArn)),
            streamArn: { S: meta.streamArn },
            startingPosition: { S: meta.startingPosition },
            // A list, not a string set: a stream may start with no shard listed.
            initialShardIds: { L: meta.initialShardIds.map((id) => ({ S: id })) },
            createdAt: { N: String(meta.createdAt) },
          },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": PK },
        }),
      );
      return meta;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = (await this.load(meta.streamArn)).meta;
      if (!existing) throw err;
      return existing;
    }
  }

  async markStreamCompleted(streamArn: string, at: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(metaSortKey(streamArn)),
        UpdateExpression: "SET completedAt = :at",
        ExpressionAttributeValues: { ":at": { N: String(at) } },
      }),
    );
  }

  async saveShard(
    streamArn: string,
    shardId: string,
    checkpoint: Omit<ShardCheckpoint, "updatedAt">,
    fence?: LeaseFence,
  ): Promise<void> {
    const values: Record<string, AttributeValue> = {
      ":end": { BOOL: checkpoint.shardEnd },
      ":at": { N: String(this.now()) },
      ":stream": { S: streamArn },
      ":shard": { S: shardId },
    };
    let update = "SET shardEnd = :end, updatedAt = :at, streamArn = :stream, shardId = :shard";
    if (checkpoint.sequenceNumber !== undefined) {
      update += ", sequenceNumber = :seq";
      values[":seq"] = { S: checkpoint.sequenceNumber };
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(shardSortKey(streamArn, shardId)),
          UpdateExpression: update,
          ConditionExpression: fence
            ? "leaseOwner = :owner AND leaseCounter = :counter"
            : "attribute_not_exists(leaseOwner)",
          ExpressionAttributeValues: fence
            ? { ...values, ":owner": { S: fence.owner }, ":counter": { N: String(fence.counter) } }
            : values,
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new CheckpointConflictError(
          fence
            ? `checkpoint of shard ${shardId} rejected: lease ${fence.owner}#${fence.counter} is no longer held`
            : `checkpoint of shard ${shardId} is owned by another worker (leaseOwner set)`,
        );
      }
      throw err;
    }
  }

  private key(sortKey: string): Record<string, AttributeValue> {
    return { [PK]: { S: this.consumerName }, [SK]: { S: sortKey } };
  }

  private async queryPrefix(prefix: string): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
          ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
          ExpressionAttributeValues: { ":pk": { S: this.consumerName }, ":prefix": { S: prefix } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

export function toShardCheckpoint(item: Record<string, AttributeValue>): ShardCheckpoint {
  return {
    sequenceNumber: item.sequenceNumber?.S,
    shardEnd: item.shardEnd?.BOOL === true,
    updatedAt: Number(item.updatedAt?.N ?? 0),
  };
}

function toStreamMeta(item: Record<string, AttributeValue>): StreamMeta | undefined {
  const streamArn = item.streamArn?.S;
  if (!streamArn) return undefined;
  const position =
    item.startingPosition?.S === StartingPosition.Latest
      ? StartingPosition.Latest
      : StartingPosition.TrimHorizon;
  return {
    streamArn,
    startingPosition: position,
    initialShardIds: (item.initialShardIds?.L ?? [])
      .map((v) => v.S)
      .filter((s): s is string => s !== undefined),
    createdAt: Number(item.createdAt?.N ?? 0),
    completedAt: item.completedAt?.N ? Number(item.completedAt.N) : undefined,
  };
}
