import type { IncomingHttpHeaders } from "node:http";
import { CloudEvent, HTTP } from "cloudevents";

const ITEM_KEY = /item-(\d+)/;
const WRITTEN_AT = /"writtenAt":\{"N":"(\d+)"\}/;
/** Events checked with the CloudEvents SDK per run: enough to catch a malformed event, cheap enough not to matter. */
const VALIDATED = 20;

/**
 * Counts the bench items a sink receives (ids `item-<n>`, n < expected): duplicates, missing ids, first and last
 * arrival, and `writtenAt`→arrival latencies when asked. Binary mode carries the key in `ce-partitionkey`,
 * structured mode in the JSON body.
 */
export class ItemTracker {
  private readonly seen: Uint8Array;
  received = 0;
  distinct = 0;
  duplicates = 0;
  foreign = 0;
  invalid: string[] = [];
  firstAt = Number.NaN;
  lastAt = Number.NaN;
  readonly latenciesMs: number[] = [];

  constructor(
    readonly expected: number,
    private readonly recordLatency = false,
  ) {
    this.seen = new Uint8Array(expected);
  }

  readonly observe = (headers: IncomingHttpHeaders, body: string, receivedAt: number): void => {
    if (this.received < VALIDATED) this.validate(headers, body);
    this.received++;
    if (Number.isNaN(this.firstAt)) this.firstAt = receivedAt;
    this.lastAt = receivedAt;
    const key = headers["ce-partitionkey"];
    const match = ITEM_KEY.exec(typeof key === "string" ? key : body);
    const n = match ? Number(match[1]) : -1;
    if (n < 0 || n >= this.expected) {
      this.foreign++;
      return;
    }
    if (this.seen[n]) this.duplicates++;
    else {
      this.seen[n] = 1;
      this.distinct++;
    }
    if (this.recordLatency) {
      const written = WRITTEN_AT.exec(body);
      // writtenAt is wall-clock (Date.now) in the same process: compare with wall-clock now.
      if (written) this.latenciesMs.push(Date.now() - Number(written[1]));
    }
  };

  get missing(): number {
    return this.expected - this.distinct;
  }

  get complete(): boolean {
    return this.missing === 0 && this.invalid.length === 0;
  }

  /** Events per second from the first arrival to the last (start-up excluded). */
  get rate(): number {
    const seconds = (this.lastAt - this.firstAt) / 1000;
    return seconds > 0 ? (this.received - 1) / seconds : Number.NaN;
  }

  private validate(headers: IncomingHttpHeaders, body: string): void {
    try {
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) if (typeof value === "string") flat[name] = value;
      const event = HTTP.toEvent({ headers: flat, body });
      if (Array.isArray(event)) throw new Error("a batch where one event was expected");
      // Strict construction runs the SDK's JSON-schema validation of every attribute.
      new CloudEvent(event, true);
    } catch (err) {
      this.invalid.push(err instanceof Error ? err.message : String(err));
    }
  }
}
