import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { awsErrorName, classifyAwsError } from "./retry";
import type { TableApi, TableStreamInfo } from "./streams-api";

export type StreamLookup =
  | { readonly kind: "found"; readonly info: TableStreamInfo & { latestStreamArn: string } }
  | { readonly kind: "no-stream"; readonly reason: string }
  | { readonly kind: "error"; readonly reason: string };

/**
 * DescribeTable → LatestStreamArn. Never throws: a table without a stream, a missing table or an AWS error are
 * answers the poller reports through readiness while it keeps checking (no crash loop).
 */
export async function locateStream(
  api: TableApi,
  tableName: string,
  deps: { logger: Logger; metrics: Metrics },
  signal?: AbortSignal,
): Promise<StreamLookup> {
  try {
    const info = await api.describeTableStream(tableName, signal);
    if (!info.latestStreamArn) {
      return {
        kind: "no-stream",
        reason: `table ${tableName} has no stream: enable DynamoDB Streams on it (StreamSpecification, e.g. NEW_AND_OLD_IMAGES)`,
      };
    }
    return { kind: "found", info: { ...info, latestStreamArn: info.latestStreamArn } };
  } catch (err) {
    const name = awsErrorName(err);
    deps.metrics.awsErrors.inc({ operation: "DescribeTable", error: name });
    if (classifyAwsError(err) === "not-found") {
      return { kind: "error", reason: `table ${tableName} does not exist (DescribeTable: ${name})` };
    }
    return { kind: "error", reason: `DescribeTable ${tableName} failed: ${name}: ${errorMessage(err)}` };
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
