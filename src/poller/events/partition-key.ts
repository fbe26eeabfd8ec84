import { type AttributeMap, bytesToBase64 } from "./attribute-value";

/**
 * The `partitionkey` extension: one canonical string per item, built from its key attributes only, so every
 * event of the same item carries the same value whatever order the attributes came in.
 *
 * Format: `name=T:value` pairs sorted by attribute name (UTF-16 code-unit order) and joined by `,`, where `T` is
 * the key's DynamoDB type (`S`, `N` or `B`) and a `B` value is standard base64. In names and values, `\`, `,` and
 * `=` are escaped with a backslash, so the string splits unambiguously. Examples: `pk=S:user#1`,
 * `pk=S:order,sk=N:42`, `id=B:AQID`.
 * `N` values are taken as DynamoDB returns them (it normalises numbers, so `42` and `42.0` cannot both occur).
 */
export function partitionKeyOf(keys: AttributeMap): string {
  const names = Object.keys(keys);
  if (names.length > 1) names.sort();
  // Joined from its parts rather than concatenated: `+` and template literals make a rope (V8's ConsString) of any
  // string of 13 characters or more, and one rope among an event's attributes sends the whole event's
  // JSON.stringify off V8's fast path (structured and batch modes: ~2 µs more per 1 KB event, README).
  const parts: string[] = [];
  for (const name of names) {
    const value = keys[name];
    if (value === undefined) continue;
    if (parts.length > 0) parts.push(",");
    parts.push(escapeKeyPart(name));
    pushTypedValue(parts, value);
  }
  return parts.join("");
}

/** The CloudEvents `subject`: the key attribute names, sorted and comma-joined (TriggerMesh's meaning, made stable). */
export function subjectOf(keys: AttributeMap): string {
  const names = Object.keys(keys);
  if (names.length > 1) names.sort();
  return names.join(",");
}

/** Appends `=T:` for the value's DynamoDB type, then its text. */
function pushTypedValue(parts: string[], value: AttributeMap[string]): void {
  if (value.S !== undefined) parts.push("=S:", escapeKeyPart(value.S));
  else if (value.N !== undefined) parts.push("=N:", value.N);
  else if (value.B !== undefined) parts.push("=B:", escapeKeyPart(bytesToBase64(value.B)));
  // Key attributes can only be S, N or B; anything else means a malformed record, which must still get a stable key.
  else parts.push("=?:", escapeKeyPart(JSON.stringify(value)));
}

const NEEDS_ESCAPE = /[\\,=]/;

function escapeKeyPart(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\,=]/g, "\\$&") : text;
}
