import { readdirSync, readFileSync } from "node:fs";

/**
 * What the gateway process and the machine did over a measured run, read from Linux /proc (zeros where it is
 * unavailable): the process's CPU in all threads, its main thread's (the task whose id is the pid; Node names
 * every thread "node", so the rest — GC helpers, the libuv pool, worker threads — is reported together) time on a
 * core and waiting for one (schedstat: its time on a core is the thread's CPU time, in ns rather than ticks), and
 * the machine's idle and iowait shares (/proc/stat).
 * Issue 12 item 5: the figure says what limited it — a saturated thread, a contended machine, or neither.
 */
export interface ProcSample {
  /** When it was taken (ms, monotonic). */
  at: number;
  /** User + system CPU seconds, all threads. */
  total: number;
  /** Seconds the main thread ran on a core (its CPU time), and seconds it was runnable but waited for one. */
  mainRun: number;
  mainWait: number;
  /** Machine-wide jiffies: all, idle, iowait. */
  machine: { all: number; idle: number; iowait: number };
  /** User + system CPU seconds of each thread by task id (only in the first and last samples). */
  threads?: Map<number, number>;
}

function sampleProc(pid: number | undefined, withThreads = false): ProcSample {
  const [run, wait] = schedstat(`/proc/${pid}/task/${pid}/schedstat`);
  return {
    at: performance.now(),
    total: statCpu(`/proc/${pid}/stat`),
    mainRun: run,
    mainWait: wait,
    machine: machineJiffies(),
    ...(withThreads ? { threads: threadCpu(pid) } : {}),
  };
}

function threadCpu(pid: number | undefined): Map<number, number> {
  const cpu = new Map<number, number>();
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      cpu.set(Number(task), statCpu(`/proc/${pid}/task/${task}/stat`));
  } catch {}
  return cpu;
}

/**
 * The threads other than the main one by CPU seconds between two samples, busiest first. Node gives every
 * thread the name "node", so they are told apart by their share alone: under ingest the busiest is the writer.
 */
export function otherThreads(first: ProcSample, last: ProcSample, mainPid: number | undefined): number[] {
  const spent: number[] = [];
  for (const [task, seconds] of last.threads ?? new Map<number, number>())
    if (task !== mainPid) spent.push(seconds - (first.threads?.get(task) ?? 0));
  return spent.filter((s) => s > 0).sort((a, b) => b - a);
}

/**
 * Samples every `everyMs` while a load runs; `stop` gives the first and last samples (the run's CPU) and a line
 * on the intervals. The load generator spends a second or more reading its bodies before it sends anything, so
 * the shares are taken over the half-second intervals in which the gateway was under load (its main thread on a
 * core ≥ 30 % of the interval) and reported as their median.
 */
export function sampleDuring(
  pid: number | undefined,
  everyMs = 500,
): { stop(): { first: ProcSample; last: ProcSample; description: string | undefined } } {
  const samples = [sampleProc(pid, true)];
  const timer = setInterval(() => samples.push(sampleProc(pid)), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(sampleProc(pid, true));
      return { first: samples[0]!, last: samples.at(-1)!, description: describeIntervals(samples) };
    },
  };
}

function describeIntervals(samples: ProcSample[]): string | undefined {
  const intervals = samples.slice(1).map((after, i) => {
    const before = samples[i]!;
    const seconds = (after.at - before.at) / 1000;
    const all = after.machine.all - before.machine.all;
    const run = (after.mainRun - before.mainRun) / seconds;
    const wait = (after.mainWait - before.mainWait) / seconds;
    const idle = all > 0 ? (after.machine.idle - before.machine.idle) / all : 0;
    const iowait = all > 0 ? (after.machine.iowait - before.machine.iowait) / all : 0;
    return { run, wait, idle, iowait };
  });
  const loaded = intervals.filter((i) => i.run >= 0.3);
  if (!loaded.length || samples[0]!.mainRun === 0) return undefined;
  const median = (pick: (i: (typeof loaded)[number]) => number) => {
    const sorted = loaded.map(pick).sort((a, b) => a - b);
    return `${Math.round(100 * sorted[Math.floor(sorted.length / 2)]!)}%`;
  };
  return (
    `under load (median of ${loaded.length} half-second intervals): main thread on a core ${median((i) => i.run)}, ` +
    `runnable but waiting for a core ${median((i) => i.wait)}, blocked ${median((i) => Math.max(0, 1 - i.run - i.wait))}; ` +
    `machine idle ${median((i) => i.idle)}, iowait ${median((i) => i.iowait)} (the load generator included)`
  );
}

function statCpu(path: string): number {
  try {
    const fields = readFileSync(path, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

/** schedstat: nanoseconds on a core, nanoseconds waiting on a run queue, time slices. */
function schedstat(path: string): [number, number] {
  try {
    const [run, wait] = readFileSync(path, "utf8").trim().split(" ").map(Number);
    return [(run ?? 0) / 1e9, (wait ?? 0) / 1e9];
  } catch {
    return [0, 0];
  }
}

/** The first line of /proc/stat: user nice system idle iowait irq softirq steal … in jiffies. */
function machineJiffies(): ProcSample["machine"] {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { all: fields.reduce((a, b) => a + b, 0), idle: fields[3] ?? 0, iowait: fields[4] ?? 0 };
  } catch {
    return { all: 0, idle: 0, iowait: 0 };
  }
}
