/**
 * Per-shard "last progress" times for readiness: a shard progresses when a GetRecords succeeds or a record
 * settles. A shard that does neither for PROGRESS_TIMEOUT is stuck (sink down, AWS failing, delivery hung); an
 * idle shard that is caught up keeps progressing with its empty GetRecords, so it never looks stuck.
 */
export class ProgressMonitor {
  private readonly lastProgress = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  track(shardId: string): void {
    this.lastProgress.set(shardId, this.now());
  }

  progressed(shardId: string): void {
    if (this.lastProgress.has(shardId)) this.lastProgress.set(shardId, this.now());
  }

  untrack(shardId: string): void {
    this.lastProgress.delete(shardId);
  }

  get trackedCount(): number {
    return this.lastProgress.size;
  }

  /** Shards without progress for longer than `timeoutMs`, the longest-stuck first. */
  stalled(timeoutMs: number): { shardId: string; stalledMs: number }[] {
    const now = this.now();
    const stalled: { shardId: string; stalledMs: number }[] = [];
    for (const [shardId, at] of this.lastProgress) {
      if (now - at > timeoutMs) stalled.push({ shardId, stalledMs: now - at });
    }
    return stalled.sort((a, b) => b.stalledMs - a.stalledMs);
  }
}
