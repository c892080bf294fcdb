// Resident memory and CPU time of a process, read from /proc as `top` and `ps` do (Linux only).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Usage {
  /** Highest VmRSS seen, MiB. */
  peakRssMb: number;
  /**
   * CPU time (user + system) over wall time: 0.01 is 1% of one core. At least one clock tick over the
   * window, the resolution of /proc: an idle process often uses less, and a ratio against 0 means nothing.
   */
  cpuShare: number;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime: fields 14 and 15
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Samples each process once a second for `seconds`; all are measured over the same window. */
export async function measureUsage(pids: number[], seconds: number): Promise<Usage[]> {
  const startCpu = pids.map(cpuSeconds);
  const peaks = pids.map(rssMb);
  const started = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(Math.min(1000, end - Date.now()));
    pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(pid))));
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const resolution = 1 / CLOCK_TICKS / wall;
  return pids.map((pid, i) => ({
    peakRssMb: peaks[i]!,
    cpuShare: Math.max(resolution, (cpuSeconds(pid) - startCpu[i]!) / wall),
  }));
}
