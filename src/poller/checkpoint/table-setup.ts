import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CHECKPOINT_TABLE_KEY } from "../../shared/checkpoint-table";
import { awsErrorName, Backoff, type BackoffPolicy } from "../stream/retry";
import { sleep } from "../stream/sleep";

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
  abortSignal?: AbortSignal,
): Promise<"exists" | "created"> {
  const waiter = { client, maxWaitTime: maxWaitSeconds, abortSignal };
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal });
    if (Table?.TableStatus !== "ACTIVE") {
      await waitUntilTableExists(waiter, { TableName: tableName });
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
      { abortSignal },
    );
  } catch (err) {
    // Another replica created it first.
    if (!(err instanceof Error && err.name === "ResourceInUseException")) throw err;
  }
  await waitUntilTableExists(waiter, { TableName: tableName });
  return "created";
}

const CHECKPOINT_TABLE_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * ensureCheckpointTable until it answers: at start-up a network error, throttling or a permission that has not
 * propagated yet (a fresh IRSA role) is retried with backoff rather than crash-looping the pod; `onRetry` hears
 * each failure (readiness and logs). A missing table that may not be created is final and thrown, as is an abort.
 */
export async function awaitCheckpointTable(
  client: DynamoDBClient,
  tableName: string,
  create: boolean,
  options: {
    readonly signal: AbortSignal;
    readonly onRetry: (failure: {
      error: string;
      message: string;
      failures: number;
      delayMs: number;
    }) => void;
    readonly backoff?: BackoffPolicy;
  },
): Promise<"exists" | "created"> {
  const backoff = new Backoff(options.backoff ?? CHECKPOINT_TABLE_BACKOFF);
  for (;;) {
    try {
      return await ensureCheckpointTable(client, tableName, create, 120, options.signal);
    } catch (err) {
      if (err instanceof CheckpointTableMissingError || options.signal.aborted) throw err;
      const delayMs = backoff.nextDelayMs();
      options.onRetry({
        error: awsErrorName(err),
        message: err instanceof Error ? err.message : String(err),
        failures: backoff.failures,
        delayMs,
      });
      await sleep(delayMs, options.signal);
      if (options.signal.aborted) throw err;
    }
  }
}
