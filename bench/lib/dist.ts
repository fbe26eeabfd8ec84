import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** The checkout: this file is bench/lib/dist.ts under ts-node (mocha), dist/bench/lib/dist.js under npm run bench. */
export const REPO_ROOT = path.resolve(__dirname, __filename.endsWith(".ts") ? "../.." : "../../..");
export const POLLER_ENTRY = path.join(REPO_ROOT, "dist/src/cli/main.js");

/** The first source under `dir` (relative to src/) whose compiled output is missing or older than it. */
function staleSource(dir: string): string | undefined {
  for (const entry of readdirSync(path.join(REPO_ROOT, "src", dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const stale = staleSource(relative);
      if (stale !== undefined) return stale;
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      const output = path.join(REPO_ROOT, "dist/src", relative.replace(/\.ts$/, ".js"));
      if (
        !existsSync(output) ||
        statSync(output).mtimeMs < statSync(path.join(REPO_ROOT, "src", relative)).mtimeMs
      )
        return relative;
    }
  }
  return undefined;
}

/**
 * The bench runs the poller as the image does (`node dist/src/cli/main.js poll`): every file of src must have an
 * output in dist at least as new. Builds when one is missing or stale (or always with `force`); says which.
 */
export function ensureDist(force: boolean, log: (line: string) => void): string {
  // File by file: npm run bench compiles only what the bench imports, incrementally, so outputs have all ages.
  const stale = !existsSync(POLLER_ENTRY) || staleSource("") !== undefined;
  if (!force && !stale) {
    log(`using the existing build in dist/ (newer than every file in src/)`);
    return "existing dist/ (up to date with src/)";
  }
  log(force ? "building dist/ (--build)" : "dist/ is missing or older than src/: running npm run build");
  const started = Date.now();
  const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: REPO_ROOT, stdio: "inherit" });
  if (result.status !== 0)
    throw new Error("npm run build failed: the bench needs dist/ to run the poller process");
  return `built by the bench (npm run build, ${Math.round((Date.now() - started) / 1000)} s)`;
}
