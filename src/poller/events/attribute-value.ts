import type { AttributeValue } from "@aws-sdk/client-dynamodb-streams";

export type { AttributeValue };

/** An item image or key map as DynamoDB Streams returns it. */
export type AttributeMap = Record<string, AttributeValue>;

/** Standard base64 of bytes without copying them (Buffer.from on the same memory). */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * `object[key] = value`, except that an attribute literally named `__proto__` becomes an own property instead of
 * replacing the prototype (and vanishing from the JSON).
 */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__")
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
