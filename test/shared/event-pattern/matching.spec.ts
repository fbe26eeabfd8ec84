import { expect } from "chai";
import { compileFilterText, compilePatternText } from "../../../src/shared/event-pattern";
import { INSERT, MODIFY, TTL_REMOVE, USER_REMOVE } from "./records";

type Case = readonly [name: string, pattern: unknown, record: object, expected: boolean];

const amount = (filter: unknown) => ({ dynamodb: { NewImage: { amount: filter } } });
const image = (fields: object) => ({ dynamodb: { NewImage: fields } });

/** Pattern / record / expected: the documented behaviour, edge cases included. */
const CASES: readonly Case[] = [
  // exact match
  ["eventName exact", { eventName: ["INSERT"] }, INSERT, true],
  ["eventName exact, other value", { eventName: ["MODIFY"] }, INSERT, false],
  ["several values are OR-ed", { eventName: ["INSERT", "MODIFY"] }, MODIFY, true],
  ["fields are AND-ed", { eventName: ["INSERT"], awsRegion: ["us-east-1"] }, INSERT, false],
  ["key exact (plain form)", { dynamodb: { Keys: { pk: ["order#42"] } } }, INSERT, true],
  ["number key exact (plain form)", { dynamodb: { Keys: { sk: [7] } } }, INSERT, true],
  ["exact number matches the number, not a string", amount(["150.5"]), INSERT, false],
  ["exact number", amount([150.5]), INSERT, true],
  ["empty string matches empty string", image({ empty: [""] }), INSERT, true],
  ["empty string does not match null", image({ note: [""] }), INSERT, false],
  ["null matches a NULL attribute", image({ note: [null] }), INSERT, true],
  ["null does not match a missing attribute", image({ missing: [null] }), INSERT, false],
  ["boolean", image({ paid: [true] }), INSERT, true],
  // prefix / suffix / equals-ignore-case / wildcard
  ["prefix", image({ pk: [{ prefix: "order#" }] }), INSERT, true],
  ["prefix, no match", image({ pk: [{ prefix: "user#" }] }), INSERT, false],
  ["prefix ignoring case", image({ status: [{ prefix: { "equals-ignore-case": "SHIP" } }] }), INSERT, true],
  ["suffix", image({ pk: [{ suffix: "#42" }] }), INSERT, true],
  ["suffix ignoring case", image({ status: [{ suffix: { "equals-ignore-case": "PED" } }] }), INSERT, true],
  ["equals-ignore-case", image({ status: [{ "equals-ignore-case": "shipped" }] }), INSERT, true],
  ["case matters without equals-ignore-case", image({ status: ["shipped"] }), INSERT, false],
  ["wildcard", image({ pk: [{ wildcard: "order#*2" }] }), INSERT, true],
  ["wildcard, no match", image({ pk: [{ wildcard: "order#*3" }] }), INSERT, false],
  // numeric: works on DynamoDB numbers, never on strings
  ["numeric > on an N attribute", amount([{ numeric: [">", 100] }]), INSERT, true],
  ["numeric range", amount([{ numeric: [">", 0, "<=", 5] }]), INSERT, false],
  ["numeric range, inside", amount([{ numeric: [">=", 150.5, "<", 151] }]), INSERT, true],
  ["numeric = ", amount([{ numeric: ["=", 150.5] }]), INSERT, true],
  [
    "numeric on a numeric-looking string does not match",
    image({ code: [{ numeric: ["=", 100] }] }),
    INSERT,
    false,
  ],
  ["numeric on OldImage", { dynamodb: { OldImage: { amount: [{ numeric: ["<", 11] }] } } }, MODIFY, true],
  ["Lambda typed form N with numeric", amount({ N: [{ numeric: [">", 100] }] }), INSERT, true],
  ["Lambda typed form N with a string literal", amount({ N: ["150.5"] }), INSERT, true],
  ["Lambda typed form S on an N attribute", amount({ S: ["150.5"] }), INSERT, false],
  ["Lambda typed form S", image({ status: { S: ["Shipped"] } }), INSERT, true],
  ["Lambda typed form BOOL / NULL", image({ paid: { BOOL: [true] }, note: { NULL: [true] } }), INSERT, true],
  ["Lambda typed form M", image({ address: { M: { city: { S: ["Paris"] } } } }), INSERT, true],
  // anything-but
  ["anything-but value", { eventName: [{ "anything-but": "REMOVE" }] }, INSERT, true],
  ["anything-but value, excluded", { eventName: [{ "anything-but": "INSERT" }] }, INSERT, false],
  ["anything-but list", { eventName: [{ "anything-but": ["INSERT", "MODIFY"] }] }, MODIFY, false],
  [
    "anything-but list, not excluded",
    { eventName: [{ "anything-but": ["INSERT", "MODIFY"] }] },
    TTL_REMOVE,
    true,
  ],
  ["anything-but numbers", amount([{ "anything-but": [10, 150.5] }]), INSERT, false],
  ["anything-but prefix", image({ pk: [{ "anything-but": { prefix: "user#" } }] }), INSERT, true],
  ["anything-but suffix", image({ pk: [{ "anything-but": { suffix: "#42" } }] }), INSERT, false],
  [
    "anything-but ignoring case",
    image({ status: [{ "anything-but": { "equals-ignore-case": ["SHIPPED"] } }] }),
    INSERT,
    false,
  ],
  [
    "anything-but does not match a missing field",
    image({ missing: [{ "anything-but": "x" }] }),
    INSERT,
    false,
  ],
  ["anything-but does not match null", image({ note: [{ "anything-but": "x" }] }), INSERT, false],
  [
    "anything-but on a set: any other element matches",
    image({ tags: [{ "anything-but": "red" }] }),
    INSERT,
    true,
  ],
  // exists
  ["exists true", image({ status: [{ exists: true }] }), INSERT, true],
  ["exists false on a missing key", image({ missing: [{ exists: false }] }), INSERT, true],
  ["exists false on a present key", image({ status: [{ exists: false }] }), INSERT, false],
  ["exists true on a NULL attribute (present)", image({ note: [{ exists: true }] }), INSERT, true],
  ["exists true on a map (present)", image({ address: [{ exists: true }] }), INSERT, true],
  ["exists false on an empty list", image({ none: [{ exists: false }] }), INSERT, true],
  ["exists true on an empty list", image({ none: [{ exists: true }] }), INSERT, false],
  [
    "exists false under a missing parent",
    { dynamodb: { NewImage: { x: { y: [{ exists: false }] } } } },
    MODIFY,
    true,
  ],
  ["no NewImage on REMOVE: exists false", { dynamodb: { NewImage: [{ exists: false }] } }, TTL_REMOVE, true],
  // arrays in the event: any element
  ["string set: any element", image({ tags: ["blue"] }), INSERT, true],
  ["number set with numeric", image({ scores: [{ numeric: [">", 50] }] }), INSERT, true],
  ["list of maps: fields in the same element", image({ lines: { sku: ["B"], qty: [5] } }), INSERT, true],
  [
    "list of maps: fields from different elements do not combine",
    image({ lines: { sku: ["A"], qty: [5] } }),
    INSERT,
    false,
  ],
  ["empty list matches no value", image({ none: ["x"] }), INSERT, false],
  // nested maps
  ["nested map", image({ address: { city: ["Paris"] } }), INSERT, true],
  [
    "deeply nested map with numeric",
    image({ address: { geo: { lat: [{ numeric: [">", 48] }] } } }),
    INSERT,
    true,
  ],
  ["binary as base64", image({ blob: ["AQI="] }), INSERT, true],
  // $or
  ["$or at the root", { $or: [{ eventName: ["MODIFY"] }, { awsRegion: ["eu-west-1"] }] }, INSERT, true],
  [
    "$or at the root, none matches",
    { $or: [{ eventName: ["MODIFY"] }, { awsRegion: ["us-east-1"] }] },
    INSERT,
    false,
  ],
  [
    "$or nested in an image",
    image({ $or: [{ status: [{ "equals-ignore-case": "paid" }] }, { amount: [{ numeric: [">", 1000] }] }] }),
    MODIFY,
    true,
  ],
  [
    "$or together with a field",
    { eventName: ["INSERT"], $or: [{ awsRegion: ["x"] }, { eventID: ["e-2"] }] },
    MODIFY,
    false,
  ],
  // TTL deletes
  [
    "TTL delete",
    { eventName: ["REMOVE"], userIdentity: { type: ["Service"], principalId: ["dynamodb.amazonaws.com"] } },
    TTL_REMOVE,
    true,
  ],
  ["not a TTL delete", { userIdentity: { type: ["Service"] } }, USER_REMOVE, false],
  ["everything but TTL deletes", { userIdentity: { type: [{ exists: false }] } }, USER_REMOVE, true],
  [
    "timestamps are epoch seconds",
    { dynamodb: { ApproximateCreationDateTime: [{ numeric: [">=", 1767225600] }] } },
    INSERT,
    true,
  ],
];

