import { readFileSync } from "node:fs";
import * as path from "node:path";

const PACKAGE_NAME = "pulumi-dynamodb-source";

/**
 * The folder holding this package's package.json. Walks up from this file because the relative path differs
 * between the sources (src/component), the build (dist/src/component) and an installed copy.
 */
export function findPackageRoot(startDir: string = __dirname): string {
  return readOwnManifest(startDir).dir;
}

/**
 * The version of this package, read from its package.json (importing package.json would make tsc emit a copy
 * under dist/ that the published `files` do not include).
 */
export function readPackageVersion(startDir: string = __dirname): string {
  return readOwnManifest(startDir).version;
}

function readOwnManifest(startDir: string): { dir: string; version: string } {
  let dir = startDir;
  for (let depth = 0; depth < 6; depth++) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (isOurManifest(parsed)) return { dir, version: parsed.version };
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
