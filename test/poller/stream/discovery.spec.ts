import { expect } from "chai";
import { RateLimiter } from "../../../src/poller/stream/rate-limiter";
import { counterValue, createHarness, waitFor } from "../fakes/harness";

/** The most calls that fall into any window of `windowMs` (sliding, anchored at each call). */
function maxCallsInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("poller: shard discovery (fake stream)", () => {
  it("pages DescribeStream past 100 shards and reads all 250, parents before children", async () => {
    const h = createHarness({
      start: false,
      settings: { describeStreamPerSecond: 50, shardSyncIntervalMs: 60_000 },
    });
    // 100 closed parents with one child each, and 50 independent open shards: 250 shards in all.
    for (let i = 0; i < 100; i++) {
      const parent = `shard-${String(i).padStart(3, "0")}`;
      h.stream.addShard(parent);
      h.stream.put(parent, `key-${i}`, "INSERT", 1);
      h.stream.split(parent, `${parent}-child`);
      h.stream.put(`${parent}-child`, `key-${i}`, "MODIFY", 2);
    }
    for (let i = 0; i < 50; i++) {
      h.stream.addShard(`open-${i}`);
      h.stream.put(`open-${i}`, `open-key-${i}`);
    }
    expect(h.stream.shards.size).to.equal(250);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 250, "one record per shard", 15_000);
    await h.stop();

    const describeCalls = h.api.callsOf("DescribeStream");
    const pages = describeCalls.filter((c) => !("ShardFilter" in c.input && c.input.ShardFilter));
    const ids = [...h.stream.shards.keys()];
    const starts = pages.map((c) =>
      "ExclusiveStartShardId" in c.input ? c.input.ExclusiveStartShardId : "?",
    );
    expect(starts.slice(0, 3)).to.deep.equal([undefined, ids[99], ids[199]]);
    for (let i = 0; i < 100; i++) {
      const key = `key-${i}`;
      const versions = h.deliverer.delivered.filter((d) => d.key === key).map((d) => d.eventName);
      expect(versions, key).to.deep.equal(["INSERT", "MODIFY"]);
    }
    expect(await counterValue(h.metrics.describeStreamCalls)).to.equal(describeCalls.length);
  });

  it("looks up the children of 60 shards that split at once within the DescribeStream rate limit", async () => {
    const h = createHarness({
      start: false,
      settings: { describeStreamPerSecond: 50, shardSyncIntervalMs: 60_000 },
    });
    for (let i = 0; i < 60; i++) h.stream.addShard(`s${i}`).put(`s${i}`, `key-${i}`, "INSERT", 1);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 60, "the parents' records");
    for (let i = 0; i < 60; i++) {
      h.stream.split(`s${i}`, `s${i}-child`);
      h.stream.put(`s${i}-child`, `key-${i}`, "MODIFY", 2);
    }
    // No periodic sync within the test: only the CHILD_SHARDS lookups at each shard's end can find the children.
    await waitFor(() => h.deliverer.delivered.length === 120, "the children's records", 10_000);
    await h.stop();
    const lookups = h.api
      .callsOf("DescribeStream")
      .filter((c) => "ShardFilter" in c.input && c.input.ShardFilter);
    expect(lookups.length).to.be.at.least(60);
    // The process-wide limiter held every 1-second window at the configured rate (+1 token of burst).
    const times = h.api.callsOf("DescribeStream").map((c) => c.at);
    expect(maxCallsInWindow(times, 1000)).to.be.at.most(51);
    expect(maxCallsInWindow(times, 1000)).to.be.at.least(30); // the limiter was the bottleneck
  });

  it("the default DescribeStream budget (8/s) keeps every 1-second window below the API's 10 calls/s", async () => {
    const limiter = new RateLimiter(8);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 14 }, async () => {
        await limiter.acquire();
        times.push(Date.now());
      }),
    );
    expect(times).to.have.length(14);
    expect(maxCallsInWindow(times, 1000)).to.be.below(10);
  });

  it("an aborted wait for the limiter returns at once", async () => {
    const limiter = new RateLimiter(1);
    await limiter.acquire();
    const ac = new AbortController();
    const started = Date.now();
    const waiting = limiter.acquire(ac.signal);
    ac.abort();
    await waiting;
    expect(Date.now() - started).to.be.below(900);
  });
});
