import { expect } from "chai";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { seededRandom } from "../../support/seeded-random";
import { awsError } from "../fakes/fake-streams";
import { createHarness, waitFor } from "../fakes/harness";

/**
 * Writes with per-key version counters while shards split and AWS and the deliverer misbehave, with graceful
 * restarts in between; then proves that every version of every key arrived, in order, exactly once.
 */
describe("poller: randomized splits, faults and graceful restarts (fake stream)", () => {
  for (const seed of (process.env.SOAK_SEEDS ?? "1,2,3").split(",").map(Number)) {
    it(`loses nothing, reorders nothing and duplicates nothing (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const store = new MemoryCheckpointStore();
      // Frequent full syncs and a sink with latency: children are listed while their parent still has a backlog.
      const h = createHarness({ store, start: false, settings: { shardSyncIntervalMs: 10 } });
      h.deliverer.batchDelayMs = 3;
      const partitions = ["p0", "p1", "p2"];
      const current = new Map<string, string>(partitions.map((p) => [p, `${p}-g0`]));
      for (const shard of current.values()) h.stream.addShard(shard);
      const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
      const partitionOf = (key: string) => partitions[Number(key.slice(4)) % partitions.length] as string;
      const versions = new Map<string, number>();
      let generation = 0;
      let written = 0;
      h.running = h.poller.run();

      for (let step = 0; step < 60; step++) {
        for (let i = 0; i < 20; i++) {
          const key = pick(keys);
          const version = (versions.get(key) ?? -1) + 1;
          versions.set(key, version);
          h.stream.put(
            current.get(partitionOf(key)) as string,
            key,
            version === 0 ? "INSERT" : "MODIFY",
            version,
          );
          written++;
        }
        const roll = random();
        if (roll < 0.15) {
          const partition = pick(partitions);
          const child = `${partition}-g${++generation}`;
          h.stream.split(current.get(partition) as string, child);
          current.set(partition, child);
        } else if (roll < 0.25) {
          h.api.failNext("GetRecords", awsError(pick(["LimitExceededException", "InternalServerError"])), 3);
        } else if (roll < 0.3) {
          h.api.expireAllIterators();
        } else if (roll < 0.35) {
          h.deliverer.failNextBatches(1);
        } else if (roll < 0.4) {
          h.api.failNext("DescribeStream", awsError("LimitExceededException"), 2);
        } else if (roll < 0.45) {
          await h.restart(); // graceful: SIGTERM-like stop, then a new process on the same checkpoints
        }
        await new Promise((r) => setTimeout(r, random() * 10));
      }
      await waitFor(() => h.deliverer.delivered.length >= written, `${written} records`, 15_000);
      await new Promise((r) => setTimeout(r, 50)); // duplicates, if any, would arrive now
      await h.stop();

      const bySeq = new Set(h.deliverer.delivered.map((d) => d.sequenceNumber));
      expect(bySeq.size, "distinct records").to.equal(written);
      expect(h.deliverer.delivered.length, "duplicates").to.equal(written);
      for (const key of keys) {
        const delivered = h.deliverer.delivered.filter((d) => d.key === key).map((d) => d.eventName);
        expect(delivered.length, key).to.equal((versions.get(key) ?? -1) + 1);
      }
      // Order per item: the fake numbers records in write order, so per key the sequence numbers must increase.
      for (const key of keys) {
        const seqs = h.deliverer.delivered.filter((d) => d.key === key).map((d) => d.sequenceNumber);
        expect(seqs, key).to.deep.equal([...seqs].sort());
      }
    });
  }
});
