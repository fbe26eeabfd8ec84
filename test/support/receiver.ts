import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { type CloudEventV1, HTTP } from "cloudevents";

/** How the receiver answers one request. Defaults: 202, no delay. */
export interface ScriptedResponse {
  status?: number;
  /** Wait this long before answering (or before resetting). */
  delayMs?: number;
  /** Sent as the `Retry-After` header (seconds or an HTTP-date). */
  retryAfter?: string;
  body?: string;
  /** Destroy the connection instead of answering (the client sees a reset). */
  reset?: boolean;
}

export interface ReceivedRequest {
  /** 0-based arrival index. */
  index: number;
  headers: IncomingHttpHeaders;
  body: string;
  mode: "binary" | "structured" | "batch" | "invalid";
  /** Parsed with the cloudevents SDK (several for batch mode); empty when the request was not a CloudEvent. */
  events: CloudEventV1<unknown>[];
  parseError?: string;
  /** What the receiver answered; `"reset"` for a destroyed connection. */
  answer: number | "reset";
  receivedAt: number;
  /** The client's port: requests sharing one tell a reused keep-alive connection. */
  remotePort: number | undefined;
}

export type Responder = (request: ReceivedRequest) => ScriptedResponse;

/**
 * A CloudEvents HTTP receiver for tests, benches and chaos runs: listens on 127.0.0.1 on a free port, parses every
 * request with the cloudevents SDK (binary, structured, batch; `ce-*` header values percent-decoded as the HTTP
 * binding requires), records them in arrival order and answers from a script: queued responses first, then the
 * responder function (default 202).
 */
export class CloudEventsReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly queue: ScriptedResponse[] = [];
  private responder: Responder = () => ({ status: 202 });
  private waiters: Array<() => void> = [];
  private acceptedEvents = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = "/"): Promise<CloudEventsReceiver> {
    let receiver: CloudEventsReceiver | undefined;
    const server = createServer((req, res) => receiver?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    receiver = new CloudEventsReceiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  /** Answers the next requests with these, in order. */
  enqueue(...responses: ScriptedResponse[]): this {
    this.queue.push(...responses);
    return this;
  }

  /** Answers every request not covered by `enqueue` with this function's result. */
  respondWith(responder: Responder): this {
    this.responder = responder;
    return this;
  }

  /** Events of the requests answered with a 2xx, in arrival order. */
  get accepted(): CloudEventV1<unknown>[] {
    return this.requests
      .filter((r) => typeof r.answer === "number" && r.answer < 300)
      .flatMap((r) => r.events);
  }

  /** How many events were answered with a 2xx so far (kept as a count: cheap to poll in benches). */
  get acceptedCount(): number {
    return this.acceptedEvents;
  }

  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<ReceivedRequest[]> {
    await this.waitUntil(
      () => this.requests.length >= count,
      timeoutMs,
      () => `expected ${count} requests, got ${this.requests.length}`,
    );
    return this.requests.slice(0, count);
  }

  /** Resolves once `count` events have been answered with a 2xx; rejects after `timeoutMs`. */
  async waitForAccepted(count: number, timeoutMs = 5_000): Promise<void> {
    await this.waitUntil(
      () => this.acceptedEvents >= count,
      timeoutMs,
      () => `expected ${count} accepted events, got ${this.acceptedEvents}`,
    );
  }

  private async waitUntil(done: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(failure());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = parseRequest(this.requests.length, req.headers, Buffer.concat(chunks).toString("utf8"));
      request.remotePort = req.socket.remotePort;
      this.requests.push(request);
      const script = this.queue.shift() ?? this.responder(request);
      request.answer = script.reset ? "reset" : (script.status ?? 202);
      if (typeof request.answer === "number" && request.answer >= 200 && request.answer < 300) {
        this.acceptedEvents += request.events.length;
      }
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
      const answer = () => {
        if (script.reset) {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string> = {};
        if (script.retryAfter !== undefined) headers["retry-after"] = script.retryAfter;
        res.writeHead(request.answer as number, headers).end(script.body ?? "");
      };
      if (script.delayMs) setTimeout(answer, script.delayMs);
      else answer();
    });
  }
}

function parseRequest(index: number, headers: IncomingHttpHeaders, body: string): ReceivedRequest {
  const request: ReceivedRequest = {
    index,
    headers,
    body,
    mode: "invalid",
    events: [],
    answer: 202,
    receivedAt: Date.now(),
    remotePort: undefined,
  };
  const contentType = String(headers["content-type"] ?? "");
  request.mode = contentType.startsWith("application/cloudevents-batch")
    ? "batch"
    : contentType.startsWith("application/cloudevents")
      ? "structured"
      : "binary";
  try {
    const parsed = HTTP.toEvent({ headers: decodeCeHeaders(headers), body });
    request.events = Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    request.mode = "invalid";
    request.parseError = error instanceof Error ? error.message : String(error);
  }
  return request;
}

/** CloudEvents HTTP binding §3.1.3.2: `ce-*` header values are percent-encoded UTF-8; the JS SDK does not decode. */
function decodeCeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(",") : value;
    out[name] = name.startsWith("ce-") ? percentDecode(text) : text;
  }
  return out;
}

function percentDecode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
