import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type StreamViewType,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

/** Helpers for tests against DynamoDB Local (started with startDynamoDBLocal). */

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export function localTableArn(tableName: string): string {
  return `arn:aws:dynamodb:ddblocal:000000000000:table/${tableName}`;
}

export async function createSourceTable(
  client: DynamoDBClient,
  tableName: string,
  streamViewType: StreamViewType | null = "NEW_AND_OLD_IMAGES",
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      StreamSpecification: streamViewType
        ? { StreamEnabled: true, StreamViewType: streamViewType }
        : undefined,
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}

export async function setStream(
  client: DynamoDBClient,
  tableName: string,
  enabled: boolean,
): Promise<string | undefined> {
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: enabled
        ? { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" }
        : { StreamEnabled: false },
    }),
  );
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return Table?.LatestStreamArn;
}
