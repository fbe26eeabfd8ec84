import type { ScenarioResult } from "../scenarios";

const COLUMNS: readonly [string, (r: ScenarioResult) => string][] = [
  ["scenario", (r) => r.scenario],
  ["written", (r) => String(r.written)],
  ["delivered", (r) => String(r.delivered)],
  ["lost", (r) => String(r.lost)],
  ["duplicated (bound)", (r) => `${r.duplicated} (≤ ${r.duplicateBound})`],
  ["reorderings", (r) => String(r.reorderings)],
  ["disruptions", (r) => String(r.disruptions)],
  ["max recovery", (r) => (r.recoveryMs === null ? "–" : `${(r.recoveryMs / 1000).toFixed(1)} s`)],
  ["max RSS", (r) => (r.maxRssMb === undefined ? "–" : `${r.maxRssMb} MB`)],
  ["time", (r) => `${r.seconds} s`],
  ["result", (r) => (r.pass ? "PASS" : "FAIL")],
];

/** A Markdown table (the README quotes it). */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = `| ${COLUMNS.map(([name]) => name).join(" | ")} |`;
  const rule = `|${COLUMNS.map(() => "---").join("|")}|`;
  const rows = results.map((r) => `| ${COLUMNS.map(([, cell]) => cell(r)).join(" | ")} |`);
  return [header, rule, ...rows].join("\n");
}
