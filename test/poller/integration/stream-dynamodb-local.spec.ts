import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { Registry } from "prom-client";
import { type DynamoDBLocal, startDynamoDBLocal } from "../../../src/cli/dev/dynamodb-local";
import { type AwsClients, createAwsClients, streamsApiOf, tableApiOf } from "../../../src/poller/aws-clients";
import { DynamoDBCheckpointStore } from "../../../src/poller/checkpoint/dynamodb-store";
import { ensureCheckpointTable } from "../../../src/poller/checkpoint/table-setup";
import { createMetrics } from "../../../src/poller/ops/metrics";
import { Poller } from "../../../src/poller/poller";
import { peekNextShardIterator } from "../../../src/poller/stream/next-iterator-peek";
import { StartingPosition } from "../../../src/shared/env-contract";
import { parseTableArn, type TableArn } from "../../../src/shared/table-arn";
import { CapturingDeliverer } from "../fakes/fake-deliverer";
import { capturingLogger, FAST_TUNING, waitFor } from "../fakes/harness";
import { createSourceTable, LOCAL_CREDENTIALS, localTableArn, setStream } from "../fakes/local-tables";

const CHECKPOINTS = "poller-checkpoints";

describe("poller against DynamoDB Local @integration", function () {
  this.timeout(60_000);
  let local: DynamoDBLocal;
  let clients: AwsClients;
  let db: DynamoDBClient;
  let tableCounter = 0;
  const pollers: Poller[] = [];

  before(async () => {
    local = await startDynamoDBLocal();
    clients = createAwsClients({
      region: "ddblocal",
      endpoints: { dynamodb: local.endpoint, streams: local.endpoint },
      credentials: LOCAL_CREDENTIALS,
    });
    db = clients.dynamodb;
    expect(await ensureCheckpointTable(db, CHECKPOINTS, true)).to.equal("created");
    expect(await ensureCheckpointTable(db, CHECKPOINTS, false)).to.equal("exists");
  });

  after(async () => {
    clients?.destroy();
    await local?.stop();
  });

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
  });

  function table(): TableArn {
    const parsed = parseTableArn(localTableArn(`source-${++tableCounter}-${Date.now()}`));
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
  }

  function startPoller(tableArn: TableArn, consumer: string, deliverer = new CapturingDeliverer()) {
    const { logger, lines } = capturingLogger();
    const metrics = createMetrics(new Registry());
    const poller = new Poller(
      {
        tableApi: tableApiOf(db),
        streamsApi: streamsApiOf(clients.streams),
        store: new DynamoDBCheckpointStore(db, CHECKPOINTS, consumer),
        deliverer,
        logger,
        metrics,
      },
      {
        ...FAST_TUNING,
        pollIntervalMs: 20,
        tableRecheckIntervalMs: 100,
        table: tableArn,
        region: tableArn.region,
        startingPosition: StartingPosition.TrimHorizon,
      },
    );
    pollers.push(poller);
    const running = poller.run();
    return { poller, deliverer, logs: lines, running, metrics };
  }

  const put = (t: TableArn, pk: string, v: number) =>
    db.send(new PutItemCommand({ TableName: t.tableName, Item: { pk: { S: pk }, v: { N: String(v) } } }));
  const update = (t: TableArn, pk: string, v: number) =>
    db.send(
      new UpdateItemCommand({
        TableName: t.tableName,
        Key: { pk: { S: pk } },
        UpdateExpression: "SET v = :v",
        ExpressionAttributeValues: { ":v": { N: String(v) } },
      }),
    );
  const remove = (t: TableArn, pk: string) =>
    db.send(new DeleteItemCommand({ TableName: t.tableName, Key: { pk: { S: pk } } }));

  it("reads INSERT, MODIFY and REMOVE in order and resumes from the DynamoDB checkpoint with no gap and no duplicate", async () => {
    const t = table();
    await createSourceTable(db, t.tableName);
    const first = startPoller(t, "it/resume");
    await waitFor(() => first.poller.readiness().ready, "ready", 10_000);
    await put(t, "a", 1);
    await update(t, "a", 2);
    await remove(t, "a");
    await waitFor(() => first.deliverer.delivered.length === 3, "three records", 10_000);
    expect(first.deliverer.delivered.map((d) => `${d.eventName} ${d.key}`)).to.deep.equal([
      "INSERT a",
      "MODIFY a",
      "REMOVE a",
    ]);
    await first.poller.stop();

    for (let i = 0; i < 5; i++) await put(t, `b${i}`, i); // while the poller is down
    const second = startPoller(t, "it/resume");
    await waitFor(() => second.deliverer.delivered.length >= 5, "records written while down", 10_000);
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would show up within a few polls
    await second.poller.stop();
    expect(second.deliverer.delivered.map((d) => d.key)).to.deep.equal(["b0", "b1", "b2", "b3", "b4"]);
    const seqs = [...first.deliverer.sequenceNumbers(), ...second.deliverer.sequenceNumbers()];
    expect(new Set(seqs).size).to.equal(8);
  });

  it("hands a GetRecords answer to the raw-page hook before decoding it: the iterator peeked is the decoded one", async () => {
    const t = table();
    await createSourceTable(db, t.tableName);
    for (let i = 0; i < 3; i++) await put(t, `r${i}`, i);
    const api = streamsApiOf(clients.streams);
    const { latestStreamArn: streamArn } = await tableApiOf(db).describeTableStream(t.tableName);
    const { StreamDescription } = await api.describeStream({ StreamArn: streamArn });
    const { ShardIterator } = await api.getShardIterator({
      StreamArn: streamArn,
      ShardId: StreamDescription?.Shards?.[0]?.ShardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    const bodies: Uint8Array[] = [];
    const hooked = await api.getRecords({ ShardIterator, Limit: 1000 }, undefined, (body) => {
      bodies.push(body);
      return true; // as when the reader sends the next call from it: decoding waits a turn
    });
    const plain = await api.getRecords({ ShardIterator, Limit: 1000 });

    expect(bodies).to.have.length(1);
    expect(hooked.NextShardIterator).to.be.a("string");
    expect(peekNextShardIterator(bodies[0] as Uint8Array)).to.equal(hooked.NextShardIterator);
    expect(hooked.Records?.map((r) => r.dynamodb?.Keys?.pk?.S)).to.deep.equal(["r0", "r1", "r2"]);
    expect(hooked.Records).to.deep.equal(plain.Records);

    // An error answer is not handed over, and reaches the caller as the SDK's error.
    const failed = await api
      .getRecords({ ShardIterator: `${ShardIterator}-not-issued`, Limit: 1000 }, undefined, (body) => {
        bodies.push(body);
        return false;
      })
      .catch((err: unknown) => err);
    expect(failed).to.be.instanceOf(Error);
    expect((failed as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(400);
    expect(bodies).to.have.length(1);
  });

  it("drains a backlog of several pages with early reads, each on the iterator the decoded page names", async () => {
    const t = table();
    await createSourceTable(db, t.tableName);
    const count = 1_500; // two pages of GetRecords (at most 1,000 records each), then an empty one
    for (let from = 0; from < count; from += 25) {
      const puts = Array.from({ length: 25 }, (_, i) => ({
        PutRequest: { Item: { pk: { S: `k${from + i}` }, v: { N: String(from + i) } } },
      }));
      await db.send(new BatchWriteItemCommand({ RequestItems: { [t.tableName]: puts } }));
    }
    const run = startPoller(t, "it/early");
    await waitFor(() => run.deliverer.delivered.length === count, "the backlog", 20_000);
    await run.poller.stop();

    expect(run.deliverer.delivered.map((d) => d.key)).to.have.members(
      Array.from({ length: count }, (_, i) => `k${i}`),
    );
    expect(new Set(run.deliverer.sequenceNumbers()).size).to.equal(count);
    // The sink answers at once, so the reader waits for each page: at least page 2 is read early, from page 1's
    // raw answer. None is dropped: what was read from DynamoDB Local's raw answers is what they decode to.
    const early = (await run.metrics.getRecordsEarly.get()).values;
    expect(early.find((v) => v.labels.outcome === "used")?.value ?? 0).to.be.at.least(1);
    expect(early.find((v) => v.labels.outcome === "dropped")?.value ?? 0).to.equal(0);
  });

  it("finishes the old shard of a disabled stream, then reads the re-enabled (new) stream", async () => {
    const t = table();
    await createSourceTable(db, t.tableName);
    const run = startPoller(t, "it/restream");
    await waitFor(() => run.poller.readiness().ready, "ready", 10_000);
    await put(t, "k", 1);
    await put(t, "k", 2);
    await setStream(db, t.tableName, false);
    const newStream = await setStream(db, t.tableName, true);
    await put(t, "k", 3);
    await waitFor(() => run.deliverer.delivered.length === 3, "records of both streams", 15_000);
    await run.poller.stop();
    const streams = run.deliverer.delivered.map((d) => d.streamArn);
    expect(streams[2]).to.equal(newStream);
    expect(streams[0]).to.not.equal(newStream);
    expect(streams[1]).to.equal(streams[0]);
    expect(run.logs.some((l) => l.msg === "stream disabled and read to its end")).to.equal(true);
  });

  it("is not ready while the table has no stream, with a clear reason, and becomes ready when it is enabled", async () => {
    const t = table();
    await createSourceTable(db, t.tableName, null);
    const run = startPoller(t, "it/nostream");
    await waitFor(
      () => run.poller.readiness().reason?.includes("has no stream") === true,
      "the no-stream reason",
      10_000,
    );
    expect(run.poller.readiness()).to.deep.equal({
      ready: false,
      reason: `table ${t.tableName} has no stream: enable DynamoDB Streams on it (StreamSpecification, e.g. NEW_AND_OLD_IMAGES)`,
    });
    await setStream(db, t.tableName, true);
    await waitFor(() => run.poller.readiness().ready, "ready", 10_000);
    await put(t, "x", 1);
    await waitFor(() => run.deliverer.delivered.length === 1, "the record", 10_000);
  });
});
