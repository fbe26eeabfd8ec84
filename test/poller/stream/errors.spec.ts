import { expect } from "chai";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { StartingPosition } from "../../../src/shared/env-contract";
import { awsError } from "../fakes/fake-streams";
import { counterValue, createHarness, STREAM_ARN, waitFor } from "../fakes/harness";

const seq = (r: { dynamodb?: { SequenceNumber?: string } }) => r.dynamodb?.SequenceNumber ?? "";

/** A store where the consumer already started on the stream and shard `s` is checkpointed at `sequenceNumber`. */
async function storeWithCheckpoint(
  sequenceNumber: string,
  now?: () => number,
): Promise<MemoryCheckpointStore> {
  const store = new MemoryCheckpointStore(now);
  await store.initStream({
    streamArn: STREAM_ARN,
    startingPosition: StartingPosition.TrimHorizon,
    initialShardIds: ["s"],
    createdAt: 1,
  });
  await store.saveShard(STREAM_ARN, "s", { sequenceNumber, shardEnd: false });
  return store;
}

describe("poller: AWS errors (fake stream)", () => {
  it("re-acquires an expired iterator after the last processed record: no gap, no duplicate", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    const first = h.stream.putMany("s", 5);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 5, "first records");
    h.api.expireAllIterators();
    const second = h.stream.putMany("s", 5, "later");
    await waitFor(() => h.deliverer.delivered.length >= 10, "records after the expiry");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...first, ...second].map(seq));
    const reacquired = h.api
      .callsOf("GetShardIterator")
      .map((c) => c.input)
      .find((i) => "ShardIteratorType" in i && i.ShardIteratorType === "AFTER_SEQUENCE_NUMBER");
    expect(reacquired).to.include({ SequenceNumber: seq(first[4] ?? {}) });
    expect(await counterValue(h.metrics.awsErrors, { error: "ExpiredIteratorException" })).to.be.at.least(1);
  });

  it("re-acquires from the original start when the iterator expires before any record", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.running = h.poller.run();
    await waitFor(() => h.api.callsOf("GetRecords").length > 0, "a first GetRecords");
    h.api.expireAllIterators();
    const records = h.stream.putMany("s", 3);
    await waitFor(() => h.deliverer.delivered.length === 3, "the records");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
  });

  it("continues from TRIM_HORIZON when the checkpoint was trimmed, counting and logging the possible loss", async () => {
    const h0 = createHarness({ start: false });
    h0.stream.addShard("s");
    const records = h0.stream.putMany("s", 10);
    const store = await storeWithCheckpoint(seq(records[2] ?? {}));
    h0.stream.trim("s", 6); // records 0..5 are gone: 3, 4, 5 were never delivered
    const h = createHarness({ api: h0.api, stream: h0.stream, store });
    await waitFor(() => h.deliverer.delivered.length === 4, "the records left");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.slice(6).map(seq));
    expect(await counterValue(h.metrics.recordsLost, { reason: "trimmed" })).to.equal(1);
    const warning = h.logs.find(
      (l) => l.level === 40 && String(l.msg).includes("records may have been lost"),
    );
    expect(warning).to.include({
      shardId: "s",
      streamArn: STREAM_ARN,
      afterSequenceNumber: seq(records[2] ?? {}),
    });
    const range = h.logs.find((l) => String(l.msg).startsWith("possible loss range"));
    expect(range).to.include({
      afterSequenceNumber: seq(records[2] ?? {}),
      firstSequenceNumberAfterGap: seq(records[6] ?? {}),
    });
  });

  it("jumps to TRIM_HORIZON when records are trimmed under a live iterator", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.stream.putMany("s", 2);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2, "first records");
    // Retention trims past the iterator's position before the next GetRecords (same tick: the poller cannot interleave).
    const later = h.stream.putMany("s", 5, "later");
    h.stream.trim("s", 4);
    await waitFor(() => h.deliverer.delivered.length === 5, "records after the trim point");
    await h.stop();
    expect(h.deliverer.sequenceNumbers().slice(2)).to.deep.equal(later.slice(2).map(seq));
    expect(await counterValue(h.metrics.recordsLost, { reason: "trimmed" })).to.equal(1);
  });

  it("treats a checkpoint older than the stream's retention as possibly lost and starts at TRIM_HORIZON", async () => {
    const h0 = createHarness({ start: false });
    h0.stream.addShard("s");
    const records = h0.stream.putMany("s", 4);
    const dayAndAHourAgo = () => Date.now() - 25 * 3_600_000;
    const store = await storeWithCheckpoint(seq(records[1] ?? {}), dayAndAHourAgo);
    const h = createHarness({ api: h0.api, stream: h0.stream, store });
    await waitFor(() => h.deliverer.delivered.length === 4, "all records from TRIM_HORIZON");
    await h.stop();
    expect(await counterValue(h.metrics.recordsLost, { reason: "checkpoint_expired" })).to.equal(1);
    expect(h.api.callsOf("GetShardIterator")[0]?.input).to.include({ ShardIteratorType: "TRIM_HORIZON" });
  });

  it("backs off on throttling and 5xx from every API and never gives up", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 3);
    h.api.failNext("DescribeStream", awsError("LimitExceededException"), 3);
    h.api.failNext("GetShardIterator", awsError("ThrottlingException"), 3);
    h.api.failNext("GetRecords", awsError("ProvisionedThroughputExceededException"), 4);
    h.api.failNext("GetRecords", awsError("InternalServerError", 500), 2);
    h.api.failNext("GetRecords", awsError("ServiceUnavailable", 503), 2);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 3, "the records");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
    expect(await counterValue(h.metrics.awsErrors, { operation: "DescribeStream" })).to.equal(3);
    expect(await counterValue(h.metrics.awsErrors, { operation: "GetShardIterator" })).to.equal(3);
    expect(await counterValue(h.metrics.awsErrors, { operation: "GetRecords" })).to.equal(8);
  });

  it("keeps retrying an unexpected AWS error (e.g. AccessDenied) with an error log, then recovers", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.stream.putMany("s", 2);
    h.api.failNext("GetRecords", awsError("AccessDeniedException"), 3);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2, "the records");
    await h.stop();
    expect(h.logs.filter((l) => l.level === 50 && l.error === "AccessDeniedException")).to.have.length(3);
  });

  it("treats ResourceNotFound on a shard as ended with a warning, and reads its children", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("gone");
    h.stream.split("gone", "child");
    const childRecords = h.stream.putMany("child", 2);
    h.api.failNext(
      "GetShardIterator",
      awsError("ResourceNotFoundException"),
      1,
      (i) => (i as { ShardId?: string }).ShardId === "gone",
    );
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2, "the child's records");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(childRecords.map(seq));
    expect(
      h.logs.some(
        (l) => l.shardId === "gone" && l.level === 40 && String(l.msg).includes("no longer exists"),
      ),
    ).to.equal(true);
  });

  it("replays the unsettled records of a batch the deliverer failed, once each", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 4);
    h.deliverer.failNextBatches(2);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 4, "the records");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
    expect(h.deliverer.batches).to.have.length(3);
  });

  it("slows down and logs an error when GetRecords keeps rejecting fresh iterators", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 2);
    h.api.failNext("GetRecords", awsError("ValidationException"), 6);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2, "the records");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
    expect(h.api.callsOf("GetShardIterator")).to.have.length(7);
    expect(h.logs.filter((l) => l.level === 50 && l.error === "ValidationException")).to.have.length(4);
  });
});
