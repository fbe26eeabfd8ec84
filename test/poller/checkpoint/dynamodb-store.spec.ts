import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { type DynamoDBLocal, startDynamoDBLocal } from "../../../src/cli/dev/dynamodb-local";
import { type AwsClients, createAwsClients } from "../../../src/poller/aws-clients";
import { DynamoDBCheckpointStore, shardSortKey } from "../../../src/poller/checkpoint/dynamodb-store";
import { CheckpointConflictError } from "../../../src/poller/checkpoint/store";
import {
  CheckpointTableMissingError,
  ensureCheckpointTable,
} from "../../../src/poller/checkpoint/table-setup";
import { StartingPosition } from "../../../src/shared/env-contract";
import { LOCAL_CREDENTIALS } from "../fakes/local-tables";

const STREAM = "arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000";

describe("DynamoDB checkpoint store @integration", function () {
  this.timeout(60_000);
  let local: DynamoDBLocal;
  let clients: AwsClients;

  before(async () => {
    local = await startDynamoDBLocal();
    clients = createAwsClients({
      region: "ddblocal",
      endpoints: { dynamodb: local.endpoint, streams: local.endpoint },
      credentials: LOCAL_CREDENTIALS,
    });
    await ensureCheckpointTable(clients.dynamodb, "checkpoints", true);
  });

  after(async () => {
    clients?.destroy();
    await local?.stop();
  });

  it("refuses a missing table unless asked to create it", async () => {
    let error: unknown;
    await ensureCheckpointTable(clients.dynamodb, "no-such-table", false).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(CheckpointTableMissingError);
    expect((error as Error).message).to.match(
      /CHECKPOINT_TABLE no-such-table does not exist.*CHECKPOINT_TABLE_CREATE=true/,
    );
  });

  it("keeps shard checkpoints and the stream meta per consumer", async () => {
    const a = new DynamoDBCheckpointStore(clients.dynamodb, "checkpoints", "ns/a");
    const b = new DynamoDBCheckpointStore(clients.dynamodb, "checkpoints", "ns/b");
    const meta = {
      streamArn: STREAM,
      startingPosition: StartingPosition.Latest,
      initialShardIds: ["s1", "s2"],
      createdAt: 5,
    };
    expect(await a.initStream(meta)).to.deep.equal(meta);
    // A second initialization (another replica, a restart) gets the first one back.
    expect(
      await a.initStream({ ...meta, startingPosition: StartingPosition.TrimHorizon, createdAt: 9 }),
    ).to.deep.include({
      createdAt: 5,
      startingPosition: StartingPosition.Latest,
    });
    await a.saveShard(STREAM, "s1", { sequenceNumber: "100", shardEnd: false });
    await a.saveShard(STREAM, "s1", { sequenceNumber: "200", shardEnd: true });
    await a.saveShard(STREAM, "s2", { sequenceNumber: "300", shardEnd: false });
    const loaded = await a.load(STREAM);
    expect(loaded.meta?.initialShardIds).to.deep.equal(["s1", "s2"]);
    expect(loaded.shards.get("s1")).to.include({ sequenceNumber: "200", shardEnd: true });
    expect(loaded.shards.get("s2")).to.include({ sequenceNumber: "300", shardEnd: false });
    expect(loaded.shards.get("s2")?.updatedAt).to.be.closeTo(Date.now(), 60_000);
    expect((await b.load(STREAM)).shards.size).to.equal(0);
    expect(await b.listStreams()).to.deep.equal([]);

    await a.markStreamCompleted(STREAM, 42);
    expect((await a.listStreams())[0]?.completedAt).to.equal(42);
  });

  it("rejects a checkpoint write on an item that has a lease owner (the fencing hook for leases)", async () => {
    const store = new DynamoDBCheckpointStore(clients.dynamodb, "checkpoints", "ns/leased");
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: "checkpoints",
        Item: { pk: { S: "ns/leased" }, sk: { S: shardSortKey(STREAM, "s9") }, leaseOwner: { S: "pod-2" } },
      }),
    );
    let error: unknown;
    await store.saveShard(STREAM, "s9", { sequenceNumber: "1", shardEnd: false }).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(CheckpointConflictError);
  });
});
