import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";

/**
 * V8 stringifies an object on its fast path only if every string in it is a flat sequence of characters: one rope
 * (a ConsString, which `+`, template literals and `replace` make of results of 13 characters or more), slice or
 * thin string sends the whole JSON.stringify of the event to the slow path, ~2 µs more per 1 KB event in structured
 * and batch modes on Node.js 26 (README, What limits → Batch drain). How V8 represents a string is visible only
 * through its natives, so the probe runs in a child with --allow-natives-syntax.
 */
describe("event strings as V8 holds them", function () {
  this.timeout(60_000);

  it("every string of every event, in every data format, is flat: no ropes, slices or thin strings", () => {
    const probe = join(__dirname, "string-representation-probe.ts");
    // Both go to files: to a pipe, which Node makes non-blocking, V8's printing drops what does not fit at once.
    const dir = mkdtempSync(join(tmpdir(), "string-representation-"));
    const files = { printed: join(dir, "debug-print.txt"), paths: join(dir, "paths.txt") };
    const printed = openSync(files.printed, "w");
    const pathsOut = openSync(files.paths, "w");
    let run: SpawnSyncReturns<string>;
    let stdout: string;
    let pathLines: string;
    try {
      run = spawnSync(process.execPath, ["--allow-natives-syntax", "-r", "ts-node/register", probe], {
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        stdio: ["ignore", printed, "pipe", pathsOut],
      });
      stdout = readFileSync(files.printed, "utf8");
      pathLines = readFileSync(files.paths, "utf8");
    } finally {
      closeSync(printed);
      closeSync(pathsOut);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(run.status, run.stderr).to.equal(0);
    const paths = pathLines.split("\n").filter(Boolean);
    const types = [...stdout.matchAll(/^ - type: (\w+)$/gm)].map((match) => match[1] as string);
    // One type per probed string, in order: a change in %DebugPrint's output fails here, not silently.
    expect(types).to.have.length(paths.length);
    expect(paths.length).to.be.greaterThan(300);
    const strings = paths.map((where, i) => ({ where, type: types[i] as string }));
    for (const format of ["aws", "triggermesh", "plain"]) {
      expect(strings.some(({ where }) => where.startsWith(`${format} event.partitionkey`))).to.equal(true);
    }
    const notFlat = strings.filter(({ type }) => /CONS|SLICED|THIN/.test(type));
    expect(notFlat.map(({ where, type }) => `${where}: ${type}`)).to.deep.equal([]);
  });
});
