/**
 * A DynamoDB number (up to 38 significant digits) as a JSON value without losing anything: a JS number when the
 * double prints back as the same decimal value (so JSON readers, decimal-aware ones included, get the same number),
 * otherwise the original string. So `42`, `-1.5` and `0.1` become numbers, while `12345678901234567890` or
 * `0.100000000000000000001` stay strings.
 */
export function losslessNumber(text: string): number | string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  const printed = String(value);
  if (printed === text) return value;
  return sameDecimal(text, printed) ? value : text;
}

/** Compares two decimal strings by value, exactly (no floating point): both normalised to digits × 10^exponent. */
function sameDecimal(a: string, b: string): boolean {
  const x = normalise(a);
  const y = normalise(b);
  return x !== undefined && y !== undefined && x === y;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function normalise(text: string): string | undefined {
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const [, sign = "", intPart = "", fracPart = "", exp = "0"] = m;
  let digits = intPart + fracPart;
  let exponent = Number(exp) - fracPart.length;
  const leading = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leading);
  if (digits.length === 0) return "0";
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign === "-" ? "-" : ""}${digits}e${exponent}`;
}
