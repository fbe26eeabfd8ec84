import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type WriteRequest,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 10,
    // Under heavy load DynamoDB Local was seen to leave concurrent PutItems unanswered for good: time out, retry.
    requestHandler: { requestTimeout: 10_000 },
  });
}

/** Creates a table keyed by `id` with a NEW_AND_OLD_IMAGES stream; returns its ARN and stream ARN. */
export async function createStreamTable(client: DynamoDBClient, name: string) {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  if (!Table?.TableArn || !Table.LatestStreamArn) throw new Error(`table ${name} has no ARN or stream`);
  return { tableArn: Table.TableArn, streamArn: Table.LatestStreamArn };
}

/** An item of about `bytes` bytes whose id is `item-<n>`. */
export function benchItem(n: number, bytes: number) {
  return {
    id: { S: `item-${n}` },
    seq: { N: String(n) },
    writtenAt: { N: String(Date.now()) },
    payload: { S: "x".repeat(Math.max(0, bytes - 60)) },
  };
}

/**
 * Writes items `from`..`to`-1 with BatchWriteItem (25 per call, a few calls in flight), retrying unprocessed
 * items.
 */
export async function preload(
  client: DynamoDBClient,
  table: string,
  from: number,
  to: number,
  bytes: number,
  concurrency = 4,
) {
  let next = from;
  async function worker() {
    while (next < to) {
      const start = next;
      next = Math.min(to, next + 25);
      let requests: WriteRequest[] = [];
      for (let i = start; i < next; i++) requests.push({ PutRequest: { Item: benchItem(i, bytes) } });
      // Unprocessed items are retried a bounded number of times; a table that keeps refusing fails the bench.
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === 50) throw new Error(`BatchWriteItem kept returning unprocessed items for ${table}`);
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = out.UnprocessedItems?.[table] ?? [];
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}
