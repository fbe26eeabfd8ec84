/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined
 * when absent or unparseable; a date in the past means "now" (0).
 */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date always names a day or month; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
