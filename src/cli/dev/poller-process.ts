import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export interface PollerProcess {
  readonly child: ChildProcess;
  /** Sends SIGTERM (the poller flushes checkpoints) and waits for the exit code. */
  stop(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/**
 * The Node.js flags of the image's ENTRYPOINT (a young generation of at most 8 MB semi-spaces; see the Dockerfile,
 * whose test pins the two together). The Dockerfile is not in the npm package, so the flags are repeated here.
 */
export const IMAGE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/**
 * Runs `dynamodb-source poll` as its own process with the given environment: the same entrypoint, code path and
 * Node.js flags as the container image. From sources (ts-node) it runs the TypeScript entrypoint through ts-node.
 */
export function startPollerProcess(env: NodeJS.ProcessEnv, onOutput: (line: string) => void): PollerProcess {
  const entry = require.resolve("../main");
  const execArgv = entry.endsWith(".ts") ? ["-r", "ts-node/register/transpile-only"] : [];
  const child = spawn(process.execPath, [...IMAGE_NODE_FLAGS, ...execArgv, entry, "poll"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    cwd: path.resolve(__dirname, "../../.."),
  });
  const forward = (stream: NodeJS.ReadableStream | null) => {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) onOutput(line);
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls `url` until it answers 2xx (the poller's /readyz), or fails after `timeoutMs`. */
export async function waitUntilReady(
  url: string,
  timeoutMs: number,
  exited: Promise<unknown>,
): Promise<void> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (done) throw new Error("the poller exited before it became ready (see its log above)");
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the poller was not ready within ${timeoutMs} ms: ${last}`);
}
