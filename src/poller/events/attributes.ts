import type { ShardContext, StreamRecord } from "../delivery/types";
import { partitionKeyOf, subjectOf } from "./partition-key";

export const EVENT_TYPE = "com.amazon.dynamodb.stream_record";
export const DATA_CONTENT_TYPE = "application/json";

/** The CloudEvents context attributes of one record (everything but `data`). */
export interface RecordAttributes {
  specversion: "1.0";
  id: string;
  type: typeof EVENT_TYPE;
  source: string;
  subject: string;
  time?: string;
  datacontenttype: typeof DATA_CONTENT_TYPE;
  dynamodboperation: string;
  partitionkey: string;
  dynamodbsequence: string;
  [extension: string]: string | undefined;
}

/** A record the stream could not have produced: we refuse to invent an id or an operation for it. */
export class MalformedRecordError extends Error {
  override readonly name = "MalformedRecordError";
}

/**
 * Attributes identical to TriggerMesh's where it had them (`type`, `source`, `id`, `subject`'s meaning,
 * `dynamodboperation`), plus `time` from the record and the `partitionkey`/`dynamodbsequence` extensions.
 * `K_CE_OVERRIDES` extensions come first so that no override can replace a per-record attribute.
 */
export function recordAttributes(
  record: StreamRecord,
  context: Pick<ShardContext, "tableArn">,
  overrides: Readonly<Record<string, string>>,
): RecordAttributes {
  const { eventID, eventName } = record;
  if (eventID === undefined || eventID === "") throw new MalformedRecordError("record has no eventID");
  if (eventName === undefined) throw new MalformedRecordError(`record ${eventID} has no eventName`);
  const keys = record.dynamodb?.Keys ?? {};
  return {
    ...overrides,
    specversion: "1.0",
    id: eventID,
    type: EVENT_TYPE,
    source: context.tableArn,
    subject: subjectOf(keys),
    time: record.dynamodb?.ApproximateCreationDateTime?.toISOString(),
    datacontenttype: DATA_CONTENT_TYPE,
    dynamodboperation: eventName,
    partitionkey: partitionKeyOf(keys),
    dynamodbsequence: record.dynamodb?.SequenceNumber ?? "",
  };
}
