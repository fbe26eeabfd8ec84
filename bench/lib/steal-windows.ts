import { type MachineJiffies, machineJiffies, stealShare } from "./proc-cpu";

/** A window counts as steal-free when the hypervisor took at most this share of the machine's time in it. */
export const STEAL_FREE_MAX_SHARE = 0.01;
/** Fewer steal-free seconds than this in a drain give no steal-free rate (too little to be a rate). */
export const MIN_STEAL_FREE_SECONDS = 2;
/** Steal and events are sampled, and judged, in windows of this length. */
export const WINDOW_MS = 500;

/** One reading: when, how many events the sink had counted, the machine's jiffies. */
export interface Sample {
  readonly at: number;
  readonly events: number;
  readonly jiffies: MachineJiffies;
}

export interface StealReport {
  /** Events per second over the half-second windows with at most 1% steal; NaN if they add up to under 2 s. */
  readonly stealFreeRate: number;
  readonly stealFreeSeconds: number;
}

/**
 * Samples, every half second while a drain runs, the events the sink has counted and the machine's steal time. On this
 * shared VM the hypervisor sometimes takes a third or more of the machine for a few seconds, and a drain's rate
 * falls with it; the limit it is compared with was measured at another moment. The steal-free windows show what the
 * same drain did while the machine was its own.
 */
export class StealWindows {
  private readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly events: () => number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), WINDOW_MS).unref();
  }

  /** Stops sampling; judges the whole windows between the first event's arrival and the last's. */
  report(firstAt: number, lastAt: number): StealReport {
    this.close();
    return judgeWindows(this.samples, firstAt, lastAt);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    this.samples.push({ at: performance.now(), events: this.events(), jiffies: machineJiffies() });
  }
}

/** The steal report of samples taken every half second: only whole windows inside [firstAt, lastAt] count. */
export function judgeWindows(samples: readonly Sample[], firstAt: number, lastAt: number): StealReport {
  const inDrain = samples.filter((s) => s.at >= firstAt && s.at <= lastAt);
  let stealFreeMs = 0;
  let stealFreeEvents = 0;
  for (let i = 1; i < inDrain.length; i++) {
    const from = inDrain[i - 1] as Sample;
    const to = inDrain[i] as Sample;
    if (!(stealShare(from.jiffies, to.jiffies) <= STEAL_FREE_MAX_SHARE)) continue;
    stealFreeMs += to.at - from.at;
    stealFreeEvents += to.events - from.events;
  }
  const stealFreeSeconds = stealFreeMs / 1000;
  return {
    stealFreeRate:
      stealFreeSeconds >= MIN_STEAL_FREE_SECONDS ? stealFreeEvents / stealFreeSeconds : Number.NaN,
    stealFreeSeconds,
  };
}
