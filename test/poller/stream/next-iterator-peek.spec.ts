import { expect } from "chai";
import { peekNextShardIterator } from "../../../src/poller/stream/next-iterator-peek";

const ITERATOR =
  "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252|1|AAAAAAAAAAGQBYshYDEe";

/** A GetRecords answer as the service writes it (compact JSON), in either member order. */
function body(records: unknown[], next: string | undefined, iteratorFirst = false): Buffer {
  const page = iteratorFirst
    ? { NextShardIterator: next, Records: records }
    : { Records: records, NextShardIterator: next };
  return Buffer.from(JSON.stringify(page));
}

function record(n: number, image: Record<string, unknown> = {}): unknown {
  return {
    eventID: `ev-${n}`,
    eventName: "INSERT",
    dynamodb: {
      ApproximateCreationDateTime: 1_764_000_000 + n,
      Keys: { id: { S: `item-${n}` } },
      NewImage: { id: { S: `item-${n}` }, ...image },
      SequenceNumber: String(100_000_000_000_000_000_000n + BigInt(n)),
      SizeBytes: 42,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  };
}

describe("peekNextShardIterator: the next iterator read from a raw GetRecords answer", () => {
  it("finds it after the records (DynamoDB Local's order) and before them (the API reference's)", () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i, { payload: { S: "x".repeat(964) } }));
    expect(peekNextShardIterator(body(records, ITERATOR))).to.equal(ITERATOR);
    expect(peekNextShardIterator(body(records, ITERATOR, true))).to.equal(ITERATOR);
  });

  it("reads a body that is a view into a larger buffer (as the SDK may hand it over)", () => {
    const raw = body([record(1)], ITERATOR);
    const larger = Buffer.concat([Buffer.from("garbage"), raw, Buffer.from("more")]);
    expect(peekNextShardIterator(new Uint8Array(larger.buffer, larger.byteOffset + 7, raw.length))).to.equal(
      ITERATOR,
    );
  });

  it("says nothing for an empty page (the poll interval applies) or a closed shard's last page", () => {
    expect(peekNextShardIterator(body([], ITERATOR))).to.equal(undefined);
    expect(peekNextShardIterator(body([record(1)], undefined))).to.equal(undefined);
    expect(
      peekNextShardIterator(Buffer.from('{"Records":[{"eventID":"x"}],"NextShardIterator":null}')),
    ).to.equal(undefined);
  });

  it("is not fooled by an item's attributes or values that spell the member names", () => {
    const tricky = {
      NextShardIterator: { S: "not-this" },
      Records: { L: [{ M: { NextShardIterator: { S: "nor-this" } } }] },
      text: { S: '"NextShardIterator":"neither","Records":[{' },
      names: { SS: ['"NextShardIterator":"x"'] },
    };
    const records = [record(1, tricky), record(2, tricky)];
    expect(peekNextShardIterator(body(records, ITERATOR))).to.equal(ITERATOR);
    expect(peekNextShardIterator(body(records, ITERATOR, true))).to.equal(ITERATOR);
    // No records: the item's `"Records":[{`, inside a string, must not count as records.
    expect(peekNextShardIterator(body([], ITERATOR))).to.equal(undefined);
  });

  it("leaves an iterator with escapes or non-ASCII to the decoder", () => {
    expect(
      peekNextShardIterator(Buffer.from(`{"Records":[{"eventID":"x"}],"NextShardIterator":"a\\/b"}`)),
    ).to.equal(undefined);
    expect(peekNextShardIterator(body([record(1)], "é-iterator"))).to.equal(undefined);
    expect(
      peekNextShardIterator(Buffer.from('{"Records":[{"eventID":"x"}],"NextShardIterator":""}')),
    ).to.equal(undefined);
  });

  it("never names another iterator than the decoded answer, on generated adversarial pages", () => {
    const pieces = [
      '"NextShardIterator":"',
      '"Records":[{',
      "\\",
      '"',
      "NextShardIterator",
      "é",
      "\u0001",
      " ",
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const text = () =>
      Array.from(
        { length: 1 + Math.floor(random() * 6) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join("");
    let found = 0;
    for (let i = 0; i < 500; i++) {
      const count = Math.floor(random() * 4);
      const records = Array.from({ length: count }, (_, n) =>
        record(n, { [text()]: { S: text() }, nested: { M: { [text()]: { S: text() } } } }),
      );
      const next = random() < 0.2 ? undefined : random() < 0.1 ? `${ITERATOR}${text()}` : `${ITERATOR}-${i}`;
      const raw = body(records, next, random() < 0.5);
      const peeked = peekNextShardIterator(raw);
      const decoded = JSON.parse(raw.toString()) as { NextShardIterator?: string; Records: unknown[] };
      if (peeked !== undefined) {
        found++;
        expect(peeked).to.equal(decoded.NextShardIterator);
        expect(decoded.Records).to.not.be.empty;
      }
    }
    expect(found).to.be.greaterThan(200);
  });
});