describe("event patterns: pattern / record / expected", () => {
  it("has at least 40 cases", () => {
    expect(CASES.length).to.be.at.least(40);
  });
  for (const [name, pattern, record, expected] of CASES) {
    it(`${name} → ${expected}`, () => {
      const compiled = compilePatternText(JSON.stringify(pattern));
      if (!compiled.ok) expect.fail(JSON.stringify(compiled.problem));
      expect(compiled.value(record)).to.equal(expected);
    });
  }
});

describe("event patterns: FILTER lists", () => {
  it("ORs up to 10 patterns", () => {
    const compiled = compileFilterText(
      JSON.stringify([{ eventName: ["MODIFY"] }, { eventName: ["REMOVE"] }]),
    );
    if (!compiled.ok) expect.fail(JSON.stringify(compiled.problem));
    expect([INSERT, MODIFY, TTL_REMOVE].map(compiled.value.filter)).to.deep.equal([false, true, true]);
    expect(compiled.value.patterns).to.equal(2);
  });

  it("accepts exactly 10 patterns and rejects 11", () => {
    const patterns = Array.from({ length: 11 }, (_, i) => ({ eventID: [`e-${i}`] }));
    expect(compileFilterText(JSON.stringify(patterns.slice(0, 10))).ok).to.equal(true);
    const eleven = compileFilterText(JSON.stringify(patterns));
    expect(eleven.ok).to.equal(false);
    if (!eleven.ok) expect(eleven.problem.message).to.contain("1 to 10 patterns, got 11");
  });

  it("rejects a pattern over 4096 characters and accepts one at the limit", () => {
    const make = (chars: number) => {
      const base = JSON.stringify({ eventID: [""] }).length;
      return JSON.stringify({ eventID: ["x".repeat(chars - base)] });
    };
    expect(make(4096)).to.have.length(4096);
    expect(compilePatternText(make(4096)).ok).to.equal(true);
    const tooLong = compileFilterText(`[${make(4097)}, {"eventName":["INSERT"]}]`);
    expect(tooLong.ok).to.equal(false);
    if (!tooLong.ok)
      expect(tooLong.problem).to.include({ pattern: 0, message: "is 4097 characters; at most 4096" });
  });

  it("never unmarshalls an image no pattern reads", () => {
    const compiled = compilePatternText(JSON.stringify({ eventName: ["INSERT"] }));
    if (!compiled.ok) expect.fail(JSON.stringify(compiled.problem));
    const trap = { eventName: "INSERT", dynamodb: {} };
    Object.defineProperty(trap.dynamodb, "NewImage", {
      get: () => expect.fail("NewImage was read"),
      enumerable: true,
    });
    expect(compiled.value(trap)).to.equal(true);
  });
});
