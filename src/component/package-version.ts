import { readFileSync } from "node:fs";
import * as path from "node:path";

const PACKAGE_NAME = "pulumi-dynamodb-source";

/**
 * The version of this package, read from its package.json. Walks up from this file because the relative path
 * differs between the sources (src/component), the build (dist/src/component) and an installed copy, and because
 * importing package.json would make tsc emit a copy under dist/ that the published `files` do not include.
 */
export function readPackageVersion(startDir: string = __dirname): string {
  let dir = startDir;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(dir, "package.json");
    try {
      const parsed: unknown = JSON.parse(readFileSync(candidate, "utf8"));
      if (isOurManifest(parsed)) return parsed.version;
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`${PACKAGE_NAME}: cannot find its own package.json above ${startDir}`);
}

function isOurManifest(value: unknown): value is { name: string; version: string } {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.name === PACKAGE_NAME && typeof record.version === "string";
}
