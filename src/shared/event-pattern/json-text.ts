/**
 * A strict JSON reader that says where the text goes wrong (a character offset). `JSON.parse` does not: recent V8
 * messages often carry no position at all, and a silent duplicate key would drop half of a pattern.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type JsonTextResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly offset: number; readonly message: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export function parseJsonText(text: string): JsonTextResult {
  try {
    const reader = new Reader(text);
    const value = reader.value();
    reader.end();
    return { ok: true, value };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, offset: err.offset, message: err.message };
    throw err;
  }
}

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  value(): JsonValue {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    throw this.fail(c === undefined ? "unexpected end of JSON" : `unexpected ${describe(c)}`);
  }

  end(): void {
    this.skipSpace();
    if (this.at < this.text.length)
      throw this.fail(`unexpected ${describe(this.text[this.at] ?? "")} after the JSON value`);
  }

  private object(): JsonObject {
    this.at++;
    const result: JsonObject = {};
    this.skipSpace();
    if (this.text[this.at] === "}") {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') throw this.fail("expected a property name in double quotes");
      const keyAt = this.at;
      const key = this.string();
      if (Object.hasOwn(result, key)) throw new JsonSyntaxError(keyAt, `duplicate key "${key}"`);
      this.expect(":");
      result[key] = this.value();
      if (this.separator("}")) return result;
    }
  }

  private array(): JsonValue[] {
    this.at++;
    const result: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.at] === "]") {
      this.at++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      if (this.separator("]")) return result;
    }
  }

  /** After a member: true at the closing bracket, false after a comma. */
  private separator(close: string): boolean {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === close) {
      this.at++;
      return true;
    }
    if (c === ",") {
      this.at++;
      this.skipSpace();
      if (this.text[this.at] === close) throw this.fail(`trailing comma before '${close}'`);
      return false;
    }
    throw this.fail(
      c === undefined ? `unexpected end of JSON: missing '${close}'` : `expected ',' or '${close}'`,
    );
  }

  private string(): string {
    let out = "";
    this.at++;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) throw this.fail("unterminated string");
      if (c === '"') {
        this.at++;
        return out;
      }
      if (c < " ") throw this.fail("control character in a string (escape it)");
      if (c === "\\") {
        const e = this.text[this.at + 1] ?? "";
        if (e === "u") {
          const hex = this.text.slice(this.at + 2, this.at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.fail("invalid \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.at += 6;
          continue;
        }
        const escaped = ESCAPES[e];
        if (escaped === undefined) throw this.fail(`invalid escape \\${e}`);
        out += escaped;
        this.at += 2;
        continue;
      }
      out += c;
      this.at++;
    }
  }

  private number(): number {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.fail("invalid number");
    this.at += match[0].length;
    return Number(match[0]);
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.at] !== c) throw this.fail(`expected '${c}'`);
    this.at++;
  }

  private skipSpace(): void {
    while (/[ \t\r\n]/.test(this.text[this.at] ?? "")) this.at++;
  }

  private fail(message: string): JsonSyntaxError {
    return new JsonSyntaxError(this.at, message);
  }
}

function describe(c: string): string {
  return c === "" ? "end of JSON" : `'${c}'`;
}
