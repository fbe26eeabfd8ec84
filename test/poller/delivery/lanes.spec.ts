import { expect } from "chai";
import { assignLanes, laneOf } from "../../../src/poller/delivery/lane-of";
import { deliverInLanes, type LaneRunner } from "../../../src/poller/delivery/lanes";
import type { DeliveryOutcome, StreamRecord } from "../../../src/poller/delivery/types";
import { seededRandom } from "../../support/seeded-random";
import { makeRecord } from "../events/fixtures";

/** A record of item `item`; `seq` is its position in the shard. */
function recordOf(item: string, seq: number): StreamRecord {
  return makeRecord({
    operation: "MODIFY",
    viewType: "KEYS_ONLY",
    keys: { pk: { S: item } },
    eventID: `e${seq}`,
    sequenceNumber: String(1000 + seq),
  });
}

/** `count` records spread over `items` items, interleaved the way a busy table writes them. */
function interleaved(count: number, items: number, random: () => number): StreamRecord[] {
  return Array.from({ length: count }, (_, seq) => recordOf(`item-${Math.floor(random() * items)}`, seq));
}

/** Lets other lanes run: a random number of macrotask turns, standing in for a sink's latency and retries. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const itemOf = (record: StreamRecord | undefined) => record?.dynamodb?.Keys?.pk?.S ?? "";

describe("per-key lanes", () => {
  describe("laneOf", () => {
    it("puts every event of an item in the same lane, whatever the order of its key attributes", () => {
      const a = makeRecord({
        operation: "INSERT",
        viewType: "KEYS_ONLY",
        keys: { pk: { S: "order#7" }, sk: { N: "3" } },
      });
      const b = makeRecord({
        operation: "REMOVE",
        viewType: "KEYS_ONLY",
        keys: { sk: { N: "3" }, pk: { S: "order#7" } },
      });
      for (let lanes = 1; lanes <= 10; lanes++) expect(laneOf(a, lanes)).to.equal(laneOf(b, lanes));
    });

    it("spreads distinct items over every lane", () => {
      const counts = new Array<number>(10).fill(0);
      for (let i = 0; i < 1000; i++) {
        const lane = laneOf(recordOf(`customer-${i}`, i), 10);
        counts[lane] = (counts[lane] ?? 0) + 1;
      }
      // 100 per lane on average; a skewed hash would leave lanes nearly idle.
      expect(Math.min(...counts)).to.be.above(60);
      expect(Math.max(...counts)).to.be.below(140);
    });

    it("one lane takes every record in stream order without hashing", () => {
      expect(assignLanes(interleaved(5, 3, seededRandom(1)), 1)).to.deep.equal([[0, 1, 2, 3, 4]]);
    });

    it("keeps stream order inside each lane and leaves empty lanes out", () => {
      const records = interleaved(200, 30, seededRandom(2));
      const lanes = assignLanes(records, 10);
      expect(lanes.flat().sort((x, y) => x - y)).to.deep.equal(records.map((_, i) => i));
      for (const lane of lanes) {
        expect(lane.length).to.be.above(0);
        expect([...lane].sort((x, y) => x - y)).to.deep.equal(lane);
        const laneIds = new Set(lane.map((p) => laneOf(records[p] as StreamRecord, 10)));
        expect(laneIds.size).to.equal(1);
      }
    });
  });

  describe("deliverInLanes", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 10]) {
      const parallelism = ((seed * 3) % 10) + 1;
      it(`seed ${seed}, ${parallelism} lanes: per-item order holds and onSettled runs in stream order`, async () => {
        const random = seededRandom(seed);
        const records = interleaved(300, 25, random);
        const delivered: StreamRecord[] = [];
        const settled: StreamRecord[] = [];
        let running = 0;
        let mostRunning = 0;
        const runLane: LaneRunner = async (positions, settle) => {
          running++;
          mostRunning = Math.max(mostRunning, running);
          for (const position of positions) {
            // Latency, and now and then a retry: a much longer wait before the same event goes again.
            await turns(Math.floor(random() * 4) + (random() < 0.1 ? 20 : 0));
            delivered.push(records[position] as StreamRecord);
            settle(position, "delivered");
          }
          running--;
        };
        await deliverInLanes(
          records,
          parallelism,
          runLane,
          (r) => settled.push(r),
          new AbortController().signal,
        );

        expect(settled).to.deep.equal(records);
        const order = (list: StreamRecord[]) => {
          const byItem = new Map<string, string[]>();
          for (const r of list) byItem.set(itemOf(r), [...(byItem.get(itemOf(r)) ?? []), r.eventID ?? ""]);
          return byItem;
        };
        expect(order(delivered)).to.deep.equal(order(records));
        if (parallelism > 1) {
          expect(mostRunning, "lanes ran concurrently").to.be.above(1);
          expect(delivered, "items overtook each other").not.to.deep.equal(records);
        } else {
          expect(delivered).to.deep.equal(records);
        }
      });
    }

    it("a stalled lane holds the checkpoint at its first undelivered record while other lanes finish", async () => {
      const records = interleaved(120, 12, seededRandom(9));
      const stalledItem = itemOf(records[10]);
      const stalledAt = records.findIndex((r) => itemOf(r) === stalledItem);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const done = new Set<number>();
      const settled: StreamRecord[] = [];
      const runLane: LaneRunner = async (positions, settle) => {
        for (const position of positions) {
          if (itemOf(records[position]) === stalledItem) await gate;
          await turns(1);
          done.add(position);
          settle(position, "delivered");
        }
      };
      const delivery = deliverInLanes(
        records,
        4,
        runLane,
        (r) => settled.push(r),
        new AbortController().signal,
      );
      const othersDone = records.filter(
        (r) => laneOf(r, 4) !== laneOf(records[stalledAt] as StreamRecord, 4),
      );
      while (done.size < othersDone.length) await turns(1);

      expect(done.size, "other lanes delivered everything").to.equal(othersDone.length);
      expect(settled, "nothing settled past the stalled record").to.deep.equal(records.slice(0, stalledAt));
      release();
      await delivery;
      expect(settled).to.deep.equal(records);
    });

    it("reports outcomes other than delivered at their place in stream order", async () => {
      const records = interleaved(30, 6, seededRandom(10));
      const outcomes: DeliveryOutcome[] = ["delivered", "dead-lettered", "dropped"];
      const settled: Array<[string | undefined, DeliveryOutcome]> = [];
      await deliverInLanes(
        records,
        3,
        async (positions, settle) => {
          for (const p of [...positions].reverse()) settle(p, outcomes[p % 3] ?? "delivered");
        },
        (r, outcome) => settled.push([r.eventID, outcome]),
        new AbortController().signal,
      );
      expect(settled).to.deep.equal(records.map((r, i) => [r.eventID, outcomes[i % 3]]));
    });

    it("an abort stops every lane, settles nothing more and rejects with the reason once all lanes returned", async () => {
      const records = interleaved(60, 10, seededRandom(11));
      const controller = new AbortController();
      const reason = new Error("shutting down");
      const settled: StreamRecord[] = [];
      let lanesRunning = 0;
      const runLane: LaneRunner = async (positions, settle, signal) => {
        lanesRunning++;
        try {
          for (const position of positions) {
            await turns(2);
            signal.throwIfAborted();
            settle(position, "delivered");
          }
        } finally {
          lanesRunning--;
        }
      };
      const delivery = deliverInLanes(records, 5, runLane, (r) => settled.push(r), controller.signal);
      await turns(5);
      controller.abort(reason);
      const settledAtAbort = settled.length;
      const error = await delivery.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.equal(reason);
      expect(lanesRunning, "no lane outlives the call").to.equal(0);
      expect(settled.length).to.equal(settledAtAbort);
      expect(settledAtAbort).to.be.below(records.length);
      expect(settled).to.deep.equal(records.slice(0, settledAtAbort));
    });

    it("an unexpected lane failure stops the other lanes and rejects with that error", async () => {
      const records = interleaved(60, 10, seededRandom(12));
      const failing = laneOf(records[0] as StreamRecord, 5);
      const bug = new Error("bug");
      let stoppedBySignal = 0;
      const error = await deliverInLanes(
        records,
        5,
        async (positions, settle, signal) => {
          for (const position of positions) {
            if (laneOf(records[position] as StreamRecord, 5) === failing) throw bug;
            await turns(3);
            if (signal.aborted) {
              stoppedBySignal++;
              throw signal.reason;
            }
            settle(position, "delivered");
          }
        },
        () => undefined,
        new AbortController().signal,
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.equal(bug);
      expect(stoppedBySignal).to.be.above(0);
    });

    it("rejects at once when already aborted, and does nothing for an empty batch", async () => {
      const aborted = AbortSignal.abort(new Error("gone"));
      const error = await deliverInLanes(
        interleaved(3, 2, seededRandom(1)),
        2,
        async () => undefined,
        () => undefined,
        aborted,
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error).message).to.equal("gone");
      let calls = 0;
      await deliverInLanes(
        [],
        4,
        async () => void calls++,
        () => undefined,
        new AbortController().signal,
      );
      expect(calls).to.equal(0);
    });
  });
});
