import { hostname } from "node:os";
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
import { compileFilterText, describePatternProblem, type RecordFilter } from "../shared/event-pattern";
import {
  BATCH_MAX_BYTES_RANGE,
  BATCH_SIZE_RANGE,
  BATCH_WINDOW_RANGE,
  DEFAULT_BATCH_MAX_BYTES,
  DELIVERY_RETRY_RANGE,
  DELIVERY_TIMEOUT_RANGE,
  durationRangeProblem,
  PARALLELISM_RANGE,
  POLL_INTERVAL_RANGE,
  PROGRESS_TIMEOUT_RANGE,
  type Range,
  wholeNumberProblem,
} from "../shared/limits";
import { isParseError, parseTableArn, type TableArn } from "../shared/table-arn";
import { type BatchOptions, ContentMode, type DeliveryOptions } from "./delivery/types";
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
  /** FILTER, compiled once: records that match no pattern are checkpointed without being sent. */
  readonly filter?: { readonly matches: RecordFilter; readonly patterns: number };
  readonly healthPort: number;
  readonly metricsPort: number;
  readonly logLevel: string;
  /** Shard leases: a replica whose heartbeat does not move for this long loses its shards (LEASE_DURATION). */
  readonly leaseDurationMs: number;
  /** This replica in leases (WORKER_ID, default HOSTNAME: the pod name). */
  readonly workerId: string;
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
  /** Dead replica's shards re-owned within ~13 s (lease duration + one third-of-it cycle), well within 30 s. */
  leaseDurationMs: 10_000,
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

  const pollIntervalMs = durationIn(
    POLL_INTERVAL_RANGE,
    ENV.pollInterval,
    read(ENV.pollInterval),
    CONFIG_DEFAULTS.pollIntervalMs,
  );
  const progressTimeoutMs = durationIn(
    PROGRESS_TIMEOUT_RANGE,
    ENV.progressTimeout,
    read(ENV.progressTimeout),
    CONFIG_DEFAULTS.progressTimeoutMs,
  );

  const leaseDurationMs = durationIn(
    LEASE_DURATION_RANGE,
    ENV.leaseDuration,
    read(ENV.leaseDuration),
    CONFIG_DEFAULTS.leaseDurationMs,
  );
  const workerId = read(ENV.workerId) ?? read("HOSTNAME") ?? hostname();
  if (workerId.length > 256) throw new ConfigError(ENV.workerId, "must be at most 256 characters");

  const retry =
    wholeNumber(ENV.deliveryRetry, read(ENV.deliveryRetry), DELIVERY_RETRY_RANGE) ??
    CONFIG_DEFAULTS.deliveryRetry;
  const backoffDelayMs = duration(
    ENV.deliveryBackoffDelay,
    read(ENV.deliveryBackoffDelay),
    CONFIG_DEFAULTS.deliveryBackoffDelayMs,
  );
  const timeoutMs = durationIn(
    DELIVERY_TIMEOUT_RANGE,
    ENV.deliveryTimeout,
    read(ENV.deliveryTimeout),
    CONFIG_DEFAULTS.deliveryTimeoutMs,
  );

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
    parallelism: wholeNumber(ENV.parallelism, read(ENV.parallelism), PARALLELISM_RANGE) ?? 1,
    batch: batchOptions(read, warnings),
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
    filter: recordFilter(read(ENV.filter)),
    healthPort,
    metricsPort,
    logLevel: oneOf(ENV.logLevel, read(ENV.logLevel)?.toLowerCase(), LOG_LEVELS, CONFIG_DEFAULTS.logLevel),
    leaseDurationMs,
    workerId,
    namespace,
    name,
    warnings,
  };
}

/** Batch mode from BATCH_*; undefined (one event per request) unless BATCH_SIZE > 1. */
function batchOptions(
  read: (name: string) => string | undefined,
  warnings: string[],
): BatchOptions | undefined {
  const maxEvents = wholeNumber(ENV.batchSize, read(ENV.batchSize), BATCH_SIZE_RANGE) ?? 1;
  const maxBytes =
    wholeNumber(ENV.batchMaxBytes, read(ENV.batchMaxBytes), BATCH_MAX_BYTES_RANGE) ?? DEFAULT_BATCH_MAX_BYTES;
  const windowMs = durationIn(BATCH_WINDOW_RANGE, ENV.batchWindow, read(ENV.batchWindow), 0);
  if (maxEvents > 1) return { maxEvents, maxBytes, windowMs };
  for (const name of [ENV.batchMaxBytes, ENV.batchWindow]) {
    if (read(name) !== undefined) warnings.push(`${name} has no effect without ${ENV.batchSize} > 1`);
  }
  return undefined;
}

/** LEASE_DURATION: poller-only (the component has no argument for it). */
const LEASE_DURATION_RANGE: Range = { min: 1_000, max: 300_000, hint: "1 s (PT1S) to 5 min (PT5M)" };

/** A whole number (digits only) inside `range`, or undefined when unset. */
function wholeNumber(variable: string, value: string | undefined, range: Range): number | undefined {
  if (value === undefined) return undefined;
  const problem = wholeNumberProblem(/^\d+$/.test(value) ? Number(value) : Number.NaN, `"${value}"`, range);
  if (problem !== undefined) throw new ConfigError(variable, problem);
  return Number(value);
}

/** A duration (ms or ISO-8601) inside `range`; `fallback` when unset. */
function durationIn(range: Range, variable: string, value: string | undefined, fallback: number): number {
  const ms = duration(variable, value, fallback);
  const problem = durationRangeProblem(ms, `${ms} ms`, range);
  if (problem !== undefined) throw new ConfigError(variable, problem);
  return ms;
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

function recordFilter(text: string | undefined): PollerConfig["filter"] {
  if (text === undefined) return undefined;
  const compiled = compileFilterText(text);
  if (!compiled.ok) throw new ConfigError(ENV.filter, describePatternProblem(compiled.problem));
  return { matches: compiled.value.filter, patterns: compiled.value.patterns };
}
