/** What one worker sees in a lease cycle. */
export interface ShareInput {
  readonly me: string;
  /** Shards that may be read now (not finished, parent finished), with their lease owner if alive. */
  readonly leasable: readonly { readonly shardId: string; readonly liveOwner?: string }[];
  /** Live workers, this one included. */
  readonly liveWorkers: readonly string[];
}

export interface SharePlan {
  /** ceil(leasable / live workers). */
  readonly target: number;
  /** Unowned shards to take now, in order. */
  readonly take: readonly string[];
  /** How many of our shards to hand back (we hold more than our share while another worker holds less). */
  readonly shed: number;
}

/**
 * Fair share: each live worker holds about ceil(shards / workers). A worker takes free shards up to
 * floor(shards / workers) at once, and one more (up to the ceiling) only when free shards are left after every other
 * worker's floor is met, so that a burst of free shards spreads over the workers instead of going to the fastest.
 * It sheds (hands back gracefully) only when no shard is free and some live worker is below the floor, and only as
 * many as that worker lacks: shards move toward fair share and never back and forth.
 */
export function planShare(input: ShareInput): SharePlan {
  const workers = Math.max(1, new Set([...input.liveWorkers, input.me]).size);
  const total = input.leasable.length;
  const target = Math.ceil(total / workers);
  const floor = Math.floor(total / workers);
  const held = new Map<string, number>();
  for (const id of new Set([...input.liveWorkers, input.me])) held.set(id, 0);
  const free: string[] = [];
  for (const shard of input.leasable) {
    if (shard.liveOwner === undefined) free.push(shard.shardId);
    else held.set(shard.liveOwner, (held.get(shard.liveOwner) ?? 0) + 1);
  }
  const mine = held.get(input.me) ?? 0;
  let othersBelowFloor = 0;
  for (const [id, count] of held) if (id !== input.me) othersBelowFloor += Math.max(0, floor - count);

  let want = Math.max(0, Math.min(floor, target) - mine);
  const spare = free.length - want - othersBelowFloor;
  if (mine + want < target && spare > 0) want += 1;
  const take = free.slice(0, Math.min(want, free.length));

  return { target, take, shed: free.length === 0 ? shedShare(input.me, held, floor) : 0 };
}

/**
 * How many shards `me` hands back so that every worker reaches the floor: the deficit is paid one shard at a time
 * by the worker holding the most (ties: the smallest id), which every worker computes alike from the same listing.
 */
function shedShare(me: string, held: Map<string, number>, floor: number): number {
  let deficit = 0;
  for (const count of held.values()) deficit += Math.max(0, floor - count);
  const counts = new Map(held);
  let mine = 0;
  for (; deficit > 0; deficit--) {
    let richest: string | undefined;
    for (const [id, count] of counts) {
      const best = richest === undefined ? -1 : (counts.get(richest) ?? 0);
      if (count > best || (count === best && richest !== undefined && id < richest)) richest = id;
    }
    if (richest === undefined || (counts.get(richest) ?? 0) <= floor) break;
    counts.set(richest, (counts.get(richest) ?? 0) - 1);
    if (richest === me) mine++;
  }
  return mine;
}
