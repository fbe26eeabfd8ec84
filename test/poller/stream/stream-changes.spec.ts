import { expect } from "chai";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { StartingPosition } from "../../../src/shared/env-contract";
import { awsError, FakeStream } from "../fakes/fake-streams";
import { createHarness, STREAM_ARN, TABLE_ARN, waitFor } from "../fakes/harness";

const seq = (r: { dynamodb?: { SequenceNumber?: string } }) => r.dynamodb?.SequenceNumber ?? "";
const NEW_STREAM_ARN = `${TABLE_ARN}/stream/2026-02-02T00:00:00.000`;

describe("poller: the table's stream (fake stream)", () => {
  it("is not ready with a clear reason while the table has no stream, and reads it once enabled", async () => {
    const h = createHarness({ start: false });
    h.tableApi.setStream(undefined);
    h.running = h.poller.run();
    await waitFor(() => h.tableApi.calls >= 2, "repeated DescribeTable");
    const notReady = h.poller.readiness();
    expect(notReady.ready).to.equal(false);
    expect(notReady.reason).to.match(/table orders has no stream: enable DynamoDB Streams/);
    expect(h.logs.filter((l) => l.level === 50 && String(l.msg).includes("has no stream"))).to.have.length(1);

    h.stream.addShard("s");
    h.tableApi.setStream(STREAM_ARN);
    await waitFor(() => h.poller.readiness().ready, "ready");
    const records = h.stream.putMany("s", 2);
    await waitFor(() => h.deliverer.delivered.length === 2, "records");
    await h.stop();
    // The consumer's first start happened only now: LATEST would apply, TRIM_HORIZON (harness default) reads all.
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
  });

  it("finishes the old stream, then reads the new one from TRIM_HORIZON even with LATEST configured", async () => {
    const h = createHarness({ start: false, settings: { startingPosition: StartingPosition.Latest } });
    h.stream.addShard("old");
    h.running = h.poller.run();
    await waitFor(() => h.api.callsOf("GetShardIterator").length === 1, "the LATEST iterator");
    const oldRecords = h.stream.putMany("old", 3, "k");
    // Stream disabled and re-enabled: the old shard is closed, the table gets a new stream at once.
    h.stream.disable();
    const next = h.api.addStream(new FakeStream(NEW_STREAM_ARN));
    next.addShard("new");
    const newRecords = next.putMany("new", 3, "k");
    h.tableApi.setStream(NEW_STREAM_ARN);
    await waitFor(() => h.deliverer.delivered.length === 6, "both streams");
    await h.stop();
    expect(h.deliverer.delivered.map((d) => d.streamArn)).to.deep.equal([
      ...Array(3).fill(STREAM_ARN),
      ...Array(3).fill(NEW_STREAM_ARN),
    ]);
    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...oldRecords, ...newRecords].map(seq));
    const old = await h.store.load(STREAM_ARN);
    expect(old.meta?.completedAt).to.be.a("number");
    expect((await h.store.load(NEW_STREAM_ARN)).meta?.startingPosition).to.equal(
      StartingPosition.TrimHorizon,
    );
  });

  it("after a restart, drains a stream an earlier run left unfinished before the table's new stream", async () => {
    const store = new MemoryCheckpointStore();
    const h = createHarness({ store, start: false });
    h.stream.addShard("old");
    const first = h.stream.putMany("old", 2, "k");
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2, "first records");
    await h.stop();
    // While the poller is down: more writes, then the stream is replaced.
    const tail = h.stream.putMany("old", 2, "k");
    h.stream.disable();
    const next = h.api.addStream(new FakeStream(NEW_STREAM_ARN));
    next.addShard("new");
    const newRecords = next.putMany("new", 2, "k");
    h.tableApi.setStream(NEW_STREAM_ARN);
    await h.restart();
    await waitFor(() => h.deliverer.delivered.length === 6, "everything");
    await h.stop();
    expect(h.deliverer.sequenceNumbers()).to.deep.equal([...first, ...tail, ...newRecords].map(seq));
  });

  it("reports a disabled stream that was read to its end as not ready", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.stream.putMany("s", 1);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 1, "the record");
    h.stream.disable();
    h.tableApi.setStream(STREAM_ARN, false);
    // Between the shard's end and the poller learning the stream is gone, it briefly says it is listing shards.
    const final = /disabled and was read to its end/;
    await waitFor(() => final.test(h.poller.readiness().reason ?? ""), "the disabled stream's reason");
    expect(h.poller.readiness().ready).to.equal(false);
    await h.stop();
  });

  it("says why it is not ready when DescribeStream keeps failing, and recovers", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.api.failNext("DescribeStream", awsError("AccessDeniedException"), 20);
    h.running = h.poller.run();
    await waitFor(
      () => h.poller.readiness().reason?.includes("AccessDeniedException") === true,
      "the reason",
    );
    expect(h.poller.readiness().reason).to.equal(
      `listing the shards of ${STREAM_ARN} (DescribeStream failed: AccessDeniedException)`,
    );
    await waitFor(() => h.poller.readiness().ready, "ready once the permission is fixed");
  });
});
