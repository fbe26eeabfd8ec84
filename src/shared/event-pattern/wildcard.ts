/**
 * EventBridge `wildcard`: `*` matches any run of characters, `\*` a literal star, `\\` a backslash. Matched by the
 * classic two-pointer algorithm (linear backtracking on the last star), so no pattern can make it exponential, which a
 * RegExp built from user input could.
 */

type Token = { readonly star: true } | { readonly star: false; readonly char: string };

/** Returns why the wildcard is invalid, or the tokens. */
export function parseWildcard(source: string): Token[] | string {
  const tokens: Token[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "\\") {
      const next = source[i + 1];
      if (next !== "*" && next !== "\\") return "a backslash may only escape '*' or '\\'";
      tokens.push({ star: false, char: next });
      i++;
    } else if (c === "*") {
      if (tokens.at(-1)?.star) return "consecutive '*' are not allowed";
      tokens.push({ star: true });
    } else {
      tokens.push({ star: false, char: c });
    }
  }
  return tokens;
}

export function wildcardMatcher(tokens: readonly Token[]): (text: string) => boolean {
  return (text) => {
    let t = 0;
    let p = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (t < text.length) {
      const token = tokens[p];
      if (token !== undefined && !token.star && token.char === text[t]) {
        t++;
        p++;
      } else if (token?.star) {
        starAt = p++;
        resumeAt = t;
      } else if (starAt >= 0) {
        p = starAt + 1;
        t = ++resumeAt;
      } else {
        return false;
      }
    }
    while (tokens[p]?.star) p++;
    return p === tokens.length;
  };
}
