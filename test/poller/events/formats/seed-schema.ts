import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

// Vendored from triggermesh/triggermesh `schemas/com.amazon.dynamodb.stream_record.json` (Apache-2.0); content unchanged, whitespace formatted by Biome.
const SCHEMA_PATH = join(__dirname, "triggermesh-stream-record.schema.json");

/**
 * The seed's draft-04 schema, made loadable by ajv 8 (no ajv-draft-04 installed): `$schema` keys dropped (the
 * keywords used mean the same in draft-07), and `null` allowed exactly where the seed's own data had nulls: unset
 * AttributeValue members, absent images and a missing UserIdentity.
 */
export function seedValidator(): ValidateFunction {
  const schema = stripSchemaKeys(JSON.parse(readFileSync(SCHEMA_PATH, "utf8"))) as SeedSchema;
  const defs = schema.definitions;
  for (const member of Object.values(defs.AttributeValue.properties))
    member.type = [member.type as string, "null"];
  for (const image of ["NewImage", "OldImage"]) {
    const property = defs.StreamRecord.properties[image];
    if (property === undefined) throw new Error(`the seed schema has no StreamRecord.${image}`);
    property.type = ["object", "null"];
  }
  defs.Record.properties.UserIdentity = { anyOf: [{ type: "null" }, { $ref: "#/definitions/Identity" }] };
  delete schema.examples;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

interface SeedSchema {
  definitions: Record<string, { properties: Record<string, Record<string, unknown>> }> & {
    AttributeValue: { properties: Record<string, { type: unknown }> };
    StreamRecord: { properties: Record<string, { type: unknown }> };
    Record: { properties: Record<string, unknown> };
  };
  examples?: unknown;
}

function stripSchemaKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSchemaKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "$schema")
      .map(([key, inner]) => [key, stripSchemaKeys(inner)]),
  );
}
