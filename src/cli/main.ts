#!/usr/bin/env node
/**
 * `dynamodb-source`: the poller (what the image runs), the local demo, and the renderer of what the Pulumi
 * component would deploy. Each command is loaded lazily so `poll` never loads Pulumi or DynamoDB Local.
 */
import { CliUsageError, type Command } from "./command";

const COMMANDS: Record<string, () => Command> = {
  poll: () => require("./commands/poll").pollCommand,
  dev: () => require("./commands/dev").devCommand,
  put: () => require("./commands/put").putCommand,
  render: () => require("./commands/render").renderCommand,
};

const SUMMARY = `Usage: dynamodb-source <command> [flags]

Commands:
  poll     Read the table's DynamoDB Stream and deliver CloudEvents to K_SINK (configured by environment variables)
  dev      Run the whole pipeline locally: DynamoDB Local, a demo table, the poller and a printing sink
  put      Write an item (plain JSON) to a table, e.g. the dev demo table
  render   Print the Kubernetes YAML and IAM JSON that DynamoDBSource would create, without any cloud or cluster

Run 'dynamodb-source <command> --help' for a command's flags.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${SUMMARY}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`dynamodb-source: unknown command "${name}"\n\n${SUMMARY}\n`);
    return 2;
  }
  const command = load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`dynamodb-source ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `dynamodb-source: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
