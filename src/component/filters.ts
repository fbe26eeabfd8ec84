import * as pulumi from "@pulumi/pulumi";
import { compilePatternText, MAX_FILTER_PATTERNS, type PatternProblem } from "../shared/event-pattern";
import { checkedOutput, knownValue } from "./inputs";

type Problem = pulumi.InputPropertyErrorDetails;

/** `filters[i]`: one event pattern as JSON text; the reason says where it is wrong (JSON path or character). */
export function filterPatternRule(text: string): string | undefined {
  if (typeof text !== "string")
    return 'expected an event pattern as a JSON string, e.g. {"eventName":["INSERT"]}';
  const compiled = compilePatternText(text);
  return compiled.ok ? undefined : reasonOf(compiled.problem);
}

/** Problems knowable now: the list's length, and every pattern whose text is known. */
export function filterProblems(filters: readonly pulumi.Input<string>[] | undefined): Problem[] {
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters))
    return [{ propertyPath: "filters", reason: "expected a list of event patterns (JSON strings)" }];
  const problems: Problem[] = [];
  if (filters.length > MAX_FILTER_PATTERNS) {
    problems.push({
      propertyPath: "filters",
      reason: `${filters.length} patterns; at most ${MAX_FILTER_PATTERNS} (they are OR-ed: merge some with $or)`,
    });
  }
  filters.forEach((filter, i) => {
    const known = knownValue(filter);
    if (!known.known) return;
    const reason = filterPatternRule(known.value as string);
    if (reason !== undefined) problems.push({ propertyPath: `filters[${i}]`, reason });
  });
  return problems;
}

/** The FILTER variable: a JSON array of the patterns; patterns known only later are checked when they resolve. */
export function filterEnvValue(
  filters: readonly pulumi.Input<string>[] | undefined,
): pulumi.Input<string> | undefined {
  if (filters === undefined || filters.length === 0) return undefined;
  const checked = filters.map((filter, i) =>
    knownValue(filter).known ? filter : checkedOutput(`filters[${i}]`, filter, filterPatternRule),
  );
  // Each text is valid JSON by now, so joining them is a valid JSON array (and the user's formatting is kept).
  return pulumi.all(checked).apply((texts) => `[${texts.map((text) => text.trim()).join(",")}]`);
}

function reasonOf(problem: PatternProblem): string {
  if (problem.offset !== undefined)
    return `not valid JSON at character ${problem.offset}: ${problem.message}`;
  if (problem.path !== undefined) return `at ${problem.path}: ${problem.message}`;
  return `the pattern ${problem.message}`;
}
