import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Relative links in the Markdown file at `file` that lead nowhere: a missing file, or an anchor (`#…`) that no
 * heading of the target has. Anchors are GitHub's heading slugs. External links (`scheme:`) are not checked, and
 * neither is anything inside a fenced code block.
 */
export function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  for (const { target, line } of relativeLinks(readFileSync(file, "utf8"))) {
    const [filePart = "", anchor] = target.split("#", 2);
    const linked = filePart === "" ? file : path.resolve(path.dirname(file), decodeURI(filePart));
    if (!existsSync(linked)) {
      problems.push(`line ${line}: ${target}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === "") continue;
    if (!linked.endsWith(".md")) {
      problems.push(`line ${line}: ${target}: an anchor into a file that is not Markdown`);
      continue;
    }
    if (!headingSlugs(readFileSync(linked, "utf8")).has(anchor))
      problems.push(`line ${line}: ${target}: no heading with that anchor`);
  }
  return problems;
}

const LINK = /\]\(([^)\s]+)\)/g;

function relativeLinks(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  let fenced = false;
  markdown.split("\n").forEach((text, i) => {
    if (text.trimStart().startsWith("```")) fenced = !fenced;
    if (fenced) return;
    for (const match of text.matchAll(LINK)) {
      const target = match[1] as string;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ target, line: i + 1 });
    }
  });
  return links;
}

/** GitHub's anchors for the headings of `markdown`: lower case, punctuation dropped, spaces to `-`, repeats `-1`… */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const text of markdown.split("\n")) {
    if (text.trimStart().startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const base = (heading[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}
