/**
 * Attribute names `K_CE_OVERRIDES` may not set: the CloudEvents core attributes (they describe the record and the
 * seed's Triggers filter on them), this source's per-record extensions (ordering and filtering rely on them) and
 * Knative's dead-letter extensions (they must say why an event failed, nothing else).
 */
export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "subject",
  "time",
  "datacontenttype",
  "dataschema",
  "data",
  "data_base64",
  "dynamodboperation",
  "partitionkey",
  "dynamodbsequence",
  "knativeerrorcode",
  "knativeerrordest",
  "knativeerrordata",
]);

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

/**
 * Why a set of `K_CE_OVERRIDES` extensions cannot be used, or undefined when it can. Names follow the CloudEvents
 * rule (lower-case letters and digits; at most 20, which the spec only recommends but Knative enforces).
 */
export function ceOverridesProblem(extensions: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(extensions)) {
    if (!EXTENSION_NAME.test(name)) {
      return `extension name "${name}" must be 1-20 lower-case letters or digits`;
    }
    if (RESERVED_ATTRIBUTES.has(name)) {
      return `extension "${name}" is set by the source for every record and cannot be overridden`;
    }
    if (typeof value !== "string") return `extension "${name}" must have a string value`;
  }
  return undefined;
}
