import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { StreamRecord } from "../../delivery/types";
import { type AttributeMap, bytesToBase64 } from "../attribute-value";
import { losslessNumber } from "./lossless-number";

/** Principal DynamoDB uses for deletes made by Time To Live. */
export const TTL_PRINCIPAL = "dynamodb.amazonaws.com";

/**
 * `DATA_FORMAT=plain`: keys and images as ordinary JSON.
 *
 * ```
 * { eventID, eventName, sequenceNumber, approximateCreationDateTime (ISO-8601 string or null),
 *   expiredByTtl (true for deletes made by DynamoDB TTL), keys, newImage (or null), oldImage (or null) }
 * ```
 * Values: S → string, N → number when a double holds it exactly else the original string, B → base64 string,
 * BOOL → boolean, NULL → null, M → object, L → array, SS/NS/BS → arrays (same rules for their elements).
 */
export function toPlainData(record: StreamRecord): Record<string, unknown> {
  const stream = record.dynamodb;
  return {
    eventID: record.eventID ?? null,
    eventName: record.eventName ?? null,
    sequenceNumber: stream?.SequenceNumber ?? null,
    approximateCreationDateTime: stream?.ApproximateCreationDateTime?.toISOString() ?? null,
    expiredByTtl:
      record.userIdentity?.Type === "Service" && record.userIdentity.PrincipalId === TTL_PRINCIPAL,
    keys: toPlainMap(stream?.Keys) ?? {},
    newImage: toPlainMap(stream?.NewImage),
    oldImage: toPlainMap(stream?.OldImage),
  };
}

export function toPlainMap(map: AttributeMap | undefined): Record<string, unknown> | null {
  if (map === undefined) return null;
  // The Streams client's AttributeValue is structurally the DynamoDB client's one that unmarshall is typed with.
  const native = unmarshall(map as Parameters<typeof unmarshall>[0], { wrapNumbers: losslessNumber });
  return jsonReady(native) as Record<string, unknown>;
}

/** unmarshall gives Sets and Uint8Arrays; JSON wants arrays and base64. Converts in place (the objects are fresh). */
function jsonReady(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (value instanceof Set) return Array.from(value, jsonReady);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = jsonReady(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) object[key] = jsonReady(object[key]);
  return object;
}
