import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

/** Creates the demo table (key `id`, stream with new and old images) unless it exists; returns its ARN. */
export async function ensureDemoTable(client: DynamoDBClient, tableName: string): Promise<string> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.TableArn) throw new Error(`DescribeTable returned no ARN for ${tableName}`);
    if (!Table.LatestStreamArn) {
      throw new Error(`table ${tableName} exists without a stream; delete it or pick another --table`);
    }
    return Table.TableArn;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  const arn = created.TableDescription?.TableArn;
  if (!arn) throw new Error(`CreateTable returned no ARN for ${tableName}`);
  return arn;
}

/** Three changes to one item: an INSERT, a MODIFY and a REMOVE. */
export async function writeDemoChanges(client: DynamoDBClient, tableName: string): Promise<number> {
  const id = { S: `demo-${Date.now().toString(36)}` };
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        id,
        customer: { S: "Ada" },
        total: { N: "19.90" },
        items: { L: [{ S: "book" }, { S: "pen" }] },
      },
    }),
  );
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { id },
      UpdateExpression: "SET #s = :s, #t = :t",
      // Both are DynamoDB reserved words.
      ExpressionAttributeNames: { "#s": "status", "#t": "total" },
      ExpressionAttributeValues: { ":s": { S: "paid" }, ":t": { N: "24.90" } },
    }),
  );
  await client.send(new DeleteItemCommand({ TableName: tableName, Key: { id } }));
  return 3;
}
