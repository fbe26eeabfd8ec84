import { expect } from "chai";
import { decideShardStart } from "../../../src/poller/stream/iterator";
import { StartingPosition } from "../../../src/shared/env-contract";

describe("decideShardStart", () => {
  const now = 10 * 24 * 3_600_000;
  const fresh = { updatedAt: now - 1_000 };

  it("a SHARD_END checkpoint means finished", () => {
    expect(
      decideShardStart({ checkpoint: { ...fresh, shardEnd: true }, shardClosed: true, now }),
    ).to.deep.equal({
      kind: "finished",
      why: "checkpoint",
    });
  });

  it("a checkpoint resumes AFTER_SEQUENCE_NUMBER, whatever STARTING_POSITION says", () => {
    const start = decideShardStart({
      checkpoint: { ...fresh, sequenceNumber: "42", shardEnd: false },
      shardClosed: false,
      firstStartPosition: StartingPosition.Latest,
      now,
    });
    expect(start).to.deep.equal({
      kind: "read",
      position: { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: "42" },
    });
  });

  it("a checkpoint older than the retention goes to TRIM_HORIZON and is flagged", () => {
    const checkpoint = { updatedAt: now - 25 * 3_600_000, sequenceNumber: "42", shardEnd: false };
    expect(decideShardStart({ checkpoint, shardClosed: false, now })).to.deep.equal({
      kind: "read",
      position: { type: "TRIM_HORIZON" },
      expiredCheckpoint: checkpoint,
    });
  });

  it("LATEST applies only to shards of the very first start; a closed one then holds only history", () => {
    const first = StartingPosition.Latest;
    expect(decideShardStart({ shardClosed: false, firstStartPosition: first, now })).to.deep.equal({
      kind: "read",
      position: { type: "LATEST" },
    });
    expect(decideShardStart({ shardClosed: true, firstStartPosition: first, now })).to.deep.equal({
      kind: "finished",
      why: "before-first-start",
    });
  });

  it("every other shard without a checkpoint starts at TRIM_HORIZON", () => {
    expect(decideShardStart({ shardClosed: false, now })).to.deep.equal({
      kind: "read",
      position: { type: "TRIM_HORIZON" },
    });
    expect(
      decideShardStart({ shardClosed: true, firstStartPosition: StartingPosition.TrimHorizon, now }),
    ).to.deep.equal({ kind: "read", position: { type: "TRIM_HORIZON" } });
  });
});
