import type { StreamRecord } from "../../delivery/types";
import { type AttributeMap, type AttributeValue, bytesToBase64, setOwn } from "../attribute-value";
import type { RecordSource } from "../record-source";

/** A JSON-ready AttributeValue: what the Streams API puts on the wire (binary as base64). */
export type AwsJsonAttributeValue = object;

/**
 * `DATA_FORMAT=aws`: the record as Lambda delivers it (the Streams API shape, plus `eventSourceARN`):
 * `ApproximateCreationDateTime` in epoch seconds, typed AttributeValues, binary as base64, images present only
 * when the stream's view type has them, and Lambda's lower-case `userIdentity` for TTL deletes.
 */
export function toAwsData(record: StreamRecord, source: RecordSource): Record<string, unknown> {
  const stream = record.dynamodb;
  const dynamodb: Record<string, unknown> = {};
  if (stream?.ApproximateCreationDateTime !== undefined) {
    dynamodb.ApproximateCreationDateTime = stream.ApproximateCreationDateTime.getTime() / 1000;
  }
  if (stream?.Keys !== undefined) dynamodb.Keys = toAwsJsonMap(stream.Keys);
  if (stream?.NewImage !== undefined) dynamodb.NewImage = toAwsJsonMap(stream.NewImage);
  if (stream?.OldImage !== undefined) dynamodb.OldImage = toAwsJsonMap(stream.OldImage);
  if (stream?.SequenceNumber !== undefined) dynamodb.SequenceNumber = stream.SequenceNumber;
  if (stream?.SizeBytes !== undefined) dynamodb.SizeBytes = stream.SizeBytes;
  if (stream?.StreamViewType !== undefined) dynamodb.StreamViewType = stream.StreamViewType;

  const data: Record<string, unknown> = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource ?? "aws:dynamodb",
    awsRegion: record.awsRegion ?? source.region,
    dynamodb,
  };
  if (record.userIdentity !== undefined) {
    data.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  }
  data.eventSourceARN = source.streamArn;
  return data;
}

/** Converts a map only if it holds binary somewhere; otherwise the SDK's own objects are reused as they are. */
export function toAwsJsonMap(map: AttributeMap): Record<string, AwsJsonAttributeValue> {
  let copy: Record<string, AwsJsonAttributeValue> | undefined;
  for (const name in map) {
    const value = map[name] as AttributeValue;
    const json = toAwsJson(value);
    if (json !== value && copy === undefined) copy = { ...map };
    if (copy !== undefined) setOwn(copy, name, json);
  }
  return copy ?? map;
}

function toAwsJson(value: AttributeValue): AwsJsonAttributeValue {
  if (value.B !== undefined) return { B: bytesToBase64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(bytesToBase64) };
  if (value.M !== undefined) {
    const m = toAwsJsonMap(value.M);
    return m === value.M ? value : { M: m };
  }
  if (value.L !== undefined) {
    let list: AwsJsonAttributeValue[] | undefined;
    value.L.forEach((item, i) => {
      const json = toAwsJson(item);
      if (json !== item && list === undefined) list = value.L.slice() as AwsJsonAttributeValue[];
      if (list !== undefined) list[i] = json;
    });
    return list === undefined ? value : { L: list };
  }
  return value;
}
