import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OutgoingMessage } from "../../src/poller/delivery/http-message";
import { REPO_ROOT } from "./dist";

/** What the ideal client's process reports. */
export interface IdealClientReport {
  readonly requestsPerSecond: number;
  /** The client process's CPU (user + system) per request over the timed passes: what posting alone costs. */
  readonly cpuPerRequestUs: number;
}

/**
 * The sink limit: an ideal client (one undici keep-alive connection, messages built beforehand, nothing else to
 * do) POSTing `messages` one at a time, as the poller does per lane. It runs in a process of its own, as the poller
 * does: posting from the sink's own process skips the cross-process wake-ups the poller pays, and once that process
 * is warm it was measured at up to twice the rate of the same client in its own process, which made the limit
 * swing from run to run. Reports requests per second and CPU per request, after an untimed warm-up pass over the
 * first messages.
 */
export async function postSequentially(
  url: string,
  messages: readonly OutgoingMessage[],
): Promise<IdealClientReport> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-ideal-"));
  const file = path.join(dir, "messages.json");
  try {
    writeFileSync(file, JSON.stringify(messages));
    // TypeScript like the rest of the bench (mocha loads ts-node in-process, so nothing would be inherited).
    const child = fork(path.join(__dirname, "ideal-client-process.ts"), [url, file], {
      cwd: REPO_ROOT,
      execArgv: ["-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const report = await new Promise<IdealClientReport>((resolve, reject) => {
      child.once("message", (message) => resolve(message as IdealClientReport));
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`the ideal client exited with ${code} before reporting`)),
      );
    });
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
