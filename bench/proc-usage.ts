// Resident memory and CPU time of a process, read from /proc as `top` and `ps` do (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Usage {
  /** Highest VmRSS seen, MiB. */
  peakRssMb: number;
  /**
   * CPU time (user + system) over wall time: 0.01 is 1% of one core. At least one clock tick over the
   * window, the resolution of /proc: an idle process often uses less, and a ratio against 0 means nothing.
   */
  cpuShare: number;
  /**
   * Voluntary context switches per second of the main thread (/proc/PID/status): how often the event loop
   * went to sleep and was woken (a timer, a socket, a finished fsync), the wake-ups that cost a small board
   * its sleep states.
   */
  wakeupsPerS: number;
  /** The same summed over every thread of the process (libuv's pool, LevelDB's compaction, V8's workers). */
  allThreadWakeupsPerS: number;
  /** CPU seconds (user + system) over the window. */
  cpuSeconds: number;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) a process used so far. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime: fields 14 and 15
}

function voluntarySwitches(statusFile: string): number {
  try {
    const match = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(statusFile, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // a thread that ended meanwhile
  }
}

/** The main thread's voluntary context switches, and those of every thread alive now. */
function switches(pid: number): { main: number; threads: Map<string, number> } {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`))
    threads.set(tid, voluntarySwitches(`/proc/${pid}/task/${tid}/status`));
  return { main: voluntarySwitches(`/proc/${pid}/status`), threads };
}

/** Switches of the threads over the window (a thread born meanwhile counts from 0). */
function threadSwitchesSince(before: Map<string, number>, after: Map<string, number>): number {
  let n = 0;
  for (const [tid, count] of after) n += count - (before.get(tid) ?? 0);
  return n;
}

/** Samples a process's VmRSS each `everyMs` until stop(), which returns the highest seen (MiB). */
export function sampleRssPeak(pid: number, everyMs = 1000): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Samples each process once a second for `seconds`; all are measured over the same window. */
export async function measureUsage(pids: number[], seconds: number): Promise<Usage[]> {
  const startCpu = pids.map(cpuSecondsOf);
  const startSwitches = pids.map(switches);
  const peaks = pids.map(rssMb);
  const started = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(Math.min(1000, end - Date.now()));
    pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(pid))));
  }
  const endSwitches = pids.map(switches);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const resolution = 1 / CLOCK_TICKS / wall;
  return pids.map((pid, i) => {
    const cpu = cpuSecondsOf(pid) - startCpu[i]!;
    return {
      peakRssMb: peaks[i]!,
      cpuShare: Math.max(resolution, cpu / wall),
      cpuSeconds: cpu,
      wakeupsPerS: (endSwitches[i]!.main - startSwitches[i]!.main) / wall,
      allThreadWakeupsPerS: threadSwitchesSince(startSwitches[i]!.threads, endSwitches[i]!.threads) / wall,
    };
  });
}
