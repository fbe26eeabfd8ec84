import { expect } from "chai";
import type { AttributeMap } from "../../../src/poller/events/attribute-value";
import { partitionKeyOf, subjectOf } from "../../../src/poller/events/partition-key";
import { bytes } from "./fixtures";

describe("partitionkey and subject", () => {
  it("is the same for the same item whatever the attribute order", () => {
    const a = partitionKeyOf({ pk: { S: "u#1" }, sk: { N: "10" } });
    const b = partitionKeyOf({ sk: { N: "10" }, pk: { S: "u#1" } });
    expect(a).to.equal(b).and.equal("pk=S:u#1,sk=N:10");
  });

  it("differs between items", () => {
    const keys: AttributeMap[] = [
      { pk: { S: "a" } },
      { pk: { S: "b" } },
      { pk: { S: "a" }, sk: { N: "1" } },
      { pk: { S: "a" }, sk: { N: "2" } },
      { pk: { N: "1" } },
      { pk: { S: "1" } },
      { pk: { B: bytes(1) } },
    ];
    const values = keys.map(partitionKeyOf);
    expect(new Set(values).size).to.equal(values.length);
  });

  it("escapes the separators so values that contain them cannot collide", () => {
    // Without escaping, both would read "a=S:x,b=S:y".
    const one = partitionKeyOf({ a: { S: "x,b=S:y" } });
    const two = partitionKeyOf({ a: { S: "x" }, b: { S: "y" } });
    expect(one).to.equal("a=S:x\\,b\\=S:y");
    expect(two).to.equal("a=S:x,b=S:y");
    expect(partitionKeyOf({ "we=ird,name\\": { S: "v" } })).to.equal("we\\=ird\\,name\\\\=S:v");
  });

  it("writes binary keys as base64", () => {
    expect(partitionKeyOf({ id: { B: bytes(1, 2, 3) } })).to.equal("id=B:AQID");
    expect(partitionKeyOf({ id: { B: bytes(255) } })).to.equal("id=B:/w\\=\\=");
  });

  it("keeps unicode as is (the HTTP layer percent-encodes it in headers)", () => {
    expect(partitionKeyOf({ ключ: { S: "значение ✓" } })).to.equal("ключ=S:значение ✓");
  });

  it("subject is the key names sorted and comma-joined", () => {
    expect(subjectOf({ sk: { N: "1" }, pk: { S: "x" } })).to.equal("pk,sk");
    expect(subjectOf({ id: { S: "x" } })).to.equal("id");
    expect(subjectOf({})).to.equal("");
  });
});
