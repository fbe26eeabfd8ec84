import { BATCH_GOAL_OF_RAW_READ, BINARY_GOAL_OF_LIMIT, MAX_JUDGED_STEAL_PERCENT } from "./goals";
import { imageNodeMajor } from "./image-node";
import { imageNodeFlags, imageRuntimeEnv } from "./image-runtime";
import type { ModeConfig } from "./modes";
import { MIN_STEAL_FREE_SECONDS, STEAL_FREE_MAX_SHARE, WINDOW_MS } from "./steal-windows";
import { IDEAL_CLIENT_WARM_UP_REQUESTS, WARM_UP_EVENTS } from "./warm-up";

/**
 * How the figures were measured, written next to them: a results file read on its own (or against one from an
 * older bench) says which sizes, limits and steal rules produced it, not only the README of the day.
 */
export interface BenchMethod {
  /** The mode's sizes: items, repetitions, the ideal client's events and minimum timed seconds, and so on. */
  readonly config: ModeConfig;
  /** The Node.js major the image runs; `machine.node` says what this run ran on (the same, unless --this-node). */
  readonly imageNodeMajor: number;
  /** The Node.js flags every poller ran with: the image's ENTRYPOINT, read from the Dockerfile. */
  readonly pollerNodeFlags: readonly string[];
  /** The environment the image's runtime stage sets (its ENV), which every poller ran with too. */
  readonly pollerImageEnv: Readonly<Record<string, string>>;
  /** Events the warm figures leave out at their start (the delivery side alone, the poller's warm rate). */
  readonly warmUpEvents: number;
  /** Untimed requests before the ideal client's timed passes. */
  readonly idealClientWarmUpRequests: number;
  readonly steal: {
    /** Events and steal are sampled in windows of this length. */
    readonly windowMs: number;
    /** A window is steal-free with at most this share of the machine's time stolen. */
    readonly stealFreeMaxShare: number;
    /** Under this many steal-free seconds a run has no steal-free rate. */
    readonly minStealFreeSeconds: number;
    /** A ratio goal is not judged when either side's median steal is above this. */
    readonly maxJudgedStealPercent: number;
  };
  readonly goals: {
    /** Binary drain against min(raw read, raw sink). */
    readonly binaryOfLimit: number;
    /** Batch drain against the raw read loop. */
    readonly batchOfRawRead: number;
  };
}

export function describeMethod(config: ModeConfig): BenchMethod {
  return {
    config,
    imageNodeMajor: imageNodeMajor(),
    pollerNodeFlags: imageNodeFlags(),
    pollerImageEnv: imageRuntimeEnv(),
    warmUpEvents: WARM_UP_EVENTS,
    idealClientWarmUpRequests: IDEAL_CLIENT_WARM_UP_REQUESTS,
    steal: {
      windowMs: WINDOW_MS,
      stealFreeMaxShare: STEAL_FREE_MAX_SHARE,
      minStealFreeSeconds: MIN_STEAL_FREE_SECONDS,
      maxJudgedStealPercent: MAX_JUDGED_STEAL_PERCENT,
    },
    goals: { binaryOfLimit: BINARY_GOAL_OF_LIMIT, batchOfRawRead: BATCH_GOAL_OF_RAW_READ },
  };
}
