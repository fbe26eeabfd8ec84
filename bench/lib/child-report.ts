import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./dist";

export interface ChildRuntime {
  readonly nodeFlags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Runs a bench script of bench/lib (`script` without its extension) in a process of its own and resolves with the
 * one report it sends on the IPC channel. `inputs` are written to temporary files whose paths follow `args` on its command line, in
 * order; they are removed afterwards. `runtime` adds Node.js flags and environment variables (by default it runs with
 * V8's defaults and this process's environment).
 */
export async function reportFromChild<T>(
  script: string,
  args: readonly string[],
  inputs: readonly (string | Uint8Array)[],
  runtime: ChildRuntime = { nodeFlags: [], env: {} },
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-child-"));
  try {
    const files = inputs.map((content, i) => {
      const file = path.join(dir, `input-${i}`);
      writeFileSync(file, content);
      return file;
    });
    // Compiled JavaScript like the rest of the bench (npm run bench), or TypeScript when this module itself runs
    // under ts-node. ts-node loads node:repl and with it node:domain, which makes every EventEmitter slower, so
    // limits measured under it are understated (README, Benchmarks: two full runs compared).
    const compiled = !__filename.endsWith(".ts");
    const child = fork(path.join(__dirname, `${script}${compiled ? ".js" : ".ts"}`), [...args, ...files], {
      cwd: REPO_ROOT,
      execArgv: [...runtime.nodeFlags, ...(compiled ? [] : ["-r", "ts-node/register/transpile-only"])],
      env: { ...process.env, ...runtime.env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return await new Promise<T>((resolve, reject) => {
      child.once("message", (message) => resolve(message as T));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before reporting`)));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
