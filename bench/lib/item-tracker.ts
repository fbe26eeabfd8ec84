import type { IncomingHttpHeaders } from "node:http";
import { CloudEvent, HTTP } from "cloudevents";
import { BATCH_CONTENT_TYPE } from "../../src/poller/delivery/batch-message";

const ITEM_KEY = /item-(\d+)/;
const WRITTEN_AT = /"writtenAt":\{"N":"(\d+)"\}/;
/** Events checked with the CloudEvents SDK per run: enough to catch a malformed event, cheap enough not to matter. */
const VALIDATED = 20;
/** The media type of a CloudEvents batch, without its parameters. */
const BATCH_TYPE = BATCH_CONTENT_TYPE.split(";")[0] as string;
/**
 * An event's `partitionkey` member in a batch body. Inside a JSON string a quote is always escaped, so this can only
 * match a member name and its string value; with DATA_FORMAT=aws the item's own attributes are typed objects
 * (`"partitionkey":{"S":…}`), so only the events' attribute matches.
 */
const BATCH_PARTITION_KEY = /"partitionkey":"((?:[^"\\]|\\.)*)"/g;

/**
 * The `partitionkey` of every event in a batch body, found by scanning it rather than parsing it: on the same
 * 2 cores as the poller, JSON.parse of 1 KB events cost the sink ~4.5 µs an event, the scan ~0.4. The raw read
 * limit has no sink at all, so what the sink spends is CPU the batch-mode poller cannot have. The first requests are
 * still parsed and validated with the CloudEvents SDK, and there the scan must find one key per event.
 */
export function batchPartitionKeys(body: string): string[] {
  const keys: string[] = [];
  for (const match of body.matchAll(BATCH_PARTITION_KEY)) keys.push(match[1] as string);
  return keys;
}

/**
 * Counts the bench items a sink receives (ids `item-<n>`, n < expected): duplicates, missing ids, first and last
 * arrival, and `writtenAt`→arrival latencies when asked. Binary mode carries the key in `ce-partitionkey`,
 * structured mode in the JSON body, batch mode in each event of the JSON array.
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
  /** The first request's events arrive at firstAt: the rate counts those after it. */
  private eventsInFirstRequest = 0;
  /** When the sink had received `warmUpEvents` events, and how many exactly (a batch can step past it). */
  private warmAt = Number.NaN;
  private receivedAtWarm = 0;
  readonly latenciesMs: number[] = [];

  constructor(
    readonly expected: number,
    private readonly recordLatency = false,
    /** Events before the warm rate starts (0: no warm rate). */
    private readonly warmUpEvents = 0,
  ) {
    this.seen = new Uint8Array(expected);
  }

  readonly observe = (headers: IncomingHttpHeaders, body: string, receivedAt: number): void => {
    if (this.received < VALIDATED) this.validate(headers, body);
    if (Number.isNaN(this.firstAt)) this.firstAt = receivedAt;
    this.lastAt = receivedAt;
    if (String(headers["content-type"]).startsWith(BATCH_TYPE)) {
      if (this.recordLatency) {
        // Each event's own text is needed for its writtenAt: parse (the latency scenario's rates are low).
        const events = JSON.parse(body) as Array<{ partitionkey?: unknown }>;
        for (const event of events) this.count(String(event.partitionkey), JSON.stringify(event));
      } else {
        for (const key of batchPartitionKeys(body)) this.count(key, "");
      }
    } else {
      const key = headers["ce-partitionkey"];
      this.count(typeof key === "string" ? key : body, body);
    }
    if (this.eventsInFirstRequest === 0) this.eventsInFirstRequest = this.received;
    if (this.warmUpEvents > 0 && Number.isNaN(this.warmAt) && this.received >= this.warmUpEvents) {
      this.warmAt = receivedAt;
      this.receivedAtWarm = this.received;
    }
  };

  /** One event, found by its `partitionkey` (in `keyText`) and carrying `writtenAt` (in `body`). */
  private count(keyText: string, body: string): void {
    this.received++;
    const match = ITEM_KEY.exec(keyText);
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
  }

  get missing(): number {
    return this.expected - this.distinct;
  }

  get complete(): boolean {
    return this.missing === 0 && this.invalid.length === 0;
  }

  /** Events per second from the first arrival to the last (start-up excluded). */
  get rate(): number {
    const seconds = (this.lastAt - this.firstAt) / 1000;
    return seconds > 0 ? (this.received - this.eventsInFirstRequest) / seconds : Number.NaN;
  }

  /** Events per second after the first `warmUpEvents` (NaN if the sink never had that many, or none came after). */
  get rateAfterWarmUp(): number {
    const seconds = (this.lastAt - this.warmAt) / 1000;
    return seconds > 0 ? (this.received - this.receivedAtWarm) / seconds : Number.NaN;
  }

  private validate(headers: IncomingHttpHeaders, body: string): void {
    try {
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) if (typeof value === "string") flat[name] = value;
      const parsed = HTTP.toEvent({ headers: flat, body });
      const batch = String(headers["content-type"]).startsWith(BATCH_TYPE);
      if (Array.isArray(parsed) !== batch)
        throw new Error(`${batch ? "no batch" : "a batch"} for ${headers["content-type"]}`);
      // Strict construction runs the SDK's JSON-schema validation of every attribute.
      const events = Array.isArray(parsed) ? parsed : [parsed];
      for (const event of events) new CloudEvent(event, true);
      const scanned = batch ? batchPartitionKeys(body).length : events.length;
      if (scanned !== events.length)
        throw new Error(
          `the sink's scan found ${scanned} partitionkeys in a batch of ${events.length} events`,
        );
    } catch (err) {
      this.invalid.push(err instanceof Error ? err.message : String(err));
    }
  }
}
