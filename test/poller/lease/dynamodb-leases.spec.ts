import { expect } from "chai";
import { type DynamoDBLocal, startDynamoDBLocal } from "../../../src/cli/dev/dynamodb-local";
import { type AwsClients, createAwsClients } from "../../../src/poller/aws-clients";
import { DynamoDBCheckpointStore } from "../../../src/poller/checkpoint/dynamodb-store";
import { CheckpointConflictError } from "../../../src/poller/checkpoint/store";
import { ensureCheckpointTable } from "../../../src/poller/checkpoint/table-setup";
import { DynamoDBLeaseTable } from "../../../src/poller/lease/dynamodb-lease-table";
import { LOCAL_CREDENTIALS } from "../fakes/local-tables";

const STREAM = "arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000";

describe("leases in the DynamoDB checkpoint table (real conditional writes) @integration", function () {
  this.timeout(60_000);
  let local: DynamoDBLocal;
  let clients: AwsClients;
  let consumer = 0;

  before(async () => {
    local = await startDynamoDBLocal();
    clients = createAwsClients({
      region: "ddblocal",
      endpoints: { dynamodb: local.endpoint, streams: local.endpoint },
      credentials: LOCAL_CREDENTIALS,
    });
    await ensureCheckpointTable(clients.dynamodb, "leases", true);
  });

  after(async () => {
    clients?.destroy();
    await local?.stop();
  });

  function open() {
    const name = `ns/consumer-${++consumer}`;
    return {
      leases: new DynamoDBLeaseTable(clients.dynamodb, "leases", name),
      store: new DynamoDBCheckpointStore(clients.dynamodb, "leases", name),
    };
  }

  it("takes a free lease once: the second taker with the same view loses", async () => {
    const { leases } = open();
    const [a, b] = await Promise.all([
      leases.take(STREAM, "s1", "a", { counter: 0 }),
      leases.take(STREAM, "s1", "b", { counter: 0 }),
    ]);
    const winners = [a, b].filter((g) => g !== undefined);
    expect(winners).to.have.length(1);
    expect(winners[0]?.fence.counter).to.equal(1);
    const [row] = await leases.listShards(STREAM);
    expect(row).to.deep.include({ shardId: "s1", owner: winners[0]?.fence.owner, counter: 1 });
  });

  it("fences checkpoints: the old owner's write is rejected after a takeover, the new owner's passes", async () => {
    const { leases, store } = open();
    const a = await leases.take(STREAM, "s1", "a", { counter: 0 });
    await store.saveShard(STREAM, "s1", { sequenceNumber: "100", shardEnd: false }, a?.fence);
    // Without a fence a write is refused while any lease is held (a replica with leases off).
    let unfenced: unknown;
    await store.saveShard(STREAM, "s1", { sequenceNumber: "1", shardEnd: false }).catch((e: unknown) => {
      unfenced = e;
    });
    expect(unfenced).to.be.instanceOf(CheckpointConflictError);

    const b = await leases.take(STREAM, "s1", "b", { owner: "a", counter: 1 });
    expect(b?.fence).to.deep.equal({ owner: "b", counter: 2 });
    // The taker resumes from the checkpoint the lease carries.
    expect(b?.checkpoint.sequenceNumber).to.equal("100");
    let stale: unknown;
    await store
      .saveShard(STREAM, "s1", { sequenceNumber: "150", shardEnd: false }, a?.fence)
      .catch((e: unknown) => {
        stale = e;
      });
    expect(stale).to.be.instanceOf(CheckpointConflictError);
    await store.saveShard(STREAM, "s1", { sequenceNumber: "120", shardEnd: true }, b?.fence);
    const [row] = await leases.listShards(STREAM);
    expect(row?.checkpoint).to.deep.include({ sequenceNumber: "120", shardEnd: true });
  });

  it("releases only its own lease, bumping the counter so a late write with the old fence fails", async () => {
    const { leases, store } = open();
    const a = await leases.take(STREAM, "s1", "a", { counter: 0 });
    if (!a) throw new Error("no lease");
    expect(await leases.release(STREAM, "s1", { owner: "b", counter: a.fence.counter })).to.equal(false);
    expect(await leases.release(STREAM, "s1", a.fence)).to.equal(true);
    const [row] = await leases.listShards(STREAM);
    expect(row).to.deep.include({ owner: undefined, counter: 2 });
    let late: unknown;
    await store
      .saveShard(STREAM, "s1", { sequenceNumber: "5", shardEnd: false }, a.fence)
      .catch((e: unknown) => {
        late = e;
      });
    expect(late).to.be.instanceOf(CheckpointConflictError);
    // Free again: the next taker sees counter 2 and gets 3.
    expect((await leases.take(STREAM, "s1", "b", { counter: 2 }))?.fence.counter).to.equal(3);
  });

  it("keeps worker heartbeats as items whose counter moves, and forgets one only if it did not move", async () => {
    const { leases } = open();
    await leases.heartbeat("a");
    await leases.heartbeat("a");
    await leases.heartbeat("b");
    expect(await leases.listWorkers()).to.have.deep.members([
      { workerId: "a", counter: 2 },
      { workerId: "b", counter: 1 },
    ]);
    await leases.forgetWorker("a", 1);
    expect((await leases.listWorkers()).map((w) => w.workerId)).to.include("a");
    await leases.forgetWorker("a", 2);
    expect((await leases.listWorkers()).map((w) => w.workerId)).to.deep.equal(["b"]);
  });
});
