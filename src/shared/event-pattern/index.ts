export type { EventTest } from "./compile";
export { attributeToPlain } from "./dynamodb-view";
export {
  type Compiled,
  compileFilterText,
  compilePatternText,
  MAX_FILTER_PATTERN_CHARS,
  MAX_FILTER_PATTERNS,
  type RecordFilter,
} from "./filter";
export { describePatternProblem, type PatternProblem } from "./problem";
