import { EventEmitter } from "node:events";

/** The reason an attempt's signal aborts with when its deadline passes. */
export const ATTEMPT_TIMED_OUT = new Error("delivery attempt timed out");

/**
 * An attempt's abort signal, in the other form undici's `signal` option documents: an EventEmitter that emits
 * `abort`, with `aborted` and `reason`. undici adds and removes a listener on it for every request; on an
 * AbortSignal (an EventTarget) that cost ~18 µs of CPU per request in a bare undici client posting to the bench
 * sink, and on an EventEmitter nothing measurable (a one-off harness, not part of `npm run bench`).
 */
export class AttemptAbort extends EventEmitter {
  private abortReason: unknown;
  private isAborted = false;

  get aborted(): boolean {
    return this.isAborted;
  }

  get reason(): unknown {
    return this.abortReason;
  }

  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.emit("abort");
  }

  throwIfAborted(): void {
    if (this.isAborted) throw this.abortReason;
  }
}

/**
 * One attempt's abort signal: it aborts when the caller's signal does, or with ATTEMPT_TIMED_OUT when the attempt
 * outlives its deadline. Reused by the next attempt made under the same caller's signal once this one is released,
 * unless it aborted.
 */
export interface AttemptSignal {
  readonly signal: AttemptAbort;
  /** The attempt is over: the deadline no longer applies, and the signal may serve the next attempt. */
  release(): void;
}

/**
 * Hands out attempt signals with an exact deadline (a native timer, like Go's http.Client.Timeout in Knative)
 * without a new AbortController, timer and listener per attempt: in a bare undici client posting to the bench sink
 * they added ~25 µs of CPU per request and took ~15% off its rate (a one-off harness, not part of `npm run bench`).
 * A signal is kept per caller's signal (a lane's batch, in the poller), so the one listener that forwards the
 * caller's abort is added once, and its timer is re-armed with refresh().
 */
export class AttemptSignals {
  private readonly idle = new WeakMap<AbortSignal, ReusableAttempt[]>();

  constructor(private readonly timeoutMs: number) {}

  acquire(outer: AbortSignal): AttemptSignal {
    let pool = this.idle.get(outer);
    if (pool === undefined) {
      pool = [];
      this.idle.set(outer, pool);
    }
    const attempt = pool.pop() ?? new ReusableAttempt(outer, this.timeoutMs, pool);
    attempt.arm();
    return attempt;
  }
}

class ReusableAttempt implements AttemptSignal {
  readonly signal = new AttemptAbort();
  private readonly forwardAbort = () => this.signal.abort(this.outer.reason);
  private timer: NodeJS.Timeout | undefined;
  private armed = false;

  constructor(
    private readonly outer: AbortSignal,
    private readonly timeoutMs: number,
    private readonly pool: ReusableAttempt[],
  ) {
    outer.addEventListener("abort", this.forwardAbort, { once: true });
  }

  arm(): void {
    this.armed = true;
    if (this.timeoutMs <= 0) return;
    if (this.timer === undefined) {
      // A timer left to fire after release() finds the attempt disarmed and does nothing; unref'd, it never keeps
      // the process alive (an attempt in flight does that through its socket).
      this.timer = setTimeout(() => {
        if (this.armed) this.signal.abort(ATTEMPT_TIMED_OUT);
      }, this.timeoutMs).unref();
    } else {
      this.timer.refresh();
    }
  }

  release(): void {
    if (!this.armed) return;
    this.armed = false;
    if (!this.signal.aborted) {
      this.pool.push(this);
      return;
    }
    // Spent: an aborted signal cannot serve another attempt.
    clearTimeout(this.timer);
    this.outer.removeEventListener("abort", this.forwardAbort);
  }
}
