import { z } from "zod";
import { isDurationError, parseDuration } from "../shared/duration";
import {
  BackoffPolicy,
  DataFormat,
  DEFAULT_HEALTH_PORT,
  DEFAULT_METRICS_PORT,
  ENV,
  StartingPosition,
} from "../shared/env-contract";
import {
  MAX_DELIVERY_RETRY,
  MAX_POLL_INTERVAL_MS,
  MIN_POLL_INTERVAL_MS,
  MIN_PROGRESS_TIMEOUT_MS,
  POLL_INTERVAL_RANGE_HINT,
} from "../shared/limits";
import { isParseError, parseTableArn, type TableArn } from "../shared/table-arn";
import { ContentMode, type DeliveryOptions } from "./delivery/types";
import { ceOverridesProblem } from "./events/overrides";

/** An invalid environment variable; the message is one line that names it and says what is wrong. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export interface PollerConfig {
  readonly table: TableArn;
  readonly region: string;
  readonly assumeRoleArn?: string;
  readonly startingPosition: StartingPosition;
  /** Unset: checkpoints in memory only (lost on restart). */
  readonly checkpointTable?: string;
  readonly checkpointTableCreate: boolean;
  readonly consumerName: string;
  readonly pollIntervalMs: number;
  readonly progressTimeoutMs: number;
  readonly delivery: DeliveryOptions;
  readonly healthPort: number;
  readonly metricsPort: number;
  readonly logLevel: string;
  readonly namespace: string;
  readonly name: string;
  /** Accepted but doubtful settings, for main to log at start-up. */
  readonly warnings: readonly string[];
}

/** Defaults of the environment contract (documented in the README). */
export const CONFIG_DEFAULTS = {
  startingPosition: StartingPosition.Latest,
  dataFormat: DataFormat.Aws,
  contentMode: ContentMode.Binary,
  pollIntervalMs: 1_000,
  progressTimeoutMs: 5 * 60_000,
  /**
   * Knative leaves `retry` unset (no retries); a source that promises at-least-once needs more. 10 retries with an
   * exponential 0.2 s base wait about 6.8 min in total (Knative's formula: 0.2·2^n s for n = 1…10), enough for a sink restart or a short
   * outage before an event is dead-lettered or dropped.
   */
  deliveryRetry: 10,
  deliveryBackoffPolicy: BackoffPolicy.Exponential,
  deliveryBackoffDelayMs: 200,
  deliveryTimeoutMs: 10_000,
  logLevel: "info",
  namespace: "default",
  name: "dynamodb-source",
} as const;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const ceOverridesSchema = z.strictObject({ extensions: z.record(z.string(), z.string()).optional() });

