/**
 * How a stream record looks to a pattern: Lambda's record shape, with the attributes of `dynamodb.Keys`, `NewImage`
 * and `OldImage` read as plain values (N → number, B → base64, sets and L → arrays, M → object). Each attribute is
 * converted only when a pattern reads it, so records whose images no pattern looks at are never unmarshalled.
 */

/** Reads one field of an object seen by a pattern. */
export type FieldReader = (parent: object) => unknown;

const IMAGES = new Set(["Keys", "NewImage", "OldImage"]);
const SDK_IDENTITY: Readonly<Record<string, string>> = { type: "Type", principalId: "PrincipalId" };
export const ATTRIBUTE_TYPES = new Set(["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]);

/** True for the object whose children are attributes: `dynamodb.Keys` / `NewImage` / `OldImage`. */
export function isImagePath(keys: readonly string[]): boolean {
  return keys.length === 2 && keys[0] === "dynamodb" && IMAGES.has(keys[1] ?? "");
}

/** The reader of `key` on the object at `parentKeys` (keys from the record's root, `$or` levels left out). */
export function fieldReader(parentKeys: readonly string[], key: string): FieldReader {
  if (isImagePath(parentKeys)) return (image) => attributeToPlain(own(image, key));
  const sdkName = parentKeys.length === 1 && parentKeys[0] === "userIdentity" ? SDK_IDENTITY[key] : undefined;
  // The SDK spells userIdentity's fields `Type` / `PrincipalId`; Lambda's record (and patterns) `type` / `principalId`.
  if (sdkName !== undefined) return (identity) => own(identity, key) ?? own(identity, sdkName);
  return (parent) => {
    const value = own(parent, key);
    // The SDK gives ApproximateCreationDateTime as a Date; Lambda's record has epoch seconds.
    return value instanceof Date ? value.getTime() / 1000 : value;
  };
}

function own(parent: object, key: string): unknown {
  return Object.hasOwn(parent, key) ? (parent as Record<string, unknown>)[key] : undefined;
}

/** One DynamoDB AttributeValue (`{ N: "1" }`) as a plain value; anything else is returned unchanged. */
export function attributeToPlain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const attribute = value as Record<string, unknown>;
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.B !== undefined) return binary(attribute.B);
  if (Array.isArray(attribute.SS)) return attribute.SS;
  if (Array.isArray(attribute.NS)) return attribute.NS.map(Number);
  if (Array.isArray(attribute.BS)) return attribute.BS.map(binary);
  if (Array.isArray(attribute.L)) return attribute.L.map(attributeToPlain);
  if (attribute.M !== null && typeof attribute.M === "object") {
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(attribute.M)) plain[k] = attributeToPlain(v);
    return plain;
  }
  return value;
}

function binary(value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
}
