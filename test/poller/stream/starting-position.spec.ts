import { expect } from "chai";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { StartingPosition } from "../../../src/shared/env-contract";
import type { FakeStreamsApi } from "../fakes/fake-streams";
import { createHarness, STREAM_ARN, waitFor } from "../fakes/harness";

const seq = (r: { dynamodb?: { SequenceNumber?: string } }) => r.dynamodb?.SequenceNumber ?? "";

function iteratorTypes(api: FakeStreamsApi, shardId: string): string[] {
  return api
    .callsOf("GetShardIterator")
    .map((c) => c.input as { ShardId?: string; ShardIteratorType?: string })
    .filter((i) => i.ShardId === shardId)
    .map((i) => i.ShardIteratorType ?? "");
}

describe("poller: starting positions, Flink semantics (fake stream)", () => {
  const latest = { startingPosition: StartingPosition.Latest };

  it("first start with LATEST: open shards from LATEST, closed ones skipped, children born later from TRIM_HORIZON", async () => {
    const store = new MemoryCheckpointStore();
    const h = createHarness({ store, start: false, settings: latest });
    h.stream.addShard("history");
    h.stream.putMany("history", 3);
    h.stream.split("history", "s");
    h.stream.putMany("s", 4, "before-start");
    h.running = h.poller.run();
    await waitFor(() => iteratorTypes(h.api, "s").includes("LATEST"), "a LATEST iterator on the open shard");
    const after = h.stream.putMany("s", 2, "after-start");
    await waitFor(() => h.deliverer.delivered.length === 2, "records written after the start");

    h.stream.split("s", "child");
    const childRecords = h.stream.putMany("child", 3, "child");
    await waitFor(() => h.deliverer.delivered.length === 5, "the child's records");
    await h.stop();

    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...after, ...childRecords].map(seq));
    expect(iteratorTypes(h.api, "history")).to.deep.equal([]);
    expect(iteratorTypes(h.api, "child")).to.deep.equal(["TRIM_HORIZON"]);
    const checkpoints = await store.load(STREAM_ARN);
    expect(checkpoints.shards.get("history")?.shardEnd).to.equal(true);
    expect(checkpoints.meta).to.include({ startingPosition: StartingPosition.Latest });
    expect(checkpoints.meta?.initialShardIds).to.deep.equal(["history", "s"]);
  });

  it("resumes AFTER_SEQUENCE_NUMBER of the checkpoint on restart: no gap, no duplicate", async () => {
    const h = createHarness({ start: false, settings: latest });
    h.stream.addShard("s");
    h.running = h.poller.run();
    await waitFor(() => iteratorTypes(h.api, "s").length === 1, "the first iterator");
    const before = h.stream.putMany("s", 3, "a");
    await waitFor(() => h.deliverer.delivered.length === 3, "first records");
    await h.stop();
    const whileDown = h.stream.putMany("s", 3, "b");
    await h.restart();
    await waitFor(() => h.deliverer.delivered.length === 6, "records written while down");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...before, ...whileDown].map(seq));
    expect(iteratorTypes(h.api, "s")).to.deep.equal(["LATEST", "AFTER_SEQUENCE_NUMBER"]);
  });

  it("an initial LATEST shard without a checkpoint is read from TRIM_HORIZON after a restart (duplicates over loss)", async () => {
    const h = createHarness({ start: false, settings: latest });
    h.stream.addShard("s");
    const old = h.stream.putMany("s", 2, "old");
    h.running = h.poller.run();
    await waitFor(() => iteratorTypes(h.api, "s").length === 1, "the first iterator");
    await h.stop();
    const whileDown = h.stream.putMany("s", 2, "down");
    await h.restart();
    await waitFor(() => h.deliverer.delivered.length === 4, "everything in the shard");
    await h.stop();
    expect(iteratorTypes(h.api, "s")).to.deep.equal(["LATEST", "TRIM_HORIZON"]);
    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...old, ...whileDown].map(seq));
  });

  it("TRIM_HORIZON reads every retained record of every shard", async () => {
    const h = createHarness({ start: false, settings: { startingPosition: StartingPosition.TrimHorizon } });
    h.stream.addShard("closed");
    const a = h.stream.putMany("closed", 2);
    h.stream.split("closed", "open");
    const b = h.stream.putMany("open", 2);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 4, "all records");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...a, ...b].map(seq));
  });
});
