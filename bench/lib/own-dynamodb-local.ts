import { type DynamoDBLocal, startDynamoDBLocal } from "../../src/cli/dev/dynamodb-local";
import type { BenchContext } from "./context";
import { localClient } from "./table";

/** Every DynamoDB Local started here and still running: an interrupted bench stops them (see run.ts). */
export const ownDynamoDBLocals = new Set<DynamoDBLocal>();

/** Runs `work` against a DynamoDB Local of its own (started and stopped around it), not the bench's shared one. */
export async function withOwnDynamoDBLocal<T>(
  ctx: BenchContext,
  work: (ctx: BenchContext) => Promise<T>,
): Promise<T> {
  const own = await startDynamoDBLocal();
  ownDynamoDBLocals.add(own);
  const db = localClient(own.endpoint);
  try {
    return await work({ ...ctx, endpoint: own.endpoint, db });
  } finally {
    db.destroy();
    await own.stop();
    ownDynamoDBLocals.delete(own);
  }
}
