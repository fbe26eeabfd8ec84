/** What is wrong with a filter pattern and where: a JSON path inside the pattern, or a character offset. */
export interface PatternProblem {
  readonly message: string;
  /** JSON path inside the pattern, e.g. `$.dynamodb.NewImage.amount[0].numeric[1]`. */
  readonly path?: string;
  /** 0-based character offset in the pattern text (JSON syntax errors). */
  readonly offset?: number;
  /** 0-based index of the pattern in the list. */
  readonly pattern?: number;
}

/** Thrown while compiling; turned into a PatternProblem at the public boundary. */
export class PatternFault extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** One line, e.g. `pattern 2 at $.eventName[0]: unknown operator "prefx"`. */
export function describePatternProblem(problem: PatternProblem): string {
  const which = problem.pattern === undefined ? "pattern" : `pattern ${problem.pattern + 1}`;
  if (problem.offset !== undefined)
    return `${which} is not valid JSON at character ${problem.offset}: ${problem.message}`;
  if (problem.path !== undefined) return `${which} at ${problem.path}: ${problem.message}`;
  return `${which}: ${problem.message}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
