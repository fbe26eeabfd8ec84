import type { RecordEvent } from "../events/to-cloudevent";
import { type OutgoingMessage, structuredJson } from "./http-message";
import type { StreamRecord } from "./types";

/** CloudEvents JSON batch format (HTTP binding §3.3): a JSON array of structured-mode events. */
export const BATCH_CONTENT_TYPE = "application/cloudevents-batch+json; charset=utf-8";

const BATCH_HEADERS: Readonly<Record<string, string>> = { "content-type": BATCH_CONTENT_TYPE };

/** One event ready to join a batch: serialised once, so splitting a batch never serialises it again. */
export interface BatchEntry {
  /** Index of the record in the shard's batch (what `settle` takes). */
  readonly position: number;
  readonly record: StreamRecord;
  readonly event: RecordEvent;
  /** The event in structured JSON, exactly as `HTTP.structured` writes it. */
  readonly json: string;
  readonly bytes: number;
}

export function toBatchEntry(position: number, record: StreamRecord, event: RecordEvent): BatchEntry {
  const json = structuredJson(event);
  return { position, record, event, json, bytes: Buffer.byteLength(json, "utf8") };
}

/** Bytes of a batch body holding `count` events of `eventBytes` in total: `[`, `]` and the commas. */
export function batchBodyBytes(count: number, eventBytes: number): number {
  return eventBytes + Math.max(count - 1, 0) + 2;
}

/** The request for `entries[from, to)`. */
export function batchMessage(entries: readonly BatchEntry[], from: number, to: number): OutgoingMessage {
  let body = "[";
  for (let i = from; i < to; i++) {
    if (i > from) body += ",";
    body += entries[i]?.json ?? "";
  }
  return { headers: BATCH_HEADERS, body: `${body}]` };
}
