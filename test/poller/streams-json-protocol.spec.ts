import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { JsonShapeDeserializer2 } from "@aws-sdk/core/protocols";
import { expect } from "chai";
import { cannedStreamsClient } from "../support/canned-streams-client";
import { seededRandom } from "../support/seeded-random";

type Json = Record<string, unknown>;

const getRecords = (client: DynamoDBStreamsClient) =>
  client.send(new GetRecordsCommand({ ShardIterator: "it" }));

/** What one client makes of the response, `$metadata` aside. */
async function readWith<T extends { $metadata: unknown }>(
  fast: boolean,
  body: unknown,
  send: (client: DynamoDBStreamsClient) => Promise<T>,
): Promise<Omit<T, "$metadata">> {
  const client = cannedStreamsClient(fast, body);
  try {
    const { $metadata: _, ...output } = await send(client);
    return output;
  } finally {
    client.destroy();
  }
}

/** What the stock client and the fast one make of the same response. */
async function bothRead<T extends { $metadata: unknown }>(
  body: unknown,
  send: (client: DynamoDBStreamsClient) => Promise<T>,
) {
  return { sdk: await readWith(false, body, send), fast: await readWith(true, body, send) };
}

/** Wire-format AttributeValues of every type, nested up to `depth`. */
function attributeValue(random: () => number, depth: number): Json {
  const text = () => Math.floor(random() * 1e9).toString(36);
  const blob = () =>
    Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256))).toString(
      "base64",
    );
  const many = <T>(make: () => T) => Array.from({ length: 1 + Math.floor(random() * 4) }, make);
  const kinds = depth > 0 ? 10 : 8;
  switch (Math.floor(random() * kinds)) {
    case 0:
      return { S: text() };
    case 1:
      return { N: String(Math.floor(random() * 1e6) / 100) };
    case 2:
      return { B: blob() };
    case 3:
      return { SS: many(text) };
    case 4:
      return { NS: many(() => String(Math.floor(random() * 1e4))) };
    case 5:
      return { BS: many(blob) };
    case 6:
      return { NULL: true };
    case 7:
      return { BOOL: random() < 0.5 };
    case 8:
      return { M: attributeMap(random, depth - 1) };
    default:
      return { L: many(() => attributeValue(random, depth - 1)) };
  }
}

function attributeMap(random: () => number, depth: number): Json {
  const map: Json = {};
  const size = Math.floor(random() * 6);
  for (let i = 0; i < size; i++) map[`a${i}`] = attributeValue(random, depth);
  return map;
}

