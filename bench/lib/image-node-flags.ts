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
