import { readDockerfile } from "./image-node";

/**
 * The Node.js flags the image's ENTRYPOINT gives the poller (between the node binary and the script), read from
 * the Dockerfile itself so that the bench runs the poller with exactly the image's flags.
 */
export function imageNodeFlags(dockerfile = readDockerfile()): string[] {
  const entrypoints = dockerfile.split("\n").filter((line) => line.startsWith("ENTRYPOINT "));
  const [entrypoint] = entrypoints;
  if (entrypoints.length !== 1 || entrypoint === undefined) {
    throw new Error(`the Dockerfile must have one ENTRYPOINT, found ${entrypoints.length}`);
  }
  const argv: unknown = JSON.parse(entrypoint.slice("ENTRYPOINT ".length));
  if (!Array.isArray(argv) || argv.length < 3 || !argv.every((arg) => typeof arg === "string")) {
    throw new Error(
      `the Dockerfile's ENTRYPOINT must be a JSON array [node, ...flags, script, "poll"]: ${entrypoint}`,
    );
  }
  return argv.slice(1, -2) as string[];
}

/** One `KEY=value` of an ENV instruction: no quotes, no spaces, no variables (the form this Dockerfile uses). */
const ENV_PAIR = /^([A-Za-z_][A-Za-z0-9_]*)=([^\s"'$\\]*)$/;

/**
 * The environment the image's runtime stage sets (its `ENV` instructions after the last `FROM`), read from the
 * Dockerfile so that the bench runs the poller with it too: `MALLOC_ARENA_MAX` changes the poller's RSS, which the
 * memory goal judges. Only the `ENV KEY=value …` form is accepted; anything else throws rather than being skipped.
 */
export function imageRuntimeEnv(dockerfile = readDockerfile()): Record<string, string> {
  const lines = dockerfile.split("\n");
  const lastFrom = lines.findLastIndex((line) => line.startsWith("FROM "));
  const env: Record<string, string> = {};
  for (const line of lines.slice(lastFrom + 1)) {
    if (!line.startsWith("ENV ")) continue;
    for (const pair of line.slice("ENV ".length).trim().split(/\s+/)) {
      const match = ENV_PAIR.exec(pair);
      if (match === null) {
        throw new Error(
          `the Dockerfile's runtime ENV must be KEY=value pairs without quotes or variables: ${line}`,
        );
      }
      env[match[1] as string] = match[2] as string;
    }
  }
  return env;
}
