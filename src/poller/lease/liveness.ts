import type { WorkerBeat } from "./lease-table";

/**
 * Which workers are alive, judged the way KCL judges leases: by watching heartbeat counters move on this worker's
 * own clock, never by comparing clocks across machines. A listed worker is dead once its counter has not moved for
 * the lease duration since this worker first saw the current value. A worker with no heartbeat item is gone: it
 * removed the item on a graceful exit (after releasing its leases), or it was silent long enough to be deleted.
 */
export class WorkerLiveness {
  private readonly seen = new Map<string, { counter: number; since: number }>();

  constructor(
    private readonly leaseDurationMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the heartbeat items of one listing (all of them). */
  observe(beats: readonly WorkerBeat[]): void {
    const now = this.now();
    const listed = new Set<string>();
    for (const beat of beats) {
      listed.add(beat.workerId);
      const known = this.seen.get(beat.workerId);
      if (!known || known.counter !== beat.counter)
        this.seen.set(beat.workerId, { counter: beat.counter, since: now });
    }
    for (const id of [...this.seen.keys()]) if (!listed.has(id)) this.seen.delete(id);
  }

  isAlive(workerId: string): boolean {
    const known = this.seen.get(workerId);
    return known !== undefined && this.now() - known.since < this.leaseDurationMs;
  }

  /** Workers seen beating within the lease duration. */
  alive(): string[] {
    return [...this.seen.keys()].filter((id) => this.isAlive(id));
  }

  /** Heartbeat items that have not moved for `multiple` lease durations: safe to delete. */
  longDead(multiple: number): { workerId: string; counter: number }[] {
    const now = this.now();
    return [...this.seen]
      .filter(([, known]) => now - known.since >= multiple * this.leaseDurationMs)
      .map(([workerId, known]) => ({ workerId, counter: known.counter }));
  }

  forget(workerId: string): void {
    this.seen.delete(workerId);
  }
}
