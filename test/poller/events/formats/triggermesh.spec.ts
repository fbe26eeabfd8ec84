import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { goRfc3339, toTriggerMeshData } from "../../../../src/poller/events/formats/triggermesh";
import { CONTEXT, EVERY_TYPE, makeRecord, OPERATIONS, VIEW_TYPES } from "../fixtures";

// Vendored from triggermesh/triggermesh `schemas/com.amazon.dynamodb.stream_record.json` (Apache-2.0); content unchanged, whitespace formatted by Biome.
const SCHEMA_PATH = join(__dirname, "triggermesh-stream-record.schema.json");

/**
 * The seed's draft-04 schema, made loadable by ajv 8 (no ajv-draft-04 installed): `$schema` keys dropped (the
 * keywords used mean the same in draft-07), and `null` allowed exactly where the seed's own data had nulls: unset
 * AttributeValue members, absent images and a missing UserIdentity.
 */
function seedValidator(): ValidateFunction {
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

describe("data format triggermesh", () => {
  const validate = seedValidator();

  for (const operation of OPERATIONS) {
    for (const viewType of VIEW_TYPES) {
      it(`${operation} with ${viewType} validates against the seed's schema`, () => {
        const record = makeRecord({
          operation,
          viewType,
          keys: { pk: { S: "order#1" }, sk: { N: "42" } },
          newItem: EVERY_TYPE,
          oldItem: EVERY_TYPE,
          ttlDelete: operation === "REMOVE",
        });
        const data = JSON.parse(JSON.stringify(toTriggerMeshData(record, CONTEXT)));
        expect(validate(data), JSON.stringify(validate.errors)).to.equal(true);
      });
    }
  }

  it("the validator is not a rubber stamp: it rejects the aws shape and a short AttributeValue", () => {
    expect(validate({ eventID: "x" })).to.equal(false);
    const record = makeRecord({ operation: "INSERT", viewType: "KEYS_ONLY", keys: { id: { S: "1" } } });
    const data = JSON.parse(JSON.stringify(toTriggerMeshData(record, CONTEXT)));
    data.Dynamodb.Keys.id = { S: "1" };
    expect(validate(data)).to.equal(false);
  });

  it("uses the ten-member AttributeValue with nulls, PascalCase, RFC 3339 time, as the seed emitted", () => {
    const record = makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys: { id: { N: "123" } },
      newItem: { id: { N: "123" }, enabled: { BOOL: true }, b: { B: new Uint8Array([1, 2, 3]) } },
    });
    const data = JSON.parse(JSON.stringify(toTriggerMeshData(record, CONTEXT)));
    const nulls = {
      B: null,
      BOOL: null,
      BS: null,
      L: null,
      M: null,
      N: null,
      NS: null,
      NULL: null,
      S: null,
      SS: null,
    };
    expect(data).to.deep.equal({
      AwsRegion: "us-west-2",
      Dynamodb: {
        ApproximateCreationDateTime: "2026-11-24T14:03:07Z",
        Keys: { id: { ...nulls, N: "123" } },
        NewImage: {
          id: { ...nulls, N: "123" },
          enabled: { ...nulls, BOOL: true },
          b: { ...nulls, B: "AQID" },
        },
        OldImage: null,
        SequenceNumber: "4421584500000000017450439091",
        SizeBytes: 59,
        StreamViewType: "NEW_IMAGE",
      },
      EventID: "c81e728d9d4c2f636f067f89cc14862c",
      EventName: "INSERT",
      EventSource: "aws:dynamodb",
      EventVersion: "1.1",
      UserIdentity: null,
    });
    // Go marshals struct fields in declaration order; keep it for byte-level diffs against the seed.
    expect(Object.keys(data)).to.deep.equal([
      "AwsRegion",
      "Dynamodb",
      "EventID",
      "EventName",
      "EventSource",
      "EventVersion",
      "UserIdentity",
    ]);
    expect(Object.keys(data.Dynamodb.Keys.id)).to.deep.equal([
      "B",
      "BOOL",
      "BS",
      "L",
      "M",
      "N",
      "NS",
      "NULL",
      "S",
      "SS",
    ]);
  });

  it("has UserIdentity for TTL deletes", () => {
    const record = makeRecord({
      operation: "REMOVE",
      viewType: "KEYS_ONLY",
      keys: { id: { S: "1" } },
      ttlDelete: true,
    });
    expect(toTriggerMeshData(record, CONTEXT).UserIdentity).to.deep.equal({
      PrincipalId: "dynamodb.amazonaws.com",
      Type: "Service",
    });
  });

  it("formats time like Go's time.Time (fraction only when non-zero)", () => {
    expect(goRfc3339(new Date("2023-03-30T12:00:00.000Z"))).to.equal("2023-03-30T12:00:00Z");
    expect(goRfc3339(new Date("2023-03-30T12:00:10.120Z"))).to.equal("2023-03-30T12:00:10.12Z");
  });

  it("keeps an attribute named __proto__ as data", () => {
    const image = JSON.parse('{"__proto__":{"S":"x"}}');
    const record = makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys: { id: { S: "1" } },
      newItem: image,
    });
    const data = JSON.parse(JSON.stringify(toTriggerMeshData(record, CONTEXT)));
    expect(Object.keys(data.Dynamodb.NewImage)).to.deep.equal(["__proto__"]);
  });
});
