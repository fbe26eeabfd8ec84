/**
 * Durations as Knative writes them (ISO-8601, e.g. `PT0.5S`, `PT1M`) or as plain milliseconds (`250`).
 * Shared: the component validates them at preview, the poller parses them at start-up.
 */

// ISO-8601 durations limited to days and time parts (no years/months: their length is not fixed).
const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds, or a sentence saying what is wrong. */
export function parseDuration(value: string): number | { error: string } {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const m = ISO_DURATION.exec(text.toUpperCase());
  if (!m || text.toUpperCase() === "P" || text.toUpperCase().endsWith("T")) {
    return {
      error: `"${value}" is not a duration; use ISO-8601 (e.g. PT0.5S, PT2S, PT1M) or milliseconds (e.g. 500)`,
    };
  }
  const [, days, hours, minutes, seconds] = m;
  const ms =
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Number(seconds ?? 0) * 1000;
  return Math.round(ms);
}

export function isDurationError(v: number | { error: string }): v is { error: string } {
  return typeof v !== "number";
}
