import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

/**
 * A running DynamoDB Local (with Streams). Clients reach it on 127.0.0.1; the jar has no bind-address option, so
 * it listens on every interface of this machine, on a free ephemeral port.
 */
export interface DynamoDBLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The JVM's process id. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface DynamoDBLocalOptions {
  /** Port to listen on; a free one when omitted. */
  port?: number;
  /** Directory for `-dbPath`; in memory when omitted. */
  persistDir?: string;
  /** How long to wait for the first answer. */
  startTimeoutMs?: number;
}

/**
 * The folder holding DynamoDBLocal.jar, from the `amplify-dynamodb-simulator` package. It is a devDependency:
 * a Pulumi program that installs this package must not download a 56 MB emulator.
 */
export function findEmulatorDir(): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve("amplify-dynamodb-simulator/package.json");
  } catch {
    throw new Error(
      "DynamoDB Local is not installed: it comes with the devDependency amplify-dynamodb-simulator. Run `npm ci` in a clone of pulumi-dynamodb-source (or `npm i -D amplify-dynamodb-simulator`).",
    );
  }
  const dir = path.join(path.dirname(pkgJson), "emulator");
  if (!existsSync(path.join(dir, "DynamoDBLocal.jar"))) {
    throw new Error(`DynamoDBLocal.jar is missing from ${dir}; reinstall amplify-dynamodb-simulator.`);
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDBLocal(options: DynamoDBLocalOptions = {}): Promise<DynamoDBLocal> {
  const dir = findEmulatorDir();
  const port = options.port ?? (await freePort());
  const args = [
    `-Djava.library.path=${path.join(dir, "DynamoDBLocal_lib")}`,
    "-jar",
    path.join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    ...(options.persistDir ? ["-dbPath", options.persistDir] : ["-inMemory"]),
    // One database whatever the credentials and region: the poller (region from the ARN) and a writer
    // (any region) must see the same tables.
    "-sharedDb",
    "-disableTelemetry",
  ];
  const [command, commandArgs] = diesWithParent("java", args);
  const child = spawn(command, commandArgs, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("error", (err) => {
    output += `\n${err.message}`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          child.kill("SIGKILL");
          throw new Error(`DynamoDB Local did not answer on ${endpoint} in time: ${String(err)}\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }

  return { endpoint, port, pid: child.pid, stop: () => stopChild(child, exited) };
}

let setprivWorks: boolean | undefined;

/**
 * `command args` under `setpriv --pdeathsig KILL` where util-linux has it (Linux): the JVM is then killed with the
 * process that started it, even one killed by SIGKILL or a crash, instead of living on with its port and its CPU.
 * setpriv execs the command, so the child's pid is the JVM's. Elsewhere (macOS), the command as is.
 */
function diesWithParent(command: string, args: readonly string[]): [string, string[]] {
  setprivWorks ??=
    process.platform === "linux" &&
    spawnSync("setpriv", ["--pdeathsig", "KILL", "true"], { stdio: "ignore" }).status === 0;
  return setprivWorks ? ["setpriv", ["--pdeathsig", "KILL", command, ...args]] : [command, [...args]];
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
