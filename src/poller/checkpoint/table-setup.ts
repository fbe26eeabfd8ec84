import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CHECKPOINT_TABLE_KEY } from "../../shared/checkpoint-table";

export class CheckpointTableMissingError extends Error {
  override readonly name = "CheckpointTableMissingError";
}

/**
 * Makes sure the checkpoint table exists. Creates it (on-demand billing, `pk`/`sk` strings) only when asked to:
 * normally the Pulumi component creates it, and a typo in CHECKPOINT_TABLE should fail loudly rather than silently
 * start a fresh table (which would re-read every stream from its starting position).
 */
export async function ensureCheckpointTable(
  client: DynamoDBClient,
  tableName: string,
  create: boolean,
  maxWaitSeconds = 120,
): Promise<"exists" | "created"> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus !== "ACTIVE") {
      await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds }, { TableName: tableName });
    }
    return "exists";
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  if (!create) {
    throw new CheckpointTableMissingError(
      `CHECKPOINT_TABLE ${tableName} does not exist; create it (the Pulumi component does) or set CHECKPOINT_TABLE_CREATE=true`,
    );
  }
  const { partitionKey, sortKey } = CHECKPOINT_TABLE_KEY;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: "S" },
          { AttributeName: sortKey, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: "HASH" },
          { AttributeName: sortKey, KeyType: "RANGE" },
        ],
      }),
    );
  } catch (err) {
    // Another replica created it first.
    if (!(err instanceof Error && err.name === "ResourceInUseException")) throw err;
  }
  await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds }, { TableName: tableName });
  return "created";
}
