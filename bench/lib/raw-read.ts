import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { createAwsClients } from "../../src/poller/aws-clients";
import { StealWindows } from "./steal-windows";

/**
 * Which client the loop reads with: the poller's own (its faster GetRecords reader; the read limit the ratios use),
 * or the SDK's stock client (what the same loop gets without it).
 */
export type RawReadClient = "poller" | "stock-sdk";

/**
 * The read limit: a minimal loop of GetRecords (Limit 1000) draining every shard of the stream from TRIM_HORIZON
 * without delivering anything. Returns records read, seconds taken and this process's CPU seconds meanwhile (the
 * SDK's request, response and decoding work: the part of reading that a poller does on its own thread).
 * `onRecords` sees each page (the bench builds the sink-limit events from them); it is not called while timing
 * matters.
 */
export async function rawReadDrain(
  endpoint: string,
  streamArn: string,
  expected: number,
  reader: RawReadClient,
  onRecords?: (records: readonly _Record[], shardId: string) => void,
) {
  const client = streamsClient(endpoint, reader);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let records = 0;
  const windows = new StealWindows(() => records);
  try {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      while (iterator && records < expected) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        records += page.Records?.length ?? 0;
        if (onRecords && page.Records) onRecords(page.Records, shard.ShardId ?? "");
        if ((page.Records?.length ?? 0) === 0) break;
        iterator = page.NextShardIterator;
      }
    }
  } finally {
    windows.close();
    client.destroy();
  }
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    records,
    seconds: (ended - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    /** Records per second over the loop's steal-free seconds (steal-windows.ts); NaN if under 2 s of them. */
    stealFreeRate: windows.report(started, ended).stealFreeRate,
  };
}

function streamsClient(endpoint: string, reader: RawReadClient): DynamoDBStreamsClient {
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  if (reader === "stock-sdk")
    return new DynamoDBStreamsClient({ endpoint, region: "us-east-1", credentials });
  const { streams, dynamodb } = createAwsClients({
    region: "us-east-1",
    endpoints: { streams: endpoint },
    credentials,
  });
  dynamodb.destroy();
  return streams;
}
