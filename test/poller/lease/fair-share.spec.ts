import { expect } from "chai";
import { planShare } from "../../../src/poller/lease/fair-share";

const shards = (owners: (string | undefined)[]) =>
  owners.map((liveOwner, i) => ({ shardId: `s${i}`, liveOwner }));

describe("leases: fair share plan", () => {
  it("a lone worker takes every free shard", () => {
    const plan = planShare({
      me: "a",
      leasable: shards([undefined, undefined, undefined]),
      liveWorkers: ["a"],
    });
    expect(plan).to.deep.equal({ target: 3, take: ["s0", "s1", "s2"], shed: 0 });
  });

  it("free shards spread: each worker takes its floor, one more only when some are left over", () => {
    const four = shards(Array(4).fill(undefined));
    expect(planShare({ me: "a", leasable: four, liveWorkers: ["a", "b"] }).take).to.have.length(2);
    const five = shards(Array(5).fill(undefined));
    expect(planShare({ me: "a", leasable: five, liveWorkers: ["a", "b"] }).take).to.have.length(3);
    expect(planShare({ me: "a", leasable: five, liveWorkers: ["a", "b", "c"] }).take).to.have.length(2);
    // b already holds its floor: a may take the ceiling.
    const half = shards(["b", "b", undefined, undefined, undefined]);
    expect(planShare({ me: "a", leasable: half, liveWorkers: ["a", "b"] }).take).to.have.length(3);
  });

  it("a new worker gets its share: the most loaded worker sheds exactly what it lacks", () => {
    const allA = shards(["a", "a", "a", "a", "a", "a"]);
    expect(planShare({ me: "a", leasable: allA, liveWorkers: ["a", "b"] }).shed).to.equal(3);
    expect(planShare({ me: "b", leasable: allA, liveWorkers: ["a", "b"] })).to.deep.include({
      shed: 0,
      take: [],
    });
    // 4 shards, 3 workers: a and b at the ceiling (2), c starving: only a (the tie's smallest id) sheds one.
    const tie = shards(["a", "a", "b", "b"]);
    expect(planShare({ me: "a", leasable: tie, liveWorkers: ["a", "b", "c"] }).shed).to.equal(1);
    expect(planShare({ me: "b", leasable: tie, liveWorkers: ["a", "b", "c"] }).shed).to.equal(0);
  });

  it("never sheds while shards are free, nor when everyone has its floor", () => {
    expect(
      planShare({ me: "a", leasable: shards(["a", "a", "a", undefined]), liveWorkers: ["a", "b"] }).shed,
    ).to.equal(0);
    expect(planShare({ me: "a", leasable: shards(["a", "a", "b"]), liveWorkers: ["a", "b"] }).shed).to.equal(
      0,
    );
  });
});
