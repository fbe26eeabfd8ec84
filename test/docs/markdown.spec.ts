import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../bench/lib/dist";
import { brokenLinks, headingSlugs } from "../support/markdown-links";
import { misshapenTables } from "../support/markdown-tables";

/** The repository's own Markdown: every README and the bench's, not what dependencies or builds bring in. */
function markdownFiles(dir = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || ["node_modules", "dist"].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...markdownFiles(full));
    else if (entry.name.endsWith(".md")) files.push(full);
  }
  return files;
}

describe("the repository's Markdown (README, bench/README.md, examples)", () => {
  const files = markdownFiles();

  it("finds the documents it checks", () => {
    const names = files.map((file) => path.relative(REPO_ROOT, file));
    expect(names).to.include.members(["README.md", path.join("bench", "README.md")]);
  });

  for (const file of files) {
    const name = path.relative(REPO_ROOT, file);
    it(`${name}: every relative link leads to a file and heading that exist`, () => {
      expect(brokenLinks(file)).to.deep.equal([]);
    });
    it(`${name}: every table has as many cells per row as its header`, () => {
      expect(misshapenTables(readFileSync(file, "utf8"))).to.deep.equal([]);
    });
  }

  it("makes GitHub's anchors: punctuation and code spans dropped, spaces kept as dashes, repeats numbered", () => {
    const slugs = headingSlugs(
      "## The Pulumi component: `DynamoDBSource`\n## Filtering (`filters` / `FILTER`)\n# A\n# A\n",
    );
    expect([...slugs]).to.deep.equal([
      "the-pulumi-component-dynamodbsource",
      "filtering-filters--filter",
      "a",
      "a-1",
    ]);
  });

  it("reports a missing file and a missing anchor, and leaves code blocks and external links alone", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "markdown-links-"));
    try {
      const doc = path.join(dir, "doc.md");
      writeFileSync(
        doc,
        "# Here\n[a](nowhere.md) [b](#here) [c](#there) [d](https://example.com/x)\n```\n[e](gone.md)\n```\n",
      );
      expect(brokenLinks(doc)).to.deep.equal([
        "line 2: nowhere.md: no such file",
        "line 2: #there: no heading with that anchor",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
