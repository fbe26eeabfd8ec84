import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./dist";

/** The repository's Dockerfile, which every fact about the image comes from. */
export function readDockerfile(): string {
  return readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8");
}

/**
 * The Node.js major version the image runs: the Dockerfile's build image (`node:<N>-…`) and runtime image
 * (`…/nodejs<N>-…`) must agree on it, or the image itself would compile on one Node.js and run on another.
 */
export function imageNodeMajor(dockerfile = readDockerfile()): number {
  const build = /^ARG NODE_IMAGE=node:(\d+)\b/m.exec(dockerfile)?.[1];
  const runtime = /^ARG RUNTIME_IMAGE=\S*nodejs(\d+)\b/m.exec(dockerfile)?.[1];
  if (build === undefined || runtime === undefined || build !== runtime) {
    throw new Error(
      `the Dockerfile must name one Node.js major in ARG NODE_IMAGE=node:<N>-… and ARG RUNTIME_IMAGE=…nodejs<N>-…; found ${build ?? "none"} and ${runtime ?? "none"}`,
    );
  }
  return Number(build);
}

export function majorOf(version: string): number {
  return Number(version.replace(/^v/, "").split(".")[0]);
}

/**
 * A Node.js binary of `major`: this process's own if it is one, else the npm registry's `node` package of that major,
 * through npx (downloaded once, then cached by npm). Throws, saying how to go on, when neither is at hand.
 */
export function nodeBinaryOfMajor(major: number): string {
  if (majorOf(process.version) === major) return process.execPath;
  const found = spawnSync("npx", ["--yes", `node@${major}`, "-p", "process.execPath"], {
    encoding: "utf8",
    timeout: 300_000,
  });
  const binary = found.stdout?.trim() ?? "";
  const version =
    found.status === 0 && binary !== ""
      ? spawnSync(binary, ["-p", "process.version"], { encoding: "utf8" }).stdout?.trim()
      : undefined;
  if (version === undefined || majorOf(version) !== major) {
    throw new Error(
      `the image runs Node.js ${major} and this is ${process.version}; fetching node@${major} from the npm registry (npx) failed: ${found.error?.message || found.stderr?.trim() || `npx exited with ${found.status}`}. Run the bench with Node.js ${major}, or pass --this-node to measure on ${process.version}.`,
    );
  }
  return binary;
}
