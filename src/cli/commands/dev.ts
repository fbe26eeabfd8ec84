import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DataFormat, ENV } from "../../shared/env-contract";
import { CliUsageError, type Command, parseFlags, portFlag } from "../command";
import { ensureDemoTable, writeDemoChanges } from "../dev/demo-table";
import { type DynamoDBLocal, freePort, startDynamoDBLocal } from "../dev/dynamodb-local";
import { type PollerProcess, startPollerProcess, waitUntilReady } from "../dev/poller-process";
import { type PrintingSink, startPrintingSink } from "../dev/printing-sink";

const DEFAULT_DYNAMODB_PORT = 8000;
const CHECKPOINT_TABLE = "dynamodb-source-checkpoints";

export const devCommand: Command = {
  usage: `Usage: dynamodb-source dev [flags]   (npm start -- [flags])

Runs the whole pipeline on this machine, no AWS account or cluster needed: DynamoDB Local (Java 17+), a demo
table with a stream, the real poller (the image's entrypoint, as a child process) and a sink that prints every
CloudEvent. Writes an INSERT, a MODIFY and a REMOVE, then keeps running so you can make more changes.
  --table NAME         demo table name (default: demo)
  --port N             DynamoDB Local port (default: 8000, or a free port if 8000 is taken)
  --sink URL           deliver to this sink instead of the printing one
  --data-format F      aws | triggermesh | plain (default: aws)
  --persist DIR        keep DynamoDB Local's data in DIR (default: in memory)
  --once               exit 0 once the demo events were delivered (exit 1 if they were not within 60 s)
  --verbose            show the poller's info logs (default: warnings and errors only)`,

  async run(args) {
    const { values: flags } = parseFlags(() =>
      parseArgs({
        args: [...args],
        strict: true,
        allowPositionals: false,
        options: {
          table: { type: "string", default: "demo" },
          port: { type: "string" },
          sink: { type: "string" },
          "data-format": { type: "string", default: DataFormat.Aws },
          persist: { type: "string" },
          once: { type: "boolean", default: false },
          verbose: { type: "boolean", default: false },
        },
      }),
    );
    const formats = Object.values(DataFormat) as string[];
    if (!formats.includes(flags["data-format"])) {
      throw new CliUsageError(
        `--data-format must be one of ${formats.join(", ")}, got "${flags["data-format"]}"`,
      );
    }
    if (flags.sink !== undefined && !/^https?:\/\/.+/.test(flags.sink)) {
      throw new CliUsageError(`--sink must be an http(s) URL, got "${flags.sink}"`);
    }
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(flags.table)) {
      throw new CliUsageError(`--table must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${flags.table}"`);
    }
    const requestedPort = portFlag("port", flags.port, -1);
    return runDev({
      table: flags.table,
      port: requestedPort >= 0 ? requestedPort : await preferredPort(DEFAULT_DYNAMODB_PORT),
      sink: flags.sink,
      dataFormat: flags["data-format"],
      persist: flags.persist,
      once: flags.once,
      verbose: flags.verbose,
    });
  },
};

interface DevOptions {
  table: string;
  port: number;
  sink?: string;
  dataFormat: string;
  persist?: string;
  once: boolean;
  verbose: boolean;
}

const say = (text: string) => process.stdout.write(`${text}\n`);

async function runDev(options: DevOptions): Promise<number> {
  let ddb: DynamoDBLocal | undefined;
  let sink: PrintingSink | undefined;
  let poller: PollerProcess | undefined;
  const shutdown = async () => {
    await poller?.stop();
    await sink?.close();
    await ddb?.stop();
  };
  let interrupted: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    interrupted = resolve;
  });
  const onSignal = () => {
    say("\n▶ stopping (poller flushes its checkpoints, then DynamoDB Local stops)…");
    interrupted();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    say(
      `▶ starting DynamoDB Local on port ${options.port}${options.persist ? ` (data in ${options.persist})` : " (in memory)"}…`,
    );
    if (options.persist) mkdirSync(options.persist, { recursive: true });
    ddb = await startDynamoDBLocal({
      port: options.port,
      persistDir: options.persist && path.resolve(options.persist),
    });
    say(`  DynamoDB Local: ${ddb.endpoint}`);

    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const tableArn = await ensureDemoTable(client, options.table);
    say(`  table:          ${options.table} (${tableArn}), stream NEW_AND_OLD_IMAGES`);

    if (options.sink) {
      say(`▶ delivering to your sink: ${options.sink}`);
    } else {
      sink = await startPrintingSink(say);
      say(`▶ printing sink: ${sink.url}`);
    }

    const healthPort = await freePort();
    const metricsPort = await freePort();
    say("▶ starting the poller (dynamodb-source poll, the image's entrypoint)…");
    poller = startPollerProcess(
      {
        ...process.env,
        [ENV.tableArn]: tableArn,
        [ENV.sink]: options.sink ?? sink?.url,
        [ENV.dataFormat]: options.dataFormat,
        // Demo changes may be written before the poller reads its first shard: start at the oldest record.
        [ENV.startingPosition]: "TRIM_HORIZON",
        [ENV.checkpointTable]: CHECKPOINT_TABLE,
        [ENV.checkpointTableCreate]: "true",
        [ENV.consumerName]: `dev/${options.table}`,
        [ENV.healthPort]: String(healthPort),
        [ENV.metricsPort]: String(metricsPort),
        [ENV.pollInterval]: "PT0.25S",
        [ENV.logLevel]: options.verbose ? "info" : "warn",
        AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: ddb.endpoint,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_REGION: "us-east-1",
      },
      (line) => say(`  [poller] ${line}`),
    );
    await Promise.race([
      waitUntilReady(`http://127.0.0.1:${healthPort}/readyz`, 60_000, poller.exited),
      stopped.then(() => {
        throw new Error("interrupted");
      }),
    ]);
    say(
      `  ready: health http://127.0.0.1:${healthPort}/readyz, metrics http://127.0.0.1:${metricsPort}/metrics`,
    );

    say("▶ writing demo changes: INSERT, MODIFY, REMOVE…");
    const before = sink?.received ?? 0;
    const written = await writeDemoChanges(client, options.table);
    client.destroy();

    if (options.once) {
      await waitForDelivery(sink, metricsPort, before + written, 60_000);
      say(`✔ ${written} demo changes arrived as CloudEvents`);
      return 0;
    }

    say(`
Make more changes while it runs (Ctrl-C stops everything):
  npx dynamodb-source put --endpoint ${ddb.endpoint} --table ${options.table} --item '{"id":"hello","price":42}'
  aws dynamodb put-item --endpoint-url ${ddb.endpoint} --region us-east-1 --table-name ${options.table} \\
      --item '{"id":{"S":"hello"},"price":{"N":"42"}}'`);
    await Promise.race([stopped, poller.exited.then((code) => say(`the poller exited (${code})`))]);
    return 0;
  } catch (err) {
    say(`✖ ${(err as Error).message}`);
    return 1;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await shutdown();
  }
}

/** With the printing sink, count what it received; with an external sink, read the poller's own metric. */
async function waitForDelivery(
  sink: PrintingSink | undefined,
  metricsPort: number,
  count: number,
  timeoutMs: number,
) {
  if (sink) return sink.waitFor(count, timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const delivered = text
      .split("\n")
      .filter((l) => l.startsWith("dynamodb_source_events_delivered_total"))
      .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    if (delivered >= count) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the poller did not report ${count} delivered events within ${timeoutMs} ms`);
}

/** `preferred` when it is free on 127.0.0.1, else any free port. */
async function preferredPort(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(preferred, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}
