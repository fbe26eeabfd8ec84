/**
 * Tables in `markdown` whose rows do not all have the header's number of cells. GitHub renders such a table as
 * plain text (GFM: the delimiter row must match the header row), so a published table silently stops being one.
 */
export function misshapenTables(markdown: string): string[] {
  const problems: string[] = [];
  let header: { line: string; cells: number } | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      header = undefined;
      continue;
    }
    const cells = cellCount(line);
    if (header === undefined) header = { line, cells };
    else if (cells !== header.cells)
      problems.push(
        `${cells} cells, header ${header.cells}: ${line.slice(0, 80)} (table "${header.line.slice(0, 60)}")`,
      );
  }
  return problems;
}

/** Cells of a `| a | b |` row; a `|` inside a code span or escaped as `\|` does not split. */
function cellCount(line: string): number {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  let cells = 1;
  let inCode = false;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (char === "\\") i++;
    else if (char === "`") inCode = !inCode;
    else if (char === "|" && !inCode) cells++;
  }
  return cells;
}
