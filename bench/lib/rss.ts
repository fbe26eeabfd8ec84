import { readFileSync } from "node:fs";

/** VmRSS of a process in MB, from /proc (Linux); undefined once it has exited. */
export function readRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface RssSample {
  /** performance.now() when taken. */
  readonly atMs: number;
  readonly mb: number;
}

/** Samples a process's RSS every `everyMs` until stopped; bounded by `maxSamples`. */
export function sampleRss(pid: number, everyMs = 200, maxSamples = 10_000) {
  const samples: RssSample[] = [];
  const timer = setInterval(() => {
    const mb = readRssMb(pid);
    if (mb !== undefined && samples.length < maxSamples) samples.push({ atMs: performance.now(), mb });
  }, everyMs);
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}
