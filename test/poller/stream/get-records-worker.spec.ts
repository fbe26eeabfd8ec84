import { DescribeTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { expect } from "chai";
import { type DynamoDBLocal, startDynamoDBLocal } from "../../../src/cli/dev/dynamodb-local";
import { type AwsClients, createAwsClients } from "../../../src/poller/aws-clients";
import { GetRecordsWorker } from "../../../src/poller/stream/get-records-worker";
import { classifyAwsError } from "../../../src/poller/stream/retry";
import { createSourceTable, LOCAL_CREDENTIALS } from "../fakes/local-tables";

/** GetRecords in its worker thread answers exactly what the SDK client answers on the calling thread. */
describe("GetRecords worker thread against DynamoDB Local @integration", function () {
  this.timeout(60_000);
  let local: DynamoDBLocal;
  let clients: AwsClients;
  let worker: GetRecordsWorker;
  let iterator: string;

  before(async () => {
    local = await startDynamoDBLocal();
    const options = {
      region: "ddblocal",
      endpoints: { dynamodb: local.endpoint, streams: local.endpoint },
      credentials: LOCAL_CREDENTIALS,
    };
    clients = createAwsClients(options);
    worker = new GetRecordsWorker(options);
    await createSourceTable(clients.dynamodb, "worker-source");
    for (let i = 0; i < 3; i++) {
      await clients.dynamodb.send(
        new PutItemCommand({
          TableName: "worker-source",
          Item: { pk: { S: `item-${i}` }, bytes: { B: new Uint8Array([i, 255]) }, n: { N: String(i) } },
        }),
      );
    }
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: "worker-source" }));
    const { StreamDescription } = await clients.streams.send(
      new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
    );
    const shardId = StreamDescription?.Shards?.[0]?.ShardId;
    const out = await clients.streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: shardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    iterator = out.ShardIterator ?? "";
  });

  after(async () => {
    await worker?.close();
    clients?.destroy();
    await local?.stop();
  });

  it("returns the records the SDK client returns, dates and binary attributes included", async () => {
    const direct = await clients.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
    );
    const threaded = await worker.getRecords({ ShardIterator: iterator, Limit: 1000 });
    expect(threaded.Records).to.have.length(3);
    expect(threaded.Records).to.deep.equal(direct.Records);
    expect(threaded.Records?.[0]?.dynamodb?.ApproximateCreationDateTime).to.be.instanceOf(Date);
    expect(threaded.Records?.[2]?.dynamodb?.NewImage?.bytes?.B).to.be.instanceOf(Uint8Array);
    expect(threaded.NextShardIterator).to.be.a("string");
  });

  it("rejects with the service's error name and metadata, classified as on the calling thread", async () => {
    const bad = { ShardIterator: "not-an-iterator", Limit: 10 };
    const direct = await clients.streams.send(new GetRecordsCommand(bad)).catch((e: unknown) => e);
    const threaded = await worker.getRecords(bad).catch((e: unknown) => e);
    expect(threaded).to.be.instanceOf(Error);
    expect((threaded as Error).name).to.equal((direct as Error).name);
    expect((threaded as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(
      (direct as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
    );
    expect(classifyAwsError(threaded)).to.equal(classifyAwsError(direct));
  });

  it("rejects at once with an AbortError when the signal aborts, before or during the call", async () => {
    const aborted = new AbortController();
    aborted.abort();
    const before = await worker
      .getRecords({ ShardIterator: iterator }, aborted.signal)
      .catch((e: unknown) => e);
    expect(classifyAwsError(before)).to.equal("aborted");
    const during = new AbortController();
    const call = worker.getRecords({ ShardIterator: iterator }, during.signal).catch((e: unknown) => e);
    during.abort();
    expect(classifyAwsError(await call)).to.equal("aborted");
  });

  it("after close, calls reject with an AbortError instead of starting a new thread", async () => {
    const closing = new GetRecordsWorker({ region: "ddblocal", endpoints: { streams: local.endpoint } });
    const pending = closing.getRecords({ ShardIterator: iterator }).catch((e: unknown) => e);
    await closing.close();
    const after = await closing.getRecords({ ShardIterator: iterator }).catch((e: unknown) => e);
    expect(classifyAwsError(after)).to.equal("aborted");
    const settled = await pending;
    // The call in flight when the thread ended either finished first or was aborted; never a worker failure.
    if (settled instanceof Error) expect(classifyAwsError(settled)).to.equal("aborted");
  });
});
