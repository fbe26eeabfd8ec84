/**
 * Run by string-representation.spec.ts as `node --allow-natives-syntax -r ts-node/register <this file>`: builds
 * events from inputs made the way the poller gets them (its config from the environment, records through its own
 * GetRecords reader from a JSON body, the stream's ARN and shard id from JSON) and, for every string the event holds
 * (attributes and data, nested), writes V8's %DebugPrint of it to stdout, whose ` - type:` line says how V8
 * represents the string, and its path (`<format> event.<path>`, a line each, in the same order) to file
 * descriptor 3: V8's printing is buffered apart from Node's own writes, so the two cannot share one stream.
 * Not a spec: mocha does not load it.
 */
import { writeSync } from "node:fs";
import { GetRecordsCommand } from "@aws-sdk/client-dynamodb-streams";
import { loadConfig } from "../../../src/poller/config";
import type { ShardContext, StreamRecord } from "../../../src/poller/delivery/types";
import { createEventBuilder } from "../../../src/poller/events/to-cloudevent";
import { type DataFormat, ENV } from "../../../src/shared/env-contract";
import { cannedStreamsClient } from "../../support/canned-streams-client";
import { makeRecord } from "./fixtures";
import { GOLDEN_EXAMPLES } from "./golden";

const PATHS_FD = 3;

// %DebugPrint is not TypeScript: compiled at run time, which --allow-natives-syntax allows.
const debugPrint = new Function("value", "%DebugPrint(value)") as (value: string) => void;

/** The records as DynamoDB Streams puts them on the wire: epoch seconds, binary as base64. */
function wireJson(records: readonly StreamRecord[]): string {
  return JSON.stringify({ Records: records }, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    if (original instanceof Date) return original.getTime() / 1000;
    if (original instanceof Uint8Array) return Buffer.from(original).toString("base64");
    return value;
  });
}

async function readRecords(records: readonly StreamRecord[]): Promise<StreamRecord[]> {
  // The poller's own GetRecords reader, answered with the records as DynamoDB Streams would send them.
  const client = cannedStreamsClient(true, JSON.parse(wireJson(records)));
  try {
    return (await client.send(new GetRecordsCommand({ ShardIterator: "it" }))).Records ?? [];
  } finally {
    client.destroy();
  }
}

function walk(value: unknown, path: string, format: string): void {
  if (typeof value === "string") {
    writeSync(PATHS_FD, `${format} ${path}\n`);
    debugPrint(value);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const key of Object.keys(value)) {
    walk((value as Record<string, unknown>)[key], `${path}.${/^\d+$/.test(key) ? "[]" : key}`, format);
  }
}

async function main(): Promise<void> {
  const records = [
    ...GOLDEN_EXAMPLES.map((example) => example.record),
    makeRecord({
      operation: "INSERT",
      viewType: "NEW_AND_OLD_IMAGES",
      keys: { id: { S: "a-key-long-enough-to-be-a-rope" } },
    }),
  ];
  const read = await readRecords(records);
  const { streamArn, shardId } = JSON.parse(
    '{"streamArn":"arn:aws:dynamodb:us-west-2:123456789012:table/orders/stream/2026-11-24T14:00:00.000","shardId":"shardId-00000001763992800000-4c0ffee1"}',
  ) as { streamArn: string; shardId: string };
  for (const format of ["aws", "triggermesh", "plain"] satisfies `${DataFormat}`[]) {
    const config = loadConfig({
      ...process.env,
      [ENV.tableArn]: "arn:aws:dynamodb:us-west-2:123456789012:table/orders",
      [ENV.sink]: "http://127.0.0.1:9/",
      [ENV.dataFormat]: format,
      [ENV.ceOverrides]: '{"extensions":{"environment":"production-eu-west-1"}}',
    });
    const context: ShardContext = { tableArn: config.table.arn, streamArn, shardId, region: config.region };
    const build = createEventBuilder(config.delivery);
    for (const record of read) walk({ ...build(record, context) }, "event", format);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
