import { readFileSync } from "node:fs";

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process's CPU seconds so far: all of it, and its main thread's (JavaScript, and GC pauses on that thread). */
export interface ThreadCpu {
  readonly seconds: number;
  readonly mainThreadSeconds: number;
}

/**
 * CPU seconds (user + system) of a live process and of its main thread (the thread whose id is the process id);
 * the difference is its other threads': V8's GC and compiler workers, libuv's pool. Undefined once it has exited.
 */
export function threadCpuSeconds(pid: number): ThreadCpu | undefined {
  const seconds = statCpuSeconds(`/proc/${pid}/stat`);
  const mainThreadSeconds = statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
  return seconds === undefined || mainThreadSeconds === undefined
    ? undefined
    : { seconds, mainThreadSeconds };
}

/** The CPU seconds a /proc `stat` file records; undefined once its process or thread has exited. */
function statCpuSeconds(file: string): number | undefined {
  try {
    const stat = readFileSync(file, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Jiffies of all cores so far, from /proc/stat. */
export interface MachineJiffies {
  /** user, nice, system, irq, softirq (guest time is already inside user and nice). */
  readonly busy: number;
  /** busy plus idle and iowait. */
  readonly total: number;
  /**
   * Time the hypervisor gave to other guests while this machine had work to run. In neither busy nor total: it is
   * CPU this machine did not get, not work done here.
   */
  readonly steal: number;
}

export function machineJiffies(): MachineJiffies {
  const first = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = first
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, total: busy + idle + iowait, steal };
}

/** Share of the machine's time (all cores) stolen by the hypervisor between two readings; NaN if none passed. */
export function stealShare(from: MachineJiffies, to: MachineJiffies): number {
  const stolen = to.steal - from.steal;
  const elapsed = to.total - from.total + stolen;
  return elapsed > 0 ? stolen / elapsed : Number.NaN;
}

/** Share of the machine's CPU time (all cores) that was busy since `since`. */
export function machineBusySince(since: MachineJiffies): number {
  const now = machineJiffies();
  const total = now.total - since.total;
  return total > 0 ? (now.busy - since.busy) / total : Number.NaN;
}

/** CPU seconds the whole machine (every process and the kernel, all cores) was busy since `since`. */
export function machineCpuSecondsSince(since: MachineJiffies): number {
  return (machineJiffies().busy - since.busy) / TICKS_PER_SECOND;
}
