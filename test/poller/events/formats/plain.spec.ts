import { expect } from "chai";
import { losslessNumber } from "../../../../src/poller/events/formats/lossless-number";
import { toPlainData } from "../../../../src/poller/events/formats/plain";
import { EVERY_TYPE, makeRecord } from "../fixtures";

describe("data format plain", () => {
  it("turns every DynamoDB type into plain JSON without losing anything", () => {
    const record = makeRecord({
      operation: "MODIFY",
      viewType: "NEW_AND_OLD_IMAGES",
      keys: { pk: { S: "order#1" }, sk: { N: "42" } },
      newItem: EVERY_TYPE,
    });
    const data = JSON.parse(JSON.stringify(toPlainData(record)));
    expect(data).to.deep.equal({
      eventID: "c81e728d9d4c2f636f067f89cc14862c",
      eventName: "MODIFY",
      sequenceNumber: "4421584500000000017450439091",
      approximateCreationDateTime: "2026-11-24T14:03:07.000Z",
      expiredByTtl: false,
      keys: { pk: "order#1", sk: 42 },
      newImage: {
        pk: "order#1",
        sk: 42,
        big: "12345678901234567890123456789012345678",
        tiny: 1e-38,
        price: -19.99,
        blob: "AAEC/f7/",
        tags: ["a", "b"],
        scores: [1, 2.5, "99999999999999999999"],
        blobs: ["AQ==", "AgM="],
        nested: { inner: ["x", 7, null, "CQ=="] },
        list: [false, { deep: ["z"] }],
        nothing: null,
        flag: true,
        名前: "日本語 ünïcödé 🎉",
      },
      oldImage: { pk: "order#1", sk: 42 },
    });
  });

  it("has null images when the view type leaves them out", () => {
    const data = toPlainData(
      makeRecord({ operation: "INSERT", viewType: "KEYS_ONLY", keys: { id: { S: "1" } } }),
    );
    expect(data.newImage).to.equal(null);
    expect(data.oldImage).to.equal(null);
    expect(data.keys).to.deep.equal({ id: "1" });
  });

  it("flags deletes made by TTL", () => {
    const data = toPlainData(
      makeRecord({ operation: "REMOVE", viewType: "OLD_IMAGE", keys: { id: { S: "1" } }, ttlDelete: true }),
    );
    expect(data.expiredByTtl).to.equal(true);
  });
});

describe("losslessNumber", () => {
  const asNumbers: Array<[string, number]> = [
    ["0", 0],
    ["42", 42],
    ["-19.99", -19.99],
    ["0.1", 0.1],
    ["1.50", 1.5],
    ["9007199254740991", 9007199254740991],
    ["1E+2", 100],
    ["1e21", 1e21],
    ["-0", -0],
    // Not exactly representable as doubles, but printed back as the same decimal: a decimal-aware reader loses nothing.
    ["1E+126", 1e126],
    ["0.00000000000000000000000000000000000001", 1e-38],
  ];
  for (const [text, value] of asNumbers) {
    it(`${text} → the number ${value}`, () => expect(losslessNumber(text)).to.equal(value));
  }
  const asStrings = [
    "9007199254740993",
    "12345678901234567890123456789012345678",
    "0.100000000000000000001",
    "-98765432109876543210.5",
    "3.14159265358979323846264338327950288",
  ];
  for (const text of asStrings) {
    it(`${text} stays a string (a double would print it differently)`, () =>
      expect(losslessNumber(text)).to.equal(text));
  }
});
