import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** The checkout: this file is bench/lib/dist.ts under ts-node (mocha), dist/bench/lib/dist.js under npm run bench. */
export const REPO_ROOT = path.resolve(__dirname, __filename.endsWith(".ts") ? "../.." : "../../..");
export const POLLER_ENTRY = path.join(REPO_ROOT, "dist/src/cli/main.js");

/** Newest modification time of any file under `dir` whose name ends with `extension` (0 when there is none). */
function newest(dir: string, extension: string): number {
  if (!existsSync(dir)) return 0;
  let found = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found = Math.max(found, newest(full, extension));
    else if (entry.name.endsWith(extension)) found = Math.max(found, statSync(full).mtimeMs);
  }
  return found;
}

/**
 * The bench runs the poller as the image does (`node dist/src/cli/main.js poll`): dist must exist and be newer
 * than src. Builds when it is missing or stale (or always with `force`); says which.
 */
export function ensureDist(force: boolean, log: (line: string) => void): string {
  // Against the newest output, not the entry point: npm run bench compiles incrementally and rewrites only what
  // changed, so the entry point can be older than a source whose output is fresh.
  const stale =
    !existsSync(POLLER_ENTRY) ||
    newest(path.join(REPO_ROOT, "dist/src"), ".js") < newest(path.join(REPO_ROOT, "src"), ".ts");
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
