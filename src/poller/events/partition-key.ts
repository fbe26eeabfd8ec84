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
  let out = "";
  for (const name of names) {
    const value = keys[name];
    if (value === undefined) continue;
    if (out.length > 0) out += ",";
    out += `${escapeKeyPart(name)}=${typedKeyValue(value)}`;
  }
  return out;
}

/** The CloudEvents `subject`: the key attribute names, sorted and comma-joined (TriggerMesh's meaning, made stable). */
export function subjectOf(keys: AttributeMap): string {
  const names = Object.keys(keys);
  if (names.length > 1) names.sort();
  return names.join(",");
}

function typedKeyValue(value: AttributeMap[string]): string {
  if (value.S !== undefined) return `S:${escapeKeyPart(value.S)}`;
  if (value.N !== undefined) return `N:${value.N}`;
  if (value.B !== undefined) return `B:${escapeKeyPart(bytesToBase64(value.B))}`;
  // Key attributes can only be S, N or B; anything else means a malformed record, which must still get a stable key.
  return `?:${escapeKeyPart(JSON.stringify(value))}`;
}

const NEEDS_ESCAPE = /[\\,=]/;

function escapeKeyPart(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\,=]/g, "\\$&") : text;
}
