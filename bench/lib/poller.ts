import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../../src/cli/dev/dynamodb-local";
import { waitUntilReady } from "../../src/cli/dev/poller-process";
import { POLLER_ENTRY, REPO_ROOT } from "./dist";
import { imageNodeFlags, imageRuntimeEnv } from "./image-runtime";

export interface PollerOptions {
  readonly endpoint: string;
  readonly tableArn: string;
  readonly sinkUrl: string;
  readonly consumerName: string;
  readonly pollInterval?: string;
  readonly contentMode?: "binary" | "structured";
  /** More of the environment contract (e.g. PARALLELISM, BATCH_SIZE). */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Where `--cpu-prof` writes; unset: no profile. For this child only. */
  readonly cpuProfileDir?: string;
}

export const CHECKPOINT_TABLE = "bench-checkpoints";

/** The image's Node.js flags and runtime environment, read from the Dockerfile once, by the first poller started. */
let pollerNodeFlags: readonly string[] | undefined;
let pollerImageEnv: Readonly<Record<string, string>> | undefined;

/** The part of the poller's environment that decides what it sends, and how (the delivery-only run uses it too). */
export function deliveryEnv(
  options: Pick<PollerOptions, "tableArn" | "sinkUrl" | "contentMode" | "extraEnv">,
): Record<string, string> {
  return {
    ARN: options.tableArn,
    K_SINK: options.sinkUrl,
    DATA_FORMAT: "aws",
    CE_CONTENT_MODE: options.contentMode ?? "binary",
    ...options.extraEnv,
  };
}

/**
 * The poller exactly as the image runs it: `node <the image's flags> dist/src/cli/main.js poll`, configured by the
 * environment contract only, with durable checkpoints in DynamoDB Local. Its own ephemeral health and metrics ports.
 */
export class PollerUnderTest {
  /** Every poller still running: an interrupted bench kills them (see run.ts). */
  static readonly live = new Set<PollerUnderTest>();
  private readonly tail: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly healthUrl: string,
    readonly metricsUrl: string,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.tail.push(line);
      if (this.tail.length > 50) this.tail.splice(0, this.tail.length - 50);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    PollerUnderTest.live.add(this);
    void this.exited.then(() => PollerUnderTest.live.delete(this));
  }

  static async start(options: PollerOptions): Promise<PollerUnderTest> {
    const [healthPort, metricsPort] = [await freePort(), await freePort()];
    pollerImageEnv ??= imageRuntimeEnv();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...pollerImageEnv,
      ...deliveryEnv(options),
      STARTING_POSITION: "TRIM_HORIZON",
      CHECKPOINT_TABLE,
      CHECKPOINT_TABLE_CREATE: "true",
      CONSUMER_NAME: options.consumerName,
      HEALTH_PORT: String(healthPort),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: "warn",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: options.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: options.endpoint,
      ...(options.pollInterval ? { POLL_INTERVAL: options.pollInterval } : {}),
      ...options.extraEnv,
    };
    // Node 20 refuses --cpu-prof in NODE_OPTIONS: it goes on this child's command line.
    const profile = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    pollerNodeFlags ??= imageNodeFlags();
    const child = spawn(process.execPath, [...profile, ...pollerNodeFlags, POLLER_ENTRY, "poll"], {
      env,
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new PollerUnderTest(
      child,
      `http://127.0.0.1:${healthPort}/readyz`,
      `http://127.0.0.1:${metricsPort}/metrics`,
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  waitUntilReady(timeoutMs = 30_000): Promise<void> {
    return waitUntilReady(this.healthUrl, timeoutMs, this.exited);
  }

  /** The last lines the poller logged (warn and above), for failure messages. */
  logTail(): string {
    return this.tail.slice(-15).join("\n");
  }

  /**
   * SIGTERM (graceful: checkpoints flushed, a CPU profile written), SIGKILL after 30 s. `abortInFlight` sends a
   * second SIGTERM at once, which aborts in-flight deliveries instead of finishing the batch.
   */
  async stop(abortInFlight = false): Promise<number | null> {
    if (this.running) this.child.kill("SIGTERM");
    if (abortInFlight) setTimeout(() => this.running && this.child.kill("SIGTERM"), 200);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Polls `done` every 20 ms until it holds, the poller exits, or `timeoutMs` passes; returns which. */
export async function waitFor(
  done: () => boolean,
  poller: PollerUnderTest | undefined,
  timeoutMs: number,
): Promise<"done" | "exited" | "timeout"> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (poller && !poller.running) return "exited";
    if (Date.now() > deadline) return "timeout";
    await new Promise((r) => setTimeout(r, 20));
  }
  return "done";
}
