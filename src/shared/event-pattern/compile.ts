import { ATTRIBUTE_TYPES, fieldReader, isImagePath } from "./dynamodb-view";
import type { JsonObject, JsonValue } from "./json-text";
import { childPath, PatternFault } from "./problem";
import { compileValueTest, type LiteralOptions, type ValueTest } from "./value-tests";

/** A compiled pattern (or part of one): does this value match? */
export type EventTest = (value: unknown) => boolean;

interface LeafOptions extends LiteralOptions {
  /** Lambda's typed form: the attribute must have this type (`{"S": [...]}` only matches strings). */
  readonly guard?: ValueTest;
}

const isString: ValueTest = (v) => typeof v === "string";
const isNumber: ValueTest = (v) => typeof v === "number";
const isBoolean: ValueTest = (v) => typeof v === "boolean";

/** Compiles a pattern once into a test of a whole record; throws PatternFault naming the JSON path. */
export function compilePattern(pattern: JsonValue): EventTest {
  if (!isObject(pattern))
    throw new PatternFault("$", 'a pattern is a JSON object, e.g. {"eventName":["INSERT"]}');
  return compileObject(pattern, "$", [], false);
}

/**
 * An object level of the pattern: every field must match, and one alternative of every `$or`. An array in the event
 * matches when one of its elements matches the whole level (so fields are matched within the same element).
 */
function compileObject(
  pattern: JsonObject,
  path: string,
  keys: readonly string[],
  childrenAreAttributes: boolean,
): EventTest {
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new PatternFault(path, "an empty object; name at least one field to match");
  const fields: { read: (parent: object) => unknown; test: EventTest }[] = [];
  const alternatives: EventTest[][] = [];
  for (const [key, sub] of entries) {
    const at = childPath(path, key);
    if (key === "$or") {
      if (!Array.isArray(sub) || sub.length < 2)
        throw new PatternFault(at, "$or takes an array of at least two patterns");
      alternatives.push(
        sub.map((alternative, i) => {
          if (!isObject(alternative)) throw new PatternFault(childPath(at, i), "expected a pattern object");
          return compileObject(alternative, childPath(at, i), keys, childrenAreAttributes);
        }),
      );
      continue;
    }
    const childKeys = [...keys, key];
    fields.push({
      read: fieldReader(keys, key),
      test: compileField(sub, at, childKeys, childrenAreAttributes),
    });
  }
  const test: EventTest = (value) => {
    if (Array.isArray(value)) return value.length === 0 ? test(undefined) : value.some(test);
    const parent = value !== null && typeof value === "object" ? value : undefined;
    for (const field of fields)
      if (!field.test(parent === undefined ? undefined : field.read(parent))) return false;
    for (const options of alternatives) if (!options.some((alternative) => alternative(value))) return false;
    return true;
  };
  return test;
}

function compileField(
  sub: JsonValue,
  path: string,
  keys: readonly string[],
  isAttribute: boolean,
): EventTest {
  if (isAttribute && isTypedForm(sub)) return compileTyped(sub, path, keys);
  if (Array.isArray(sub)) return compileLeaf(sub, path, {});
  if (isObject(sub)) return compileObject(sub, path, keys, isImagePath(keys));
  throw new PatternFault(
    path,
    `expected a list of values to match (e.g. [${JSON.stringify(sub)}]) or an object of fields`,
  );
}

/** Lambda's typed form, e.g. `{"N": [{"numeric": [">", 100]}]}`: matched on the plain value, type-checked. */
function compileTyped(sub: JsonObject, path: string, keys: readonly string[]): EventTest {
  const [type, inner] = Object.entries(sub)[0] as [string, JsonValue];
  const at = childPath(path, type);
  if (type === "M") {
    if (!isObject(inner)) throw new PatternFault(at, "M takes an object of attribute patterns");
    return compileObject(inner, at, keys, true);
  }
  if (type === "L") {
    if (isTypedForm(inner)) return compileTyped(inner, at, keys);
    if (Array.isArray(inner)) return compileLeaf(inner, at, {});
    throw new PatternFault(at, 'L takes a list of values or a typed element pattern like {"S": ["a"]}');
  }
  if (!Array.isArray(inner)) throw new PatternFault(at, `${type} takes a list of values to match`);
  switch (type) {
    case "N":
    case "NS":
      return compileLeaf(inner, at, { guard: isNumber, numbersAsText: true });
    case "BOOL":
      return compileLeaf(inner, at, { guard: isBoolean });
    case "NULL":
      // {"NULL": [true]} is how Lambda's form says "the attribute is null".
      return compileLeaf(
        inner.map((entry) => (entry === true ? null : entry)),
        at,
        { guard: (v) => v === null },
      );
    default:
      return compileLeaf(inner, at, { guard: isString });
  }
}

/** A list of values and content filters: the field matches if any of them does. */
function compileLeaf(list: readonly JsonValue[], path: string, options: LeafOptions): EventTest {
  if (list.length === 0)
    throw new PatternFault(
      path,
      'an empty list matches nothing; list at least one value or use [{"exists": false}]',
    );
  let ifPresent = false;
  let ifMissing = false;
  const tests: ValueTest[] = [];
  list.forEach((entry, i) => {
    const at = childPath(path, i);
    if (isObject(entry) && Object.hasOwn(entry, "exists") && Object.keys(entry).length === 1) {
      if (typeof entry.exists !== "boolean")
        throw new PatternFault(childPath(at, "exists"), "expected true or false");
      if (entry.exists) ifPresent = true;
      else ifMissing = true;
      return;
    }
    const test = compileValueTest(entry, at, options);
    const guard = options.guard;
    tests.push(guard === undefined ? test : (v) => guard(v) && test(v));
  });
  const anyValue: ValueTest = (v) => (Array.isArray(v) ? v.some(anyValue) : tests.some((t) => t(v)));
  return (value) => {
    const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
    if (present ? ifPresent : ifMissing) return true;
    return present && tests.length > 0 && anyValue(value);
  };
}

function isTypedForm(value: JsonValue): value is JsonObject {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && ATTRIBUTE_TYPES.has(keys[0] ?? "");
}

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
