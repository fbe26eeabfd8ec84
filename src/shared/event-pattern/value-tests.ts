import type { JsonObject, JsonValue } from "./json-text";
import { childPath, PatternFault } from "./problem";
import { parseWildcard, wildcardMatcher } from "./wildcard";

/** A test of one scalar value (an array in the event is tested element by element). */
export type ValueTest = (value: unknown) => boolean;

/** How literals are read: Lambda's typed `N` form writes numbers as strings. */
export interface LiteralOptions {
  readonly numbersAsText?: boolean;
}

const RANGE_LOWER = new Set([">", ">="]);
const RANGE_UPPER = new Set(["<", "<="]);
const NUMERIC_OPERATORS = new Set(["=", ">", ">=", "<", "<="]);

/** Compiles one entry of a leaf list that is not `exists` (handled by the caller) into a value test. */
export function compileValueTest(entry: JsonValue, path: string, options: LiteralOptions): ValueTest {
  if (entry === null) return (v) => v === null;
  if (typeof entry === "boolean") return (v) => v === entry;
  if (typeof entry === "number") return numberEquals(entry);
  if (typeof entry === "string") {
    const asNumber = options.numbersAsText ? numericText(entry) : undefined;
    return asNumber === undefined ? (v) => v === entry : numberEquals(asNumber);
  }
  if (Array.isArray(entry)) throw new PatternFault(path, "a match list cannot contain an array");
  const [operator, operand] = onlyEntry(entry, path);
  const at = childPath(path, operator);
  switch (operator) {
    case "prefix":
      return affixTest(operand, at, (v, s) => v.startsWith(s));
    case "suffix":
      return affixTest(operand, at, (v, s) => v.endsWith(s));
    case "equals-ignore-case": {
      const expected = text(operand, at).toLowerCase();
      return (v) => typeof v === "string" && v.toLowerCase() === expected;
    }
    case "wildcard":
      return wildcardTest(operand, at);
    case "numeric":
      return numericTest(operand, at);
    case "anything-but":
      return anythingBut(operand, at, options);
    case "exists":
      throw new PatternFault(at, "exists is handled by the field");
    case "cidr":
      throw new PatternFault(at, "cidr is not supported by this source");
    default:
      throw new PatternFault(
        path,
        `unknown operator "${operator}"; use prefix, suffix, equals-ignore-case, wildcard, numeric, anything-but or exists`,
      );
  }
}

export function onlyEntry(entry: JsonObject, path: string): [string, JsonValue] {
  const entries = Object.entries(entry);
  const first = entries[0];
  if (entries.length !== 1 || first === undefined)
    throw new PatternFault(
      path,
      'a content filter is an object with exactly one operator, e.g. {"prefix":"a"}',
    );
  return first;
}

function numberEquals(expected: number): ValueTest {
  return (v) => typeof v === "number" && v === expected;
}

function numericText(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== "" && Number.isFinite(n) ? n : undefined;
}

function text(operand: JsonValue, path: string): string {
  if (typeof operand !== "string") throw new PatternFault(path, "expected a string");
  return operand;
}

/** `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}`. */
function affixTest(
  operand: JsonValue,
  path: string,
  test: (value: string, affix: string) => boolean,
): ValueTest {
  if (typeof operand === "string") return (v) => typeof v === "string" && test(v, operand);
  if (operand !== null && typeof operand === "object" && !Array.isArray(operand)) {
    const [operator, inner] = onlyEntry(operand, path);
    if (operator === "equals-ignore-case") {
      const lower = text(inner, childPath(path, operator)).toLowerCase();
      return (v) => typeof v === "string" && test(v.toLowerCase(), lower);
    }
  }
  throw new PatternFault(path, 'expected a string or {"equals-ignore-case": string}');
}

function wildcardTest(operand: JsonValue, path: string): ValueTest {
  const tokens = parseWildcard(text(operand, path));
  if (typeof tokens === "string") throw new PatternFault(path, tokens);
  const matches = wildcardMatcher(tokens);
  return (v) => typeof v === "string" && matches(v);
}

/** `[op, n]` or a range `[">"|">=", low, "<"|"<=", high]`; numbers only ever match numbers. */
function numericTest(operand: JsonValue, path: string): ValueTest {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4))
    throw new PatternFault(path, 'expected [operator, number] or a range like [">", 0, "<=", 5]');
  const conditions: ValueTest[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const operator = operand[i];
    const bound = operand[i + 1];
    if (typeof operator !== "string" || !NUMERIC_OPERATORS.has(operator))
      throw new PatternFault(childPath(path, i), "expected one of =, <, <=, >, >=");
    if (typeof bound !== "number") throw new PatternFault(childPath(path, i + 1), "expected a number");
    conditions.push(comparison(operator, bound));
  }
  if (operand.length === 4) {
    const [low, lowBound, high, highBound] = operand as [string, number, string, number];
    if (!RANGE_LOWER.has(low)) throw new PatternFault(childPath(path, 0), "a range starts with > or >=");
    if (!RANGE_UPPER.has(high)) throw new PatternFault(childPath(path, 2), "a range ends with < or <=");
    if (lowBound >= highBound)
      throw new PatternFault(childPath(path, 3), "the upper bound must be greater than the lower bound");
  }
  return (v) => typeof v === "number" && conditions.every((c) => c(v));
}

function comparison(operator: string, bound: number): ValueTest {
  switch (operator) {
    case "=":
      return (v) => v === bound;
    case ">":
      return (v) => (v as number) > bound;
    case ">=":
      return (v) => (v as number) >= bound;
    case "<":
      return (v) => (v as number) < bound;
    default:
      return (v) => (v as number) <= bound;
  }
}

/**
 * `anything-but`: a value, a list of values, or `{prefix|suffix|equals-ignore-case|wildcard: string | [string]}`.
 * Matches a present, non-null scalar that is not excluded.
 */
function anythingBut(operand: JsonValue, path: string, options: LiteralOptions): ValueTest {
  let excluded: ValueTest;
  if (typeof operand === "string" || typeof operand === "number") {
    excluded = compileValueTest(operand, path, options);
  } else if (Array.isArray(operand)) {
    if (operand.length === 0) throw new PatternFault(path, "expected at least one value to exclude");
    const tests = operand.map((value, i) => {
      if (typeof value !== "string" && typeof value !== "number")
        throw new PatternFault(childPath(path, i), "anything-but lists hold strings or numbers");
      return compileValueTest(value, childPath(path, i), options);
    });
    excluded = (v) => tests.some((t) => t(v));
  } else if (operand !== null && typeof operand === "object") {
    const [operator, inner] = onlyEntry(operand, path);
    if (!["prefix", "suffix", "equals-ignore-case", "wildcard"].includes(operator))
      throw new PatternFault(
        path,
        `anything-but takes prefix, suffix, equals-ignore-case or wildcard, not "${operator}"`,
      );
    const at = childPath(path, operator);
    const operands = Array.isArray(inner) ? inner : [inner];
    if (operands.length === 0) throw new PatternFault(at, "expected at least one string");
    const tests = operands.map((value, i) => {
      if (typeof value !== "string")
        throw new PatternFault(Array.isArray(inner) ? childPath(at, i) : at, "expected a string");
      return compileValueTest({ [operator]: value }, path, options);
    });
    excluded = (v) => tests.some((t) => t(v));
  } else {
    throw new PatternFault(path, "expected a value, a list of values, or an operator object");
  }
  return (v) => v !== null && v !== undefined && typeof v !== "object" && !excluded(v);
}
