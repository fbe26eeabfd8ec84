import { expect } from "chai";
import { ATTEMPT_TIMED_OUT, AttemptSignals } from "../../../src/poller/delivery/attempt-signals";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("attempt signals", () => {
  it("serves sequential attempts under one caller's signal with one reused signal", () => {
    const attempts = new AttemptSignals(1_000);
    const outer = new AbortController().signal;
    const first = attempts.acquire(outer);
    first.release();
    const second = attempts.acquire(outer);
    expect(second.signal).to.equal(first.signal);
    second.release();
  });

  it("gives concurrent attempts distinct signals, and callers' signals distinct pools", () => {
    const attempts = new AttemptSignals(1_000);
    const outer = new AbortController().signal;
    const a = attempts.acquire(outer);
    const b = attempts.acquire(outer);
    const c = attempts.acquire(new AbortController().signal);
    expect(new Set([a.signal, b.signal, c.signal]).size).to.equal(3);
    for (const attempt of [a, b, c]) attempt.release();
  });

  it("aborts an attempt that outlives its deadline with ATTEMPT_TIMED_OUT, then never reuses it", async () => {
    const attempts = new AttemptSignals(30);
    const outer = new AbortController().signal;
    const attempt = attempts.acquire(outer);
    const started = performance.now();
    await new Promise((resolve) => attempt.signal.once("abort", resolve));
    expect(performance.now() - started).to.be.within(25, 500);
    expect(attempt.signal.reason).to.equal(ATTEMPT_TIMED_OUT);
    attempt.release();
    const next = attempts.acquire(outer);
    expect(next.signal).to.not.equal(attempt.signal);
    expect(next.signal.aborted).to.equal(false);
    next.release();
  });

  it("re-arms the deadline for each attempt: a released attempt's time does not count against the next", async () => {
    const attempts = new AttemptSignals(80);
    const outer = new AbortController().signal;
    const first = attempts.acquire(outer);
    await sleep(60);
    first.release();
    // Idle past the first attempt's deadline: the leftover timer fires and must find nothing armed.
    await sleep(60);
    const second = attempts.acquire(outer);
    expect(second.signal).to.equal(first.signal);
    expect(second.signal.aborted).to.equal(false);
    await sleep(50);
    expect(second.signal.aborted, "50 ms into an 80 ms deadline").to.equal(false);
    await sleep(80);
    expect(second.signal.reason).to.equal(ATTEMPT_TIMED_OUT);
    second.release();
  });

  it("forwards the caller's abort with its reason, to an attempt made before or after it was reused", () => {
    const attempts = new AttemptSignals(1_000);
    const controller = new AbortController();
    attempts.acquire(controller.signal).release();
    const attempt = attempts.acquire(controller.signal);
    const reason = new Error("shutting down");
    controller.abort(reason);
    expect(attempt.signal.reason).to.equal(reason);
    attempt.release();
  });

  it("ignores a second release, so one signal never serves two attempts at once", () => {
    const attempts = new AttemptSignals(1_000);
    const outer = new AbortController().signal;
    const attempt = attempts.acquire(outer);
    attempt.release();
    attempt.release();
    const a = attempts.acquire(outer);
    const b = attempts.acquire(outer);
    expect(a.signal).to.not.equal(b.signal);
    a.release();
    b.release();
  });
});
