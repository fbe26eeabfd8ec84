import { compilePattern, type EventTest } from "./compile";
import { type JsonValue, parseJsonText } from "./json-text";
import { PatternFault, type PatternProblem } from "./problem";

/** Lambda's and EventBridge Pipes' limit: patterns are OR-ed, at most this many. */
export const MAX_FILTER_PATTERNS = 10;
/** Per pattern, in characters of its JSON (Lambda's limit for one filter pattern). */
export const MAX_FILTER_PATTERN_CHARS = 4096;

/** Compiled filter: true when the record matches at least one pattern (and is delivered). */
export type RecordFilter = (record: object) => boolean;

export type Compiled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: PatternProblem };

/** One pattern as JSON text (a component's `filters[i]`); `index` numbers it in messages. */
export function compilePatternText(text: string, index?: number): Compiled<EventTest> {
  if (text.length > MAX_FILTER_PATTERN_CHARS) return tooLong(text.length, index);
  const parsed = parseJsonText(text);
  if (!parsed.ok)
    return { ok: false, problem: { message: parsed.message, offset: parsed.offset, pattern: index } };
  return compileValue(parsed.value, index);
}

/** The `FILTER` variable: one pattern object, or an array of 1 to 10 pattern objects. */
export function compileFilterText(text: string): Compiled<{ filter: RecordFilter; patterns: number }> {
  // Bounded before parsing: the reader recurses once per nesting level.
  const maxChars = MAX_FILTER_PATTERNS * (MAX_FILTER_PATTERN_CHARS + 1) + 1;
  if (text.length > maxChars)
    return {
      ok: false,
      problem: { message: `is ${text.length} characters; at most ${maxChars} for 10 patterns` },
    };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, problem: { message: parsed.message, offset: parsed.offset } };
  const patterns = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (patterns.length === 0 || patterns.length > MAX_FILTER_PATTERNS) {
    return {
      ok: false,
      problem: { message: `expected 1 to ${MAX_FILTER_PATTERNS} patterns, got ${patterns.length}` },
    };
  }
  const tests: EventTest[] = [];
  for (const [i, pattern] of patterns.entries()) {
    const index = patterns.length === 1 ? undefined : i;
    const size = JSON.stringify(pattern).length;
    if (size > MAX_FILTER_PATTERN_CHARS) return tooLong(size, index);
    const compiled = compileValue(pattern, index);
    if (!compiled.ok) return compiled;
    tests.push(compiled.value);
  }
  const [only] = tests;
  const filter: RecordFilter =
    tests.length === 1 && only !== undefined ? only : (record) => tests.some((test) => test(record));
  return { ok: true, value: { filter, patterns: tests.length } };
}

function compileValue(value: JsonValue, index: number | undefined): Compiled<EventTest> {
  try {
    return { ok: true, value: compilePattern(value) };
  } catch (err) {
    if (!(err instanceof PatternFault)) throw err;
    return { ok: false, problem: { message: err.message, path: err.path, pattern: index } };
  }
}

function tooLong(size: number, index: number | undefined): Compiled<never> {
  return {
    ok: false,
    problem: { message: `is ${size} characters; at most ${MAX_FILTER_PATTERN_CHARS}`, pattern: index },
  };
}
