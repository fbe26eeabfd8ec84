/**
 * Reads `NextShardIterator` from a GetRecords response body without decoding it, so that the next GetRecords can go
 * out while this page is decoded (see ShardReader's early reads).
 *
 * Only a hint: the reader uses what the early call returns only if the decoded page names the same iterator. Still,
 * a match can only be the response's own member. Inside a JSON string every quote is escaped, so `"Name":"` cannot
 * come from a value; and within `Records` the members with string values are the API's own (`eventID`, `S`, …),
 * while an item's attribute names always map to objects (`"NextShardIterator":{"S":…}`).
 */

const NEXT_ITERATOR = Buffer.from('"NextShardIterator":"', "latin1");
/** A page with at least one record. An empty page is not read on early: the poll interval applies to it. */
const SOME_RECORDS = Buffer.from('"Records":[{', "latin1");
/**
 * Top-level members sit at one end of the body or the other (DynamoDB Local writes `Records` first, AWS's examples
 * `NextShardIterator` first), within an iterator's length (at most 2,048 characters) of it: both ends are looked at
 * before the whole body.
 */
const END_WINDOW = 4096;
const QUOTE = 0x22;

/** The page's next iterator when it has records and one; undefined when it cannot tell (then nothing is read early). */
export function peekNextShardIterator(body: Uint8Array): string | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (find(bytes, SOME_RECORDS) < 0) return undefined;
  const at = find(bytes, NEXT_ITERATOR);
  if (at < 0) return undefined;
  const from = at + NEXT_ITERATOR.length;
  const to = bytes.indexOf(QUOTE, from);
  if (to <= from) return undefined;
  // Iterators are printable ASCII; an escape (`\/`, `\u…`) or anything else is left to the decoder.
  for (let i = from; i < to; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e || byte === 0x5c) return undefined;
  }
  return bytes.toString("latin1", from, to);
}

function find(bytes: Buffer, needle: Buffer): number {
  const head = bytes.subarray(0, END_WINDOW).indexOf(needle);
  if (head >= 0) return head;
  const tailStart = Math.max(0, bytes.length - END_WINDOW);
  const tail = bytes.subarray(tailStart).indexOf(needle);
  if (tail >= 0) return tailStart + tail;
  return bytes.indexOf(needle);
}
