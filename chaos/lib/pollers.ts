import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../src/cli/dev/dynamodb-local";
import { waitUntilReady } from "../../src/cli/dev/poller-process";

/** The image's entrypoint: chaos runs what ships, built (`npm run build`). */
const ENTRY = path.resolve(__dirname, "../../dist/src/cli/main.js");

export interface PollerReplica {
  readonly workerId: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Poller processes of one scenario, each `node dist/src/cli/main.js poll` with its own WORKER_ID (a pod name):
 * started, SIGKILLed, SIGTERMed and restarted (a container restart keeps its pod name, so its WORKER_ID).
 */
export class PollerFleet {
  readonly replicas = new Map<string, PollerReplica>();
  readonly logTail: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  }

  async start(workerId: string, waitReady = true): Promise<PollerReplica> {
    const healthPort = await freePort();
    const child = spawn(process.execPath, [ENTRY, "poll"], {
      env: {
        ...this.env,
        WORKER_ID: workerId,
        HEALTH_PORT: String(healthPort),
        METRICS_PORT: String(await freePort()),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        this.logTail.push(`${workerId}: ${line}`);
        if (this.logTail.length > 200) this.logTail.shift();
        if (process.env.CHAOS_LOG_LEVEL)
          console.error(`${new Date().toISOString()} ${workerId}: ${line.slice(0, 300)}`);
      }
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const replica = { workerId, child, exited };
    this.replicas.set(workerId, replica);
    if (waitReady) await waitUntilReady(`http://127.0.0.1:${healthPort}/readyz`, 30_000, exited);
    return replica;
  }

  /** A crash: no final checkpoint, no lease release. */
  async kill(workerId: string): Promise<void> {
    const replica = this.replicas.get(workerId);
    if (!replica || replica.child.exitCode !== null || replica.child.signalCode !== null) return;
    replica.child.kill("SIGKILL");
    await replica.exited;
  }

  /** A rolling update's stop: final checkpoints, leases released; returns the exit code. */
  async terminate(workerId: string): Promise<number | null> {
    const replica = this.replicas.get(workerId);
    if (!replica) return null;
    if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill("SIGTERM");
    const timer = setTimeout(() => replica.child.kill("SIGKILL"), 30_000);
    const code = await replica.exited;
    clearTimeout(timer);
    return code;
  }

  /** Resident memory of a replica in MB (Linux /proc), undefined when it is not running. */
  rssMb(workerId: string): number | undefined {
    const pid = this.replicas.get(workerId)?.child.pid;
    if (pid === undefined) return undefined;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return match ? Number(match[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.replicas.keys()].map((id) => this.terminate(id)));
  }
}
