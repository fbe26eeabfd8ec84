import type { _Record } from "@aws-sdk/client-dynamodb-streams";
import { batchMessage, toBatchEntry } from "../../src/poller/delivery/batch-message";
import { type OutgoingMessage, toOutgoingMessage } from "../../src/poller/delivery/http-message";
import { ContentMode } from "../../src/poller/delivery/types";
import { createEventBuilder, type RecordEvent } from "../../src/poller/events/to-cloudevent";
import { DataFormat } from "../../src/shared/env-contract";

type StreamContext = { tableArn: string; streamArn: string; shardId: string };

/** The CloudEvents the poller builds for `records` (DATA_FORMAT=aws, no overrides): its own event builder. */
function eventsFor(records: readonly _Record[], context: StreamContext): RecordEvent[] {
  const build = createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: {} });
  const shard = { ...context, region: "us-east-1" };
  return records.map((record) => build(record, shard));
}

/**
 * The messages the poller would send for `records`: its own event builder and serializer, so that the sink limit
 * is measured with bodies and headers identical to the poller's.
 */
export function messagesFor(
  records: readonly _Record[],
  context: StreamContext,
  mode: ContentMode,
): OutgoingMessage[] {
  return eventsFor(records, context).map((event) => toOutgoingMessage(event, mode));
}

/** The batches the poller would send for `records` with BATCH_SIZE `size` (one page, one lane: `size` a request). */
export function batchMessagesFor(
  records: readonly _Record[],
  context: StreamContext,
  size: number,
): OutgoingMessage[] {
  const events = eventsFor(records, context);
  const entries = records.map((record, i) => toBatchEntry(i, record, events[i] as RecordEvent));
  const messages: OutgoingMessage[] = [];
  for (let from = 0; from < entries.length; from += size) {
    messages.push(batchMessage(entries, from, Math.min(from + size, entries.length)));
  }
  return messages;
}

export { ContentMode };
