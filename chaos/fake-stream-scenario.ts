import { readsOutsideLease, Workers } from "../test/poller/fakes/workers";
import type { ScenarioResult } from "./scenarios";

/**
 * 6 (fake stream): what DynamoDB Local cannot produce — many shards that split while three in-process workers read
 * them, one worker crashing (cut off from the lease table, then stopped without releasing) and a new one joining.
 * Each item always lands in the shard that holds its key range (its shard, then the child after a split), with a
 * per-item version, so order across splits and workers is checked like the process scenarios.
 */
export async function runFakeStreamScenario(size: "full" | "ci"): Promise<ScenarioResult> {
  const started = Date.now();
  const shards = size === "full" ? 64 : 16;
  const rounds = size === "full" ? 60 : 20;
  const items = shards * 8;
  const w = new Workers({ leaseDurationMs: 600, renewIntervalMs: 100, shardSyncIntervalMs: 200 });
  w.sink.batchDelayMs = 2;
  const home = new Map<number, string>();
  for (let s = 0; s < shards; s++) w.stream.addShard(`s${s}`);
  for (let i = 0; i < items; i++) home.set(i, `s${i % shards}`);
  const versionOf = new Map<string, { key: string; version: number }>();
  const written = new Map<string, number>();
  for (const id of ["w0", "w1", "w2"]) w.start(id);

  let splits = 0;
  let crashAt = 0;
  let orphaned: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < items; i++) {
      const key = `item-${i}`;
      const record = w.stream.put(home.get(i) ?? "", key, "MODIFY", round);
      versionOf.set(record.dynamodb?.SequenceNumber ?? "", { key, version: round });
      written.set(key, round);
    }
    if (round % 5 === 0) {
      // Split a quarter of the open shards; items move to the child that covers their key.
      const open = [...w.stream.shards.values()].filter((s) => !s.closed).slice(0, Math.ceil(shards / 4));
      for (const shard of open) {
        const children = [`${shard.shardId}a`, `${shard.shardId}b`];
        w.stream.split(shard.shardId, ...children);
        splits++;
        for (const [i, at] of home) if (at === shard.shardId) home.set(i, children[i % 2] ?? "");
      }
    }
    if (round === Math.floor(rounds / 2)) {
      const victim = w.all[0];
      if (victim) {
        crashAt = performance.now();
        orphaned = w.ownedBy(victim.id);
        w.leaseTable.partitioned.add(victim.id);
        await victim.poller.stop();
      }
      w.start("w3");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const total = [...written.values()].reduce((a, b) => a + b, 0);
  const deadline = Date.now() + 60_000;
  const distinct = () => new Set(w.sink.delivered.map((d) => d.sequenceNumber)).size;
  while (distinct() < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await w.stopAll();

  const seen = new Map<string, Set<number>>();
  const highest = new Map<string, number>();
  let reorderings = 0;
  let recoveryMs: number | null = null;
  for (const d of w.sink.delivered) {
    const kv = versionOf.get(d.sequenceNumber);
    if (!kv) continue;
    const versions = seen.get(kv.key) ?? new Set<number>();
    seen.set(kv.key, versions);
    if (versions.has(kv.version)) continue;
    versions.add(kv.version);
    if (kv.version < (highest.get(kv.key) ?? 0)) reorderings++;
    else highest.set(kv.key, kv.version);
  }
  // Recovery: from the crash until every shard the crashed worker held was taken by another worker.
  const crashed = w.all[0]?.id;
  const retakenAt = orphaned.map(
    (shardId) =>
      w.leaseTable.log.find(
        (e) => e.op === "take" && e.shardId === shardId && e.at > crashAt && e.workerId !== crashed,
      )?.at,
  );
  if (retakenAt.length > 0 && retakenAt.every((t) => t !== undefined))
    recoveryMs = Math.round(Math.max(...retakenAt.map((t) => t ?? 0)) - crashAt);
  let delivered = 0;
  for (const [key, top] of written) for (let v = 1; v <= top; v++) if (seen.get(key)?.has(v)) delivered++;
  const duplicated = w.sink.delivered.length - delivered;
  const overlaps = readsOutsideLease(w.reads, w.leaseTable.log).length;
  const duplicateBound = 1 * (1000 + shards * 50);
  return {
    scenario: `6 fake stream: ${shards} shards, splits, crash (in-process)`,
    written: total,
    delivered,
    lost: total - delivered,
    duplicated,
    reorderings,
    disruptions: splits + 1,
    recoveryMs,
    duplicateBound,
    seconds: Math.round((Date.now() - started) / 1000),
    pass: total === delivered && reorderings === 0 && overlaps === 0 && duplicated <= duplicateBound,
    note: `${splits} splits; ${overlaps} reads without a lease`,
  };
}
