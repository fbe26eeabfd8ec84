/**
 * Which shards' checkpoint writes keep failing, and since when, for readiness. Failed writes are retried at the
 * next flush and records are still delivered, so nothing is lost; but the saved position falls behind, and a
 * restart would deliver everything since it again. Failing for longer than PROGRESS_TIMEOUT makes the pod not ready,
 * so that `kubectl get pods` shows it next to the reason.
 */
export class CheckpointHealth {
  private readonly failing = new Map<string, { since: number; error: string }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A write for `shardId` failed; the first of a run of failures sets `since`. */
  failed(shardId: string, error: string): void {
    const known = this.failing.get(shardId);
    this.failing.set(shardId, { since: known?.since ?? this.now(), error });
  }

  /** A write succeeded, or the shard is no longer read here: it is healthy again. */
  cleared(shardId: string): void {
    this.failing.delete(shardId);
  }

  /** The shard failing the longest, if it has failed for longer than `timeoutMs`. */
  failingLongerThan(
    timeoutMs: number,
  ): { shardId: string; failingMs: number; error: string; shards: number } | undefined {
    const now = this.now();
    let worst: { shardId: string; failingMs: number; error: string } | undefined;
    let shards = 0;
    for (const [shardId, { since, error }] of this.failing) {
      const failingMs = now - since;
      if (failingMs <= timeoutMs) continue;
      shards++;
      if (worst === undefined || failingMs > worst.failingMs) worst = { shardId, failingMs, error };
    }
    return worst && { ...worst, shards };
  }
}
