import { expect } from "chai";
import {
  compileFilterText,
  compilePatternText,
  describePatternProblem,
} from "../../../src/shared/event-pattern";

/** Invalid pattern text → where (JSON path, or character offset for JSON syntax) and what. */
const BAD: readonly (readonly [text: string, where: { path?: string; offset?: number }, says: string])[] = [
  ['{"eventName": ["INSERT"],}', { offset: 25 }, "trailing comma before '}'"],
  ['{"eventName": ["INSERT"], 1}', { offset: 26 }, "expected a property name"],
  ['{"eventName": ["INSERT",]}', { offset: 24 }, "trailing comma"],
  ['{"eventName": ["INSERT"]', { offset: 24 }, "missing '}'"],
  ['{"a": [1], "a": [2]}', { offset: 11 }, 'duplicate key "a"'],
  ["{eventName: 1}", { offset: 1 }, "double quotes"],
  ['["INSERT"]', { path: "$" }, "a pattern is a JSON object"],
  ["{}", { path: "$" }, "empty object"],
  [
    '{"eventName": "INSERT"}',
    { path: "$.eventName" },
    'expected a list of values to match (e.g. ["INSERT"])',
  ],
  ['{"eventName": []}', { path: "$.eventName" }, "an empty list matches nothing"],
  ['{"eventName": [["INSERT"]]}', { path: "$.eventName[0]" }, "cannot contain an array"],
  ['{"eventName": [{"prefx": "IN"}]}', { path: "$.eventName[0]" }, 'unknown operator "prefx"'],
  ['{"eventName": [{"prefix": "IN", "suffix": "T"}]}', { path: "$.eventName[0]" }, "exactly one operator"],
  ['{"eventName": [{"prefix": 1}]}', { path: "$.eventName[0].prefix" }, "expected a string"],
  [
    '{"dynamodb": {"NewImage": {"amount": [{"numeric": [">", "100"]}]}}}',
    { path: "$.dynamodb.NewImage.amount[0].numeric[1]" },
    "expected a number",
  ],
  ['{"a": [{"numeric": ["!=", 1]}]}', { path: "$.a[0].numeric[0]" }, "expected one of"],
  ['{"a": [{"numeric": ["<", 1, ">", 0]}]}', { path: "$.a[0].numeric[0]" }, "a range starts with > or >="],
  ['{"a": [{"numeric": [">", 5, "<", 1]}]}', { path: "$.a[0].numeric[3]" }, "greater than the lower bound"],
  ['{"a": [{"numeric": [">"]}]}', { path: "$.a[0].numeric" }, "expected [operator, number]"],
  ['{"a": [{"exists": "yes"}]}', { path: "$.a[0].exists" }, "expected true or false"],
  ['{"a": [{"anything-but": []}]}', { path: '$.a[0]["anything-but"]' }, "at least one value"],
  ['{"a": [{"anything-but": [true]}]}', { path: '$.a[0]["anything-but"][0]' }, "strings or numbers"],
  [
    '{"a": [{"anything-but": {"numeric": [">", 1]}}]}',
    { path: '$.a[0]["anything-but"]' },
    "anything-but takes",
  ],
  ['{"a": [{"wildcard": "a**b"}]}', { path: "$.a[0].wildcard" }, "consecutive '*'"],
  ['{"a": [{"cidr": "10.0.0.0/8"}]}', { path: "$.a[0].cidr" }, "not supported"],
  ['{"$or": [{"a": ["x"]}]}', { path: "$.$or" }, "at least two patterns"],
  ['{"$or": [{"a": ["x"]}, "b"]}', { path: "$.$or[1]" }, "expected a pattern object"],
  ['{"b": {"$or": [{"a": ["x"]}, {}]}}', { path: "$.b.$or[1]" }, "empty object"],
  ['{"dynamodb": {"NewImage": {"a": {"N": 1}}}}', { path: "$.dynamodb.NewImage.a.N" }, "N takes a list"],
  [
    '{"dynamodb": {"NewImage": {"a": {"M": ["x"]}}}}',
    { path: "$.dynamodb.NewImage.a.M" },
    "M takes an object",
  ],
  ['{"detail-type": [1], "x": 2}', { path: "$.x" }, "expected a list"],
];

describe("event patterns: invalid patterns say where", () => {
  for (const [text, where, says] of BAD) {
    it(`${text} → ${where.path ?? `character ${where.offset}`}`, () => {
      const compiled = compilePatternText(text);
      if (compiled.ok) expect.fail("accepted");
      expect(compiled.problem.message).to.contain(says);
      if (where.path !== undefined) expect(compiled.problem.path).to.equal(where.path);
      if (where.offset !== undefined) expect(compiled.problem.offset).to.equal(where.offset);
    });
  }

  it("describes a problem in one line naming the pattern", () => {
    const compiled = compileFilterText('[{"eventName":["INSERT"]}, {"eventName":[{"prefx":"I"}]}]');
    if (compiled.ok) expect.fail("accepted");
    expect(describePatternProblem(compiled.problem)).to.equal(
      'pattern 2 at $.eventName[0]: unknown operator "prefx"; use prefix, suffix, equals-ignore-case, wildcard, numeric, anything-but or exists',
    );
    const syntax = compileFilterText('{"eventName":');
    if (syntax.ok) expect.fail("accepted");
    expect(describePatternProblem(syntax.problem)).to.equal(
      "pattern is not valid JSON at character 13: unexpected end of JSON",
    );
  });

  it("rejects a FILTER too long for 10 patterns before parsing it (deep nesting cannot overflow the stack)", () => {
    const compiled = compileFilterText("[".repeat(200_000));
    if (compiled.ok) expect.fail("accepted");
    expect(compiled.problem.message).to.contain("at most 40971 for 10 patterns");
  });

  it("rejects an empty FILTER list", () => {
    const compiled = compileFilterText("[]");
    expect(compiled.ok).to.equal(false);
  });
});
