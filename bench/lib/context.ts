import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ModeConfig } from "./modes";

/** What every scenario gets from the runner. */
export interface BenchContext {
  readonly endpoint: string;
  readonly db: DynamoDBClient;
  readonly config: ModeConfig;
  /** Unique per run: table and consumer names start with it. */
  readonly runId: string;
  /** Set with --profile: the first drain of each row writes a CPU profile of the poller here. */
  readonly cpuProfileDir?: string;
  log(line: string): void;
  /** Anything that makes a figure untrustworthy (lost events, a poller that died): reported loudly. */
  problem(line: string): void;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