function streamRecord(random: () => number, n: number): Json {
  const eventName = ["INSERT", "MODIFY", "REMOVE"][n % 3];
  const dynamodb: Json = {
    ApproximateCreationDateTime: 1_764_600_000 + Math.floor(random() * 1e6) / 1000,
    Keys: { id: { S: `item-${n}` }, sort: { N: String(n) } },
    SequenceNumber: String(10n ** 20n + BigInt(n)),
    SizeBytes: Math.floor(random() * 4000),
    StreamViewType: "NEW_AND_OLD_IMAGES",
  };
  if (eventName !== "REMOVE") dynamodb.NewImage = attributeMap(random, 3);
  if (eventName !== "INSERT") dynamodb.OldImage = attributeMap(random, 3);
  const record: Json = {
    awsRegion: "eu-west-1",
    dynamodb,
    eventID: `event-${n}`,
    eventName,
    eventSource: "aws:dynamodb",
    eventVersion: "1.1",
  };
  if (n % 7 === 0) record.userIdentity = { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" };
  return record;
}

function page(records: Json[]): Json {
  return { NextShardIterator: "next", Records: records };
}

describe("StreamsJsonProtocol (the Streams client's faster GetRecords reader)", () => {
  for (const seed of [1, 2, 3]) {
    it(`reads generated records of every AttributeValue type exactly as the SDK does (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const { sdk, fast } = await bothRead(
        page(Array.from({ length: 300 }, (_, n) => streamRecord(random, n))),
        getRecords,
      );
      expect(fast).to.deep.equal(sdk);
      const first = (fast.Records ?? [])[0];
      expect(first?.dynamodb?.ApproximateCreationDateTime).to.be.instanceOf(Date);
    });
  }

  it("turns binary attributes into bytes, at any depth", async () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    const image = {
      b: { B: bytes.toString("base64") },
      bs: { BS: [bytes.toString("base64")] },
      deep: { L: [{ M: { b: { B: bytes.toString("base64") } } }] },
    };
    const record = { eventID: "e", dynamodb: { Keys: image, SequenceNumber: "1" } };
    const { fast } = await bothRead(page([record]), getRecords);
    const keys = fast.Records?.[0]?.dynamodb?.Keys;
    expect(keys?.b?.B).to.deep.equal(new Uint8Array(bytes));
    expect(keys?.bs?.BS?.[0]).to.deep.equal(new Uint8Array(bytes));
    expect(keys?.deep?.L?.[0]?.M?.b?.B).to.deep.equal(new Uint8Array(bytes));
  });

  it("reads malformed and unknown input the way the SDK does", async () => {
    const odd: Json = {
      unknownAttributeType: { X: "future" },
      twoMembers: { S: "a", N: "1" },
      nullMember: { S: null },
      empty: {},
      blobNotString: { B: 12 },
      mapNotObject: { M: "nope" },
      listOfScalars: { L: ["x", 1, null] },
      constructor: { S: "plain" },
    };
    const records = [
      {
        eventID: "a",
        newRecordMember: 1,
        dynamodb: { NewImage: odd, SequenceNumber: "1", futureMember: "x" },
      },
      {
        eventID: "b",
        dynamodb: { Keys: null, SizeBytes: "NaN", ApproximateCreationDateTime: 1_764_600_000 },
      },
      { eventID: "c", dynamodb: "not an object" },
      { eventID: "d" },
    ];
    const body = `{"Records":${JSON.stringify(records).replace('"constructor"', '"__proto__":{"S":"own key"},"constructor"')}}`;
    const { sdk, fast } = await bothRead(JSON.parse(body), getRecords);
    // The one deliberate difference: the SDK (3.41) overwrites an attribute named `__proto__` with undefined before
    // reading it, so its value is lost. DynamoDB allows that name; the fast reader keeps it as an own key.
    const image = fast.Records?.[0]?.dynamodb?.NewImage ?? {};
    expect(Object.getPrototypeOf(image)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(image, "__proto__")?.value).to.deep.equal({ S: "own key" });
    expect(
      Object.getOwnPropertyDescriptor(sdk.Records?.[0]?.dynamodb?.NewImage, "__proto__")?.value,
    ).to.equal(undefined);
    for (const output of [sdk, fast])
      Reflect.deleteProperty(output.Records?.[0]?.dynamodb?.NewImage ?? {}, "__proto__");
    expect(fast).to.deep.equal(sdk);
  });

  it("still maps error responses to the SDK's exception classes", async () => {
    const body = {
      __type: "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException",
      message: "Iterator expired",
    };
    for (const fast of [false, true]) {
      const client = cannedStreamsClient(fast, body, 400);
      try {
        const error = await client.send(new GetRecordsCommand({ ShardIterator: "it" })).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, `fast=${fast}`).to.be.instanceOf(ExpiredIteratorException);
        expect((error as Error).message).to.equal("Iterator expired");
      } finally {
        client.destroy();
      }
    }
  });

  it("leaves the other operations to the SDK's reader (DescribeStream)", async () => {
    const body = {
      StreamDescription: {
        CreationRequestDateTime: 1_764_600_000.5,
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        Shards: [
          { ShardId: "shardId-1", SequenceNumberRange: { StartingSequenceNumber: "1" } },
          {
            ShardId: "shardId-2",
            ParentShardId: "shardId-1",
            SequenceNumberRange: { StartingSequenceNumber: "9" },
          },
        ],
        StreamArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2026-12-01T00:00:00.000",
        StreamStatus: "ENABLED",
      },
    };
    const { sdk, fast } = await bothRead(body, (c) =>
      c.send(new DescribeStreamCommand({ StreamArn: "arn" })),
    );
    expect(fast).to.deep.equal(sdk);
    expect(fast.StreamDescription?.CreationRequestDateTime).to.be.instanceOf(Date);
  });

  it("takes the fast path: the SDK's generic reader runs a few times per record, not once per member", async () => {
    // If a later SDK renamed the shapes, the output would stay right but the speed would silently go: this fails.
    const prototype = JsonShapeDeserializer2.prototype as unknown as {
      _read: (...args: unknown[]) => unknown;
    };
    const generic = prototype._read;
    let calls = 0;
    prototype._read = function counted(this: unknown, ...args: unknown[]) {
      calls++;
      return generic.apply(this, args);
    };
    const records = Array.from({ length: 100 }, (_, n) => streamRecord(seededRandom(n), n));
    try {
      const perRecord: Record<string, number> = {};
      for (const fast of [false, true]) {
        calls = 0;
        const client = cannedStreamsClient(fast, page(records));
        await client.send(new GetRecordsCommand({ ShardIterator: "it" })).finally(() => client.destroy());
        perRecord[fast ? "fast" : "sdk"] = calls / records.length;
      }
      expect(perRecord.sdk, "the count sees the SDK's reader").to.be.greaterThan(20);
      // Two per record: the timestamp and SizeBytes, which keep the SDK's own rules.
      expect(perRecord.fast).to.be.at.most(2.1);
    } finally {
      prototype._read = generic;
    }
  });
});
