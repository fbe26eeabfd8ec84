import { expect } from "chai";
import { toAwsData } from "../../../../src/poller/events/formats/aws";
import { CONTEXT, CREATED_AT, EVERY_TYPE, makeRecord, STREAM_ARN } from "../fixtures";

describe("data format aws", () => {
  it("is the record as Lambda delivers it, with typed AttributeValues and binary as base64", () => {
    const record = makeRecord({
      operation: "MODIFY",
      viewType: "NEW_AND_OLD_IMAGES",
      keys: { pk: { S: "order#1" }, sk: { N: "42" } },
      newItem: EVERY_TYPE,
    });
    const data = JSON.parse(JSON.stringify(toAwsData(record, CONTEXT)));
    expect(data).to.deep.equal({
      eventID: "c81e728d9d4c2f636f067f89cc14862c",
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "us-west-2",
      dynamodb: {
        ApproximateCreationDateTime: CREATED_AT.getTime() / 1000,
        Keys: { pk: { S: "order#1" }, sk: { N: "42" } },
        NewImage: {
          pk: { S: "order#1" },
          sk: { N: "42" },
          big: { N: "12345678901234567890123456789012345678" },
          tiny: { N: "0.00000000000000000000000000000000000001" },
          price: { N: "-19.99" },
          blob: { B: "AAEC/f7/" },
          tags: { SS: ["a", "b"] },
          scores: { NS: ["1", "2.5", "99999999999999999999"] },
          blobs: { BS: ["AQ==", "AgM="] },
          nested: { M: { inner: { L: [{ S: "x" }, { N: "7" }, { NULL: true }, { B: "CQ==" }] } } },
          list: { L: [{ BOOL: false }, { M: { deep: { SS: ["z"] } } }] },
          nothing: { NULL: true },
          flag: { BOOL: true },
          名前: { S: "日本語 ünïcödé 🎉" },
        },
        OldImage: { pk: { S: "order#1" }, sk: { N: "42" } },
        SequenceNumber: "4421584500000000017450439091",
        SizeBytes: 59,
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
      eventSourceARN: STREAM_ARN,
    });
  });

  it("has ApproximateCreationDateTime in epoch seconds, like Lambda", () => {
    const data = toAwsData(
      makeRecord({ operation: "INSERT", viewType: "KEYS_ONLY", keys: { id: { S: "1" } } }),
      CONTEXT,
    );
    expect((data.dynamodb as Record<string, unknown>).ApproximateCreationDateTime).to.equal(1795528987);
  });

  it("has Lambda's userIdentity for TTL deletes and none otherwise", () => {
    const ttl = toAwsData(
      makeRecord({ operation: "REMOVE", viewType: "OLD_IMAGE", keys: { id: { S: "1" } }, ttlDelete: true }),
      CONTEXT,
    );
    expect(ttl.userIdentity).to.deep.equal({ type: "Service", principalId: "dynamodb.amazonaws.com" });
    const user = toAwsData(
      makeRecord({ operation: "REMOVE", viewType: "OLD_IMAGE", keys: { id: { S: "1" } } }),
      CONTEXT,
    );
    expect(user).not.to.have.property("userIdentity");
  });

  it("reuses the SDK's objects when there is no binary to convert, and never mutates the record", () => {
    const keys = { id: { S: "1" } };
    const record = makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys,
      newItem: { ...keys, b: { B: new Uint8Array([1]) } },
    });
    const data = toAwsData(record, CONTEXT);
    const dynamodb = data.dynamodb as Record<string, unknown>;
    expect(dynamodb.Keys).to.equal(keys);
    expect((dynamodb.NewImage as Record<string, unknown>).b).to.deep.equal({ B: "AQ==" });
    expect(record.dynamodb?.NewImage?.b?.B).to.be.instanceOf(Uint8Array);
  });

  it("keeps an attribute named __proto__ as data", () => {
    const image = JSON.parse('{"__proto__":{"S":"x"},"b":{"B":"AQ=="}}');
    image.b = { B: new Uint8Array([1]) };
    const record = makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys: { id: { S: "1" } },
      newItem: image,
    });
    const data = JSON.parse(JSON.stringify(toAwsData(record, CONTEXT)));
    expect(data.dynamodb.NewImage).to.deep.equal({ ["__proto__"]: { S: "x" }, b: { B: "AQ==" } });
  });
});
