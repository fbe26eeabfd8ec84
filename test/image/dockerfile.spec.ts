import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { imageNodeMajor } from "../../bench/lib/image-node";
import { imageNodeFlags, imageRuntimeEnv } from "../../bench/lib/image-runtime";
import { IMAGE_NODE_FLAGS, startPollerProcess } from "../../src/cli/dev/poller-process";

// No Docker engine here: check that the Dockerfile's paths match what `npm run build` produces, so the image
// runs the same file the tests run (`node dist/src/cli/main.js poll`).
const root = path.resolve(__dirname, "../..");
const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  version: string;
};

function instructions(keyword: string): string[] {
  return dockerfile
    .split("\n")
    .filter((line) => line.startsWith(`${keyword} `))
    .map((line) => line.slice(keyword.length + 1).trim());
}

describe("Dockerfile", () => {
  it("runs the built CLI's poll command as a JSON-form ENTRYPOINT", () => {
    const entrypoints = instructions("ENTRYPOINT");
    expect(entrypoints).to.have.length(1);
    const argv = JSON.parse(entrypoints[0] ?? "[]") as string[];
    expect(argv[argv.length - 1]).to.equal("poll");
    const script = argv[argv.length - 2] ?? "";
    expect(script).to.equal(`/app/${pkg.bin["dynamodb-source"]}`);
    expect(
      existsSync(path.join(root, pkg.bin["dynamodb-source"] ?? "")),
      "run `npm run build` first",
    ).to.equal(true);
  });

  it("gives node a smaller young generation, and the bench and the dev CLI run the poller with the very same flags", async () => {
    const argv = JSON.parse(instructions("ENTRYPOINT")[0] ?? "[]") as string[];
    expect(argv.slice(1, -2)).to.deep.equal(["--max-semi-space-size=8"]);
    expect(imageNodeFlags()).to.deep.equal(argv.slice(1, -2));
    expect(IMAGE_NODE_FLAGS).to.deep.equal(argv.slice(1, -2));
    // No ARN: the poller refuses to start, after node took the flags.
    const poller = startPollerProcess({ PATH: process.env.PATH }, () => {});
    expect(await poller.exited).to.not.equal(0);
    expect(poller.child.spawnargs.slice(1, 2)).to.deep.equal([...IMAGE_NODE_FLAGS]);
    expect(
      imageNodeFlags('FROM x\nENTRYPOINT ["node", "--a", "--b=1", "/app/main.js", "poll"]\n'),
    ).to.deep.equal(["--a", "--b=1"]);
    expect(() => imageNodeFlags("ENTRYPOINT node main.js poll\n")).to.throw();
    expect(() => imageNodeFlags("FROM x\n")).to.throw(/one ENTRYPOINT, found 0/);
  });

  it("runs node with two glibc malloc arenas, and the bench gives the poller the runtime stage's whole ENV", () => {
    expect(imageRuntimeEnv()).to.deep.equal({ NODE_ENV: "production", MALLOC_ARENA_MAX: "2" });
    // Only the runtime stage's ENV: a build stage's is not what the poller runs with.
    expect(imageRuntimeEnv("FROM a\nENV A=1\nFROM b\nENV B=2 C=3\nENV D=\n")).to.deep.equal({
      B: "2",
      C: "3",
      D: "",
    });
    expect(() => imageRuntimeEnv('FROM b\nENV A="1 2"\n')).to.throw(/KEY=value pairs/);
    expect(() => imageRuntimeEnv("FROM b\nENV A $B\n")).to.throw(/KEY=value pairs/);
  });

  it("builds and runs on one Node.js major, the one the bench measures the poller on", () => {
    expect(imageNodeMajor()).to.equal(26);
    expect(
      imageNodeMajor(
        "ARG NODE_IMAGE=node:24-bookworm-slim\nARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12\n",
      ),
    ).to.equal(24);
    expect(() =>
      imageNodeMajor(
        "ARG NODE_IMAGE=node:22-bookworm-slim\nARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12\n",
      ),
    ).to.throw(/found 22 and 20/);
    expect(() => imageNodeMajor("FROM node:22\n")).to.throw(/ARG NODE_IMAGE/);
  });

  it("copies the build output to where the ENTRYPOINT expects it", () => {
    const workdirs = instructions("WORKDIR");
    expect(workdirs[workdirs.length - 1]).to.equal("/app");
    expect(instructions("COPY")).to.include("--from=build /src/dist/src ./dist/src");
    expect(instructions("RUN")).to.include("npm run build");
  });

  it("builds with npm ci and ships production dependencies only", () => {
    const runs = instructions("RUN");
    expect(
      runs.some((r) => r.startsWith("npm ci") && r.includes("--omit=dev") && r.includes("--omit=peer")),
    ).to.equal(true);
  });

  it("runs as the non-root uid 65532 on a current Node LTS (22+)", () => {
    expect(instructions("USER")).to.deep.equal(["65532:65532"]);
    const runtime = /ARG RUNTIME_IMAGE=\S*nodejs(\d+)/.exec(dockerfile);
    const build = /ARG NODE_IMAGE=node:(\d+)/.exec(dockerfile);
    expect(Number(runtime?.[1])).to.be.at.least(22);
    expect(Number(build?.[1])).to.be.at.least(22);
  });

  it("carries OCI labels for source, version and licenses", () => {
    for (const label of ["source", "version", "licenses"]) {
      expect(dockerfile).to.contain(`org.opencontainers.image.${label}=`);
    }
  });

  it("has a .dockerignore that keeps everything the build copies", () => {
    const ignore = readFileSync(path.join(root, ".dockerignore"), "utf8");
    expect(ignore.split("\n")[1] ?? ignore).to.match(/^\*$/m);
    for (const kept of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "src/**",
    ]) {
      expect(ignore).to.contain(`!${kept}`);
    }
  });

  it("keeps the compiled entrypoint's shebang so the npm bin works", () => {
    const main = path.join(root, pkg.bin["dynamodb-source"] ?? "");
    expect(readFileSync(main, "utf8").startsWith("#!/usr/bin/env node")).to.equal(true);
  });
});
