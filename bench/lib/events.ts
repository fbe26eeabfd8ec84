import type { _Record } from "@aws-sdk/client-dynamodb-streams";
import { batchMessage, toBatchEntry } from "../../src/poller/delivery/batch-message";
import { type OutgoingMessage, toOutgoingMessage } from "../../src/poller/delivery/http-message";
import { ContentMode } from "../../src/poller/delivery/types";
import { createEventBuilder } from "../../src/poller/events/to-cloudevent";
import { DataFormat } from "../../src/shared/env-contract";

/**
 * The messages the poller would send for `records`: its own event builder and serializer, so that the sink limit
 * is measured with bodies and headers identical to the poller's.
 */
export function messagesFor(
  records: readonly _Record[],
  context: { tableArn: string; streamArn: string; shardId: string },
  mode: ContentMode,
): OutgoingMessage[] {
  const build = createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: {} });
  const shard = {
    tableArn: context.tableArn,
    region: "us-east-1",
    streamArn: context.streamArn,
    shardId: context.shardId,
  };
  return records.map((record) => toOutgoingMessage(build(record, shard), mode));
}

/** The batches the poller would send for `records` with BATCH_SIZE `size` (one page, one lane: `size` a request). */
export function batchMessagesFor(
  records: readonly _Record[],
  context: { tableArn: string; streamArn: string; shardId: string },
  size: number,
): OutgoingMessage[] {
  const build = createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: {} });
  const shard = {
    tableArn: context.tableArn,
    region: "us-east-1",
    streamArn: context.streamArn,
    shardId: context.shardId,
  };
  const entries = records.map((record, i) => toBatchEntry(i, record, build(record, shard)));
  const messages: OutgoingMessage[] = [];
  for (let from = 0; from < entries.length; from += size) {
    messages.push(batchMessage(entries, from, Math.min(from + size, entries.length)));
  }
  return messages;
}

export { ContentMode };
