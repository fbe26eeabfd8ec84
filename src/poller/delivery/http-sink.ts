import type { Dispatcher } from "undici";
import type { AttemptResult } from "./attempt";
import { ATTEMPT_TIMED_OUT, type AttemptAbort, AttemptSignals } from "./attempt-signals";
import type { OutgoingMessage } from "./http-message";
import { parseRetryAfter } from "./retry-after";

/** Knative truncates `knativeerrordata` to 1024 base64 characters, i.e. 768 bytes of body. */
export const ERROR_BODY_LIMIT = 768;
/** Beyond this much error body the connection is dropped instead of drained. */
const DRAIN_LIMIT = 64 * 1024;

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** POSTs messages to one URL over a shared keep-alive dispatcher; one call is one attempt, never retried here. */
export class HttpSink {
  readonly url: string;
  private readonly origin: string;
  private readonly path: string;
  private readonly attempts: AttemptSignals;

  constructor(
    url: string,
    private readonly dispatcher: Dispatcher,
    /** Per attempt, headers and body included. 0 disables it. */
    private readonly timeoutMs: number,
  ) {
    const parsed = new URL(url);
    // Anything else would fail every attempt and drop every event: refuse it at start-up instead.
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new Error(`sink URL ${url} must be http:// or https://`);
    }
    this.url = url;
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
    this.attempts = new AttemptSignals(timeoutMs);
  }

  /** Resolves with how the attempt went; rejects only with the signal's reason when it aborts. */
  async send(message: OutgoingMessage, signal: AbortSignal): Promise<AttemptResult> {
    signal.throwIfAborted();
    // undici's own header/body timeouts tick at ~0.5 s; a native timer re-armed per attempt keeps Knative's `timeout` exact
    // and bounds the whole attempt (headers and body), like Go's http.Client.Timeout does in Knative.
    const attempt = this.attempts.acquire(signal);
    try {
      return await this.attempt(message, attempt.signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (attempt.signal.reason === ATTEMPT_TIMED_OUT) {
        return {
          ok: false,
          failure: { kind: "timeout", message: `no complete answer within ${this.timeoutMs} ms` },
        };
      }
      const code = (error as { code?: unknown }).code;
      const text = error instanceof Error ? error.message : String(error);
      if (typeof code === "string" && TIMEOUT_CODES.has(code))
        return { ok: false, failure: { kind: "timeout", message: text } };
      return {
        ok: false,
        failure: { kind: "network", message: typeof code === "string" ? `${code}: ${text}` : text },
      };
    } finally {
      attempt.release();
    }
  }

  private async attempt(message: OutgoingMessage, signal: AttemptAbort): Promise<AttemptResult> {
    const response = await this.dispatcher.request({
      origin: this.origin,
      path: this.path,
      method: "POST",
      headers: message.headers,
      body: message.body,
      signal,
      // With our own timer these are off; without one (timeout 0), undici's defaults still catch a dead peer.
      ...(this.timeoutMs > 0 ? { headersTimeout: 0, bodyTimeout: 0 } : {}),
    });
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) {
      // The status is the acknowledgement: dump() settles on close and never rejects, so a body that then fails
      // or times out cannot turn a delivered event into a retried duplicate.
      await response.body.dump();
      return { ok: true, status: statusCode };
    }
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
    const body = await readBounded(response.body);
    // readBounded swallows body errors; an abort that hit during it must still win.
    signal.throwIfAborted();
    return { ok: false, failure: { kind: "status", status: statusCode, retryAfterMs, body } };
  }
}

/** The first ERROR_BODY_LIMIT bytes; the rest is drained (keeping the connection) up to DRAIN_LIMIT. */
async function readBounded(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let total = 0;
  try {
    for await (const chunk of body) {
      if (keptBytes < ERROR_BODY_LIMIT) {
        const part = chunk.subarray(0, ERROR_BODY_LIMIT - keptBytes);
        kept.push(part);
        keptBytes += part.byteLength;
      }
      total += chunk.byteLength;
      if (total > DRAIN_LIMIT) break;
    }
  } catch {
    // A body that fails half-way still leaves us with the status code, which is what decides.
  }
  return Buffer.concat(kept);
}
