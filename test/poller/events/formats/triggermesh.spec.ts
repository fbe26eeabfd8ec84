import { expect } from "chai";
import { goRfc3339, toTriggerMeshData } from "../../../../src/poller/events/formats/triggermesh";
import { CONTEXT, EVERY_TYPE, makeRecord, OPERATIONS, VIEW_TYPES } from "../fixtures";
import { seedValidator } from "./seed-schema";

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
