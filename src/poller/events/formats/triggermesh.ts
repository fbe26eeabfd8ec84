import type { StreamRecord } from "../../delivery/types";
import { type AttributeMap, type AttributeValue, bytesToBase64, setOwn } from "../attribute-value";
import type { RecordSource } from "../record-source";

/**
 * TriggerMesh's AttributeValue: aws-sdk-go v1's struct marshalled by encoding/json, i.e. all ten members present,
 * in struct order, `null` when unset.
 */
export interface TriggerMeshAttributeValue {
  B: string | null;
  BOOL: boolean | null;
  BS: string[] | null;
  L: TriggerMeshAttributeValue[] | null;
  M: Record<string, TriggerMeshAttributeValue> | null;
  N: string | null;
  NS: string[] | null;
  NULL: boolean | null;
  S: string | null;
  SS: string[] | null;
}

/**
 * `DATA_FORMAT=triggermesh`: the exact PascalCase, null-heavy shape AWSDynamoDBSource emitted (Go field names, no
 * omitempty, RFC 3339 time), so consumers written for it keep working unchanged.
 */
export function toTriggerMeshData(record: StreamRecord, source: RecordSource): Record<string, unknown> {
  const stream = record.dynamodb;
  const identity = record.userIdentity;
  return {
    AwsRegion: record.awsRegion ?? source.region,
    Dynamodb:
      stream === undefined
        ? null
        : {
            ApproximateCreationDateTime:
              stream.ApproximateCreationDateTime === undefined
                ? null
                : goRfc3339(stream.ApproximateCreationDateTime),
            Keys: mapOrNull(stream.Keys),
            NewImage: mapOrNull(stream.NewImage),
            OldImage: mapOrNull(stream.OldImage),
            SequenceNumber: stream.SequenceNumber ?? null,
            SizeBytes: stream.SizeBytes ?? null,
            StreamViewType: stream.StreamViewType ?? null,
          },
    EventID: record.eventID ?? null,
    EventName: record.eventName ?? null,
    EventSource: record.eventSource ?? "aws:dynamodb",
    EventVersion: record.eventVersion ?? null,
    UserIdentity:
      identity === undefined
        ? null
        : { PrincipalId: identity.PrincipalId ?? null, Type: identity.Type ?? null },
  };
}

/** Go's time.Time JSON form (RFC 3339 with trailing fractional zeros trimmed), in UTC as the SDK parses it. */
export function goRfc3339(date: Date): string {
  // Joined, not replaced: `replace` returns a rope, which keeps JSON.stringify off V8's fast path (partition-key.ts).
  return [date.toISOString().replace(/\.?0*Z$/, ""), "Z"].join("");
}

function mapOrNull(map: AttributeMap | undefined): Record<string, TriggerMeshAttributeValue> | null {
  return map === undefined ? null : toTriggerMeshMap(map);
}

function toTriggerMeshMap(map: AttributeMap): Record<string, TriggerMeshAttributeValue> {
  const out: Record<string, TriggerMeshAttributeValue> = {};
  for (const name in map) setOwn(out, name, toTriggerMeshValue(map[name] as AttributeValue));
  return out;
}

function toTriggerMeshValue(value: AttributeValue): TriggerMeshAttributeValue {
  return {
    B: value.B === undefined ? null : bytesToBase64(value.B),
    BOOL: value.BOOL ?? null,
    BS: value.BS === undefined ? null : value.BS.map(bytesToBase64),
    L: value.L === undefined ? null : value.L.map(toTriggerMeshValue),
    M: value.M === undefined ? null : toTriggerMeshMap(value.M),
    N: value.N ?? null,
    NS: value.NS ?? null,
    NULL: value.NULL ?? null,
    S: value.S ?? null,
    SS: value.SS ?? null,
  };
}
