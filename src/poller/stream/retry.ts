import { sleep } from "./sleep";

/**
 * Classification of AWS errors into what the poller does about them, and exponential backoff with full jitter.
 * The poller never dies on an AWS error: transient ones are retried with backoff, the others are handled by the
 * caller (re-acquire an iterator, skip to TRIM_HORIZON, treat a shard as ended).
 */

export type AwsErrorKind =
  /** The shard iterator is older than 15 minutes: take a new one after the last processed record. */
  | "expired-iterator"
  /** The records under the iterator or sequence number were trimmed (older than 24 h): data may be lost. */
  | "trimmed"
  /** The stream or shard no longer exists. */
  | "not-found"
  /** Rate limits: back off. */
  | "throttled"
  /** 5xx, network errors, timeouts: back off and retry. */
  | "transient"
  /** The request was rejected (e.g. an invalid iterator on DynamoDB Local, which answers ValidationException). */
  | "invalid-request"
  /** Our own AbortSignal fired. */
  | "aborted"
  /** Anything else (e.g. AccessDenied): logged at error level and retried slowly; it may be fixed from outside. */
  | "other";

const THROTTLING = new Set([
  "LimitExceededException",
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
  "TooManyRequestsException",
]);

const TRANSIENT = new Set([
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "NetworkingError",
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
]);

/** The error's `name` (AWS SDK exceptions carry the service's error code there), or its `code`. */
export function awsErrorName(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const { name, code } = err as { name?: unknown; code?: unknown };
    if (typeof code === "string" && (name === "Error" || name === undefined)) return code;
    if (typeof name === "string") return name;
  }
  return "UnknownError";
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const meta = (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof meta?.httpStatusCode === "number" ? meta.httpStatusCode : undefined;
}

export function classifyAwsError(err: unknown): AwsErrorKind {
  const name = awsErrorName(err);
  if (name === "AbortError") return "aborted";
  if (name === "ExpiredIteratorException") return "expired-iterator";
  if (name === "TrimmedDataAccessException") return "trimmed";
  if (name === "ResourceNotFoundException") return "not-found";
  if (THROTTLING.has(name)) return "throttled";
  if (TRANSIENT.has(name)) return "transient";
  const status = httpStatus(err);
  if (status === 429) return "throttled";
  if (status !== undefined && status >= 500) return "transient";
  if (name === "ValidationException") return "invalid-request";
  // Errors thrown below the SDK (sockets) carry a `code` such as ECONNRESET, handled above; the rest is unknown.
  return "other";
}

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_AWS_BACKOFF: BackoffPolicy = { baseMs: 100, capMs: 10_000 };

/**
 * "Full jitter" (AWS Architecture Blog): a uniform delay in [0, min(cap, base·2^attempt)), so that many shards
 * throttled at the same moment do not retry in lockstep.
 */
export function fullJitterDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Counts consecutive failures; `reset()` after a success. */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  nextDelayMs(): number {
    return fullJitterDelay(this.attempt++, this.policy, this.random);
  }

  get failures(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

export interface RetryDeps {
  readonly metrics: { awsErrors: { inc(labels: { operation: string; error: string }): void } };
  readonly logger: { warn(obj: object, msg: string): void };
  readonly backoff?: BackoffPolicy;
}

/**
 * Runs `call` until it succeeds, retrying throttling and transient errors with full-jitter backoff; every error is
 * counted. Other errors, and an abort of `signal`, are thrown to the caller.
 */
export async function retryTransient<T>(
  operation: string,
  call: () => Promise<T>,
  deps: RetryDeps,
  signal?: AbortSignal,
): Promise<T> {
  const backoff = new Backoff(deps.backoff ?? DEFAULT_AWS_BACKOFF);
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const kind = classifyAwsError(err);
      const error = awsErrorName(err);
      if (kind !== "aborted") deps.metrics.awsErrors.inc({ operation, error });
      if ((kind !== "throttled" && kind !== "transient") || signal?.aborted) throw err;
      const delayMs = backoff.nextDelayMs();
      if (backoff.failures % 5 === 0) {
        deps.logger.warn(
          { operation, error, failures: backoff.failures },
          "AWS call still failing; backing off",
        );
      }
      await sleepUnlessAborted(delayMs, signal);
    }
  }
}

async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, signal);
  if (signal?.aborted) throw abortError(signal);
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return Object.assign(new Error("aborted"), { name: "AbortError" });
}
