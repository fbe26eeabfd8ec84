import { sleep } from "./sleep";

/**
 * Token bucket shared by every caller of one AWS operation in the process (DescribeStream allows 10 calls/s per
 * stream). With a bucket of 1 token refilled `ratePerSecond` times a second, any one-second window holds at most
 * `ratePerSecond + 1` calls, so a rate of 8 stays below the limit even when timers fire early.
 */
export class RateLimiter {
  private tokens: number;
  private lastRefill: number;
  /** Callers wait in FIFO order so that a burst of child-shard lookups cannot starve the periodic sync. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.lastRefill = now();
  }

  /** Resolves when the caller may make one call (or at once if `signal` aborts). */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeToken(signal));
    this.queue = turn;
    return turn;
  }

  private async takeToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
      await sleep(waitMs, signal);
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.lastRefill = now;
  }
}
