import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { CHECKPOINT_SORT_KEY_PREFIX, CHECKPOINT_TABLE_KEY } from "../../shared/checkpoint-table";
import { shardSortKey, toShardCheckpoint } from "../checkpoint/dynamodb-store";
import type { LeaseFence, LeaseGrant, LeaseTable, ShardLeaseState, WorkerBeat } from "./lease-table";

const { partitionKey: PK, sortKey: SK } = CHECKPOINT_TABLE_KEY;

export function workerSortKey(workerId: string): string {
  return `${CHECKPOINT_SORT_KEY_PREFIX.worker}${workerId}`;
}

/**
 * Leases in the checkpoint table: the lease of a shard is three attributes of its checkpoint item (`leaseOwner`,
 * `leaseCounter`, `leaseTakenAt`), so a fenced checkpoint write and the lease it depends on are one item and one
 * condition. Heartbeats are `worker#<id>` items under the same consumer.
 */
export class DynamoDBLeaseTable implements LeaseTable {
  readonly description: string;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly consumerName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.description = `DynamoDB table ${tableName}, consumer ${consumerName}`;
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(workerSortKey(workerId)),
        UpdateExpression: "SET workerId = :id, beatAt = :at ADD beatCounter :one",
        ExpressionAttributeValues: {
          ":id": { S: workerId },
          ":at": { N: String(this.now()) },
          ":one": { N: "1" },
        },
      }),
    );
  }

  async listWorkers(): Promise<WorkerBeat[]> {
    const items = await this.queryPrefix(CHECKPOINT_SORT_KEY_PREFIX.worker);
    return items.flatMap((item) => {
      const workerId = item.workerId?.S;
      return workerId ? [{ workerId, counter: Number(item.beatCounter?.N ?? 0) }] : [];
    });
  }

  async forgetWorker(workerId: string, counter?: number): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: this.key(workerSortKey(workerId)),
          ...(counter === undefined
            ? {}
            : {
                ConditionExpression: "beatCounter = :c",
                ExpressionAttributeValues: { ":c": { N: String(counter) } },
              }),
        }),
      );
    } catch (err) {
      // It beat again: alive after all.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async listShards(streamArn: string): Promise<ShardLeaseState[]> {
    const prefix = shardSortKey(streamArn, "");
    return (await this.queryPrefix(prefix)).flatMap((item) => {
      const sk = item[SK]?.S;
      if (!sk) return [];
      return [
        {
          shardId: sk.slice(prefix.length),
          owner: item.leaseOwner?.S,
          counter: Number(item.leaseCounter?.N ?? 0),
          checkpoint: toShardCheckpoint(item),
        },
      ];
    });
  }

  async take(
    streamArn: string,
    shardId: string,
    workerId: string,
    seen: { readonly owner?: string; readonly counter: number },
  ): Promise<LeaseGrant | undefined> {
    const values: Record<string, AttributeValue> = {
      ":me": { S: workerId },
      ":at": { N: String(this.now()) },
      ":stream": { S: streamArn },
      ":shard": { S: shardId },
      ":seen": { N: String(seen.counter) },
      ":zero": { N: "0" },
      ":one": { N: "1" },
    };
    // A free lease that was never taken has no counter yet: it counts as 0.
    let condition =
      seen.counter === 0
        ? "(attribute_not_exists(leaseCounter) OR leaseCounter = :seen)"
        : "leaseCounter = :seen";
    if (seen.owner === undefined) condition += " AND attribute_not_exists(leaseOwner)";
    else {
      condition += " AND leaseOwner = :owner";
      values[":owner"] = { S: seen.owner };
    }
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(shardSortKey(streamArn, shardId)),
          UpdateExpression:
            "SET leaseOwner = :me, leaseTakenAt = :at, streamArn = :stream, shardId = :shard, leaseCounter = if_not_exists(leaseCounter, :zero) + :one",
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      const item = out.Attributes ?? {};
      return {
        fence: { owner: workerId, counter: Number(item.leaseCounter?.N ?? seen.counter + 1) },
        checkpoint: toShardCheckpoint(item),
      };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  async release(streamArn: string, shardId: string, fence: LeaseFence): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(shardSortKey(streamArn, shardId)),
          UpdateExpression: "REMOVE leaseOwner SET leaseCounter = leaseCounter + :one",
          ConditionExpression: "leaseOwner = :me AND leaseCounter = :counter",
          ExpressionAttributeValues: {
            ":me": { S: fence.owner },
            ":counter": { N: String(fence.counter) },
            ":one": { N: "1" },
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  private key(sortKey: string): Record<string, AttributeValue> {
    return { [PK]: { S: this.consumerName }, [SK]: { S: sortKey } };
  }

  private async queryPrefix(prefix: string): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    // Bounded: a consumer with more than 10k pages of items is a bug, not a workload.
    for (let page = 0; page < 10_000; page++) {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
          ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
          ExpressionAttributeValues: { ":pk": { S: this.consumerName }, ":prefix": { S: prefix } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    return items;
  }
}