/** Reads and validates the environment; throws ConfigError on the first invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv): PollerConfig {
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  const arnText = read(ENV.tableArn);
  if (!arnText)
    throw new ConfigError(ENV.tableArn, "required: the ARN of the DynamoDB table whose stream is read");
  const table = parseTableArn(arnText);
  if (isParseError(table)) throw new ConfigError(ENV.tableArn, table.error);

  const sinkUrl = httpUrl(ENV.sink, read(ENV.sink), true);
  const deadLetterSinkUrl = httpUrl(ENV.deadLetterSink, read(ENV.deadLetterSink), false);

  const region = read(ENV.region) ?? table.region;
  if (region !== table.region && table.region !== "ddblocal") {
    warnings.push(
      `${ENV.region}=${region} differs from the table ARN's region ${table.region}; DescribeTable may fail`,
    );
  }
  const assumeRoleArn = read(ENV.assumeRoleArn);
  if (assumeRoleArn !== undefined && !ROLE_ARN.test(assumeRoleArn)) {
    throw new ConfigError(
      ENV.assumeRoleArn,
      `"${assumeRoleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }

  const checkpointTable = read(ENV.checkpointTable);
  if (checkpointTable !== undefined && !TABLE_NAME.test(checkpointTable)) {
    throw new ConfigError(
      ENV.checkpointTable,
      `"${checkpointTable}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`,
    );
  }
  const checkpointTableCreate = bool(ENV.checkpointTableCreate, read(ENV.checkpointTableCreate), false);
  if (checkpointTableCreate && checkpointTable === undefined) {
    throw new ConfigError(ENV.checkpointTableCreate, `is true but ${ENV.checkpointTable} is not set`);
  }

  const namespace = read(ENV.namespace) ?? CONFIG_DEFAULTS.namespace;
  const name = read(ENV.name) ?? CONFIG_DEFAULTS.name;
  const consumerName = read(ENV.consumerName) ?? `${namespace}/${name}`;
  if (consumerName.length > 1024) throw new ConfigError(ENV.consumerName, "must be at most 1024 characters");

  const healthPort = port(ENV.healthPort, read(ENV.healthPort), DEFAULT_HEALTH_PORT);
  const metricsPort = port(ENV.metricsPort, read(ENV.metricsPort), DEFAULT_METRICS_PORT);
  if (healthPort === metricsPort) {
    throw new ConfigError(
      ENV.metricsPort,
      `${metricsPort} is also ${ENV.healthPort}; the two servers need different ports`,
    );
  }

  const pollIntervalMs = duration(ENV.pollInterval, read(ENV.pollInterval), CONFIG_DEFAULTS.pollIntervalMs);
  if (pollIntervalMs < MIN_POLL_INTERVAL_MS || pollIntervalMs > MAX_POLL_INTERVAL_MS) {
    throw new ConfigError(
      ENV.pollInterval,
      `${pollIntervalMs} ms is out of range: ${POLL_INTERVAL_RANGE_HINT}`,
    );
  }
  const progressTimeoutMs = duration(
    ENV.progressTimeout,
    read(ENV.progressTimeout),
    CONFIG_DEFAULTS.progressTimeoutMs,
  );
  if (progressTimeoutMs < MIN_PROGRESS_TIMEOUT_MS)
    throw new ConfigError(ENV.progressTimeout, "must be at least 1 s (PT1S)");

  const retryText = read(ENV.deliveryRetry);
  let retry: number = CONFIG_DEFAULTS.deliveryRetry;
  if (retryText !== undefined) {
    if (!/^\d+$/.test(retryText) || Number(retryText) > MAX_DELIVERY_RETRY) {
      throw new ConfigError(
        ENV.deliveryRetry,
        `"${retryText}" is not a whole number of retries from 0 to ${MAX_DELIVERY_RETRY}`,
      );
    }
    retry = Number(retryText);
  }
  const backoffDelayMs = duration(
    ENV.deliveryBackoffDelay,
    read(ENV.deliveryBackoffDelay),
    CONFIG_DEFAULTS.deliveryBackoffDelayMs,
  );
  const timeoutMs = duration(
    ENV.deliveryTimeout,
    read(ENV.deliveryTimeout),
    CONFIG_DEFAULTS.deliveryTimeoutMs,
  );
  if (timeoutMs <= 0) throw new ConfigError(ENV.deliveryTimeout, "must be greater than 0");

  const delivery: DeliveryOptions = {
    sinkUrl,
    retry,
    backoffPolicy: oneOf(
      ENV.deliveryBackoffPolicy,
      read(ENV.deliveryBackoffPolicy)?.toLowerCase(),
      Object.values(BackoffPolicy),
      CONFIG_DEFAULTS.deliveryBackoffPolicy,
    ),
    backoffDelayMs,
    timeoutMs,
    deadLetterSinkUrl,
    ceOverrides: ceOverrides(read(ENV.ceOverrides)),
    dataFormat: oneOf(
      ENV.dataFormat,
      read(ENV.dataFormat)?.toLowerCase(),
      Object.values(DataFormat),
      CONFIG_DEFAULTS.dataFormat,
    ),
    contentMode: oneOf(
      ENV.contentMode,
      read(ENV.contentMode)?.toLowerCase(),
      Object.values(ContentMode),
      CONFIG_DEFAULTS.contentMode,
    ),
  };

  return {
    table,
    region,
    assumeRoleArn,
    startingPosition: oneOf(
      ENV.startingPosition,
      read(ENV.startingPosition)?.toUpperCase(),
      Object.values(StartingPosition),
      CONFIG_DEFAULTS.startingPosition,
    ),
    checkpointTable,
    checkpointTableCreate,
    consumerName,
    pollIntervalMs,
    progressTimeoutMs,
    delivery,
    healthPort,
    metricsPort,
    logLevel: oneOf(ENV.logLevel, read(ENV.logLevel)?.toLowerCase(), LOG_LEVELS, CONFIG_DEFAULTS.logLevel),
    namespace,
    name,
    warnings,
  };
}

function oneOf<T extends string>(
  variable: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a === value);
  if (match === undefined) throw new ConfigError(variable, `"${value}" is not one of ${allowed.join(", ")}`);
  return match;
}

function httpUrl(variable: string, value: string | undefined, required: true): string;
function httpUrl(variable: string, value: string | undefined, required: false): string | undefined;
function httpUrl(variable: string, value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required)
      throw new ConfigError(variable, "required: the URL events are sent to (http:// or https://)");
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `"${value}" is not a URL; expected http(s)://host[:port]/path`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      variable,
      `"${value}" must use http or https, not ${url.protocol.replace(":", "")}`,
    );
  }
  return value;
}

function bool(variable: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new ConfigError(variable, `"${value}" is not true or false`);
}

function port(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65_535) {
    throw new ConfigError(variable, `"${value}" is not a TCP port (1-65535)`);
  }
  return n;
}

function duration(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (isDurationError(parsed)) throw new ConfigError(variable, parsed.error);
  return parsed;
}

function ceOverrides(value: string | undefined): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ConfigError(ENV.ceOverrides, `is not JSON; expected {"extensions":{"name":"value"}}`);
  }
  const parsed = ceOverridesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new ConfigError(
      ENV.ceOverrides,
      `expected {"extensions":{"name":"string value"}}${where}: ${issue?.message ?? "invalid"}`,
    );
  }
  const extensions = parsed.data.extensions ?? {};
  const problem = ceOverridesProblem(extensions);
  if (problem) throw new ConfigError(ENV.ceOverrides, problem);
  return extensions;
}
