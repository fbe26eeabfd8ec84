import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../bench/lib/dist";
import { toMarkdown } from "../../bench/lib/markdown";
import type { BenchResults } from "../../bench/lib/results";
import { misshapenTables } from "../support/markdown-tables";

describe("bench Markdown (bench/results/latest.md and the README's copy of it)", () => {
  const published = path.join(REPO_ROOT, "bench", "results");
  const results = JSON.parse(readFileSync(path.join(published, "latest.json"), "utf8")) as BenchResults;

  it("renders every table with as many cells per row as its header, from the published results", () => {
    expect(misshapenTables(toMarkdown(results))).to.deep.equal([]);
  });

  it("is what the published latest.md holds, and the README quotes it whole", () => {
    const markdown = readFileSync(path.join(published, "latest.md"), "utf8");
    expect(markdown).to.equal(toMarkdown(results));
    expect(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")).to.include(markdown.trimEnd());
  });

  it("catches a delimiter row with one cell too many (GitHub would not render the table)", () => {
    expect(misshapenTables("| a | b |\n|---|---:|---:|\n| 1 | 2 |\n")).to.have.length(1);
    expect(misshapenTables("| a | `x|y` |\n|---|---|\n| 1 | 2 \\| 3 |\n")).to.deep.equal([]);
  });
});
