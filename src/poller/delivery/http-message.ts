import { type CloudEvent, CONSTANTS } from "cloudevents";
import { ContentMode } from "./types";

/** What goes on the wire for one event. */
export interface OutgoingMessage {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Binary mode writes what the SDK's `HTTP.binary` writes (`content-type` from `datacontenttype`, one `ce-<name>`
 * header per other attribute, JSON data as the body), directly: the SDK's version costs ~3× the JSON
 * serialisation itself. Structured mode writes what `HTTP.structured` writes (see structuredJson). `ce-*` header
 * values are then percent-encoded as the HTTP binding requires (v1.0.2 §3.1.3.2): the SDK does not, and Node refuses
 * non-ASCII header values, so a unicode key name in `subject` would otherwise fail every request.
 */
export function toOutgoingMessage(event: CloudEvent<unknown>, mode: ContentMode): OutgoingMessage {
  if (mode === ContentMode.Structured) return { headers: STRUCTURED_HEADERS, body: structuredJson(event) };
  return binaryMessage(event);
}

const STRUCTURED_HEADERS: Readonly<Record<string, string>> = {
  "content-type": CONSTANTS.DEFAULT_CE_CONTENT_TYPE,
};

/**
 * The event in structured JSON, character for character what the SDK's `HTTP.structured` writes
 * (`JSON.stringify(event)`, through `CloudEvent.toJSON`): its own attributes in their order, `time` re-formatted by
 * toISOString, `data` left out when the event carries `data_base64`. Written from a plain copy because an object
 * with a `toJSON` method keeps V8 (13.8 and later: Node.js 26) off its fast JSON.stringify path, which made the SDK's
 * version cost ~3× the copy's on 1 KB events (README, What limits → Batch drain).
 */
export function structuredJson(event: CloudEvent<unknown>): string {
  const attributes = event as unknown as Record<string, unknown>;
  const binaryData = Boolean(event.data_base64);
  const plain: Record<string, unknown> = {};
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (value === undefined || (binaryData && name === "data")) continue;
    plain[name] = name === "time" ? isoTime(value) : value;
  }
  return JSON.stringify(plain);
}

const NOT_HEADERS = new Set(["data", "data_base64", "datacontenttype"]);

function binaryMessage(event: CloudEvent<unknown>): OutgoingMessage {
  const headers: Record<string, string> = { "content-type": event.datacontenttype ?? "application/json" };
  const attributes = event as unknown as Record<string, unknown>;
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (value === undefined || NOT_HEADERS.has(name)) continue;
    const text = name === "time" ? canonicalTime(String(value)) : String(value);
    headers[`ce-${name}`] = encodeHeaderValue(text);
  }
  const { data } = event;
  return { headers, body: typeof data === "string" ? data : JSON.stringify(data) };
}

/** `time` as toJSON writes it, `new Date(time).toISOString()`, without re-parsing a time already in that form. */
function isoTime(time: unknown): string {
  return typeof time === "string" ? canonicalTime(time) : new Date(time as Date).toISOString();
}

/** `Date.prototype.toISOString` output, which is what every event the poller builds carries. */
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The time as HTTP.binary writes it (re-formatted by toISOString); already in that form, as is (~2 µs less). */
function canonicalTime(time: string): string {
  return CANONICAL_TIME.test(time) ? time : new Date(time).toISOString();
}

// Printable ASCII except space, `"` and `%` passes as is; everything else is %XX of its UTF-8 bytes.
const MUST_ENCODE = /[^\x21\x23\x24\x26-\x7e]/u;
const MUST_ENCODE_ALL = /[^\x21\x23\x24\x26-\x7e]/gu;

export function encodeHeaderValue(value: string): string {
  if (!MUST_ENCODE.test(value)) return value;
  return value.replace(MUST_ENCODE_ALL, (char) => {
    let encoded = "";
    for (const byte of Buffer.from(char, "utf8"))
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    return encoded;
  });
}
