import os from "node:os";

const loadAtStart = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;

/** What every figure is measured on: reported next to the results. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    /** 1-minute load average when the bench started and ended: above the core count, figures are noisy. */
    loadAverage: { start: loadAtStart, end: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
  };
}
