import type { Command } from "../command";

export const pollCommand: Command = {
  usage: `Usage: dynamodb-source poll

Reads the DynamoDB Stream of the table named by ARN and delivers each record as a CloudEvent to K_SINK.
Configured by environment variables only (see the README, "The poller"): ARN and K_SINK are required.
This is the container image's entrypoint.`,
  async run() {
    const { runPoller } = require("../../poller/main") as typeof import("../../poller/main");
    return runPoller(process.env);
  },
};
