// Resident memory and CPU time of a process, read from /proc as `top` and `ps` do (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU seconds (user + system) a process used so far. */
export function cpuSecondsOf(pid) {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop().trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime: fields 14 and 15
}
function voluntarySwitches(statusFile) {
    try {
        const match = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(statusFile, 'utf8'));
        return match ? Number(match[1]) : 0;
    }
    catch {
        return 0; // a thread that ended meanwhile
    }
}
/** The main thread's voluntary context switches, and those of every thread alive now. */
function switches(pid) {
    const threads = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`))
        threads.set(tid, voluntarySwitches(`/proc/${pid}/task/${tid}/status`));
    return { main: voluntarySwitches(`/proc/${pid}/status`), threads };
}
/** Switches of the threads over the window (a thread born meanwhile counts from 0). */
function threadSwitchesSince(before, after) {
    let n = 0;
    for (const [tid, count] of after)
        n += count - (before.get(tid) ?? 0);
    return n;
}
function rssMb(pid) {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
}
/** Samples each process once a second for `seconds`; all are measured over the same window. */
export async function measureUsage(pids, seconds) {
    const startCpu = pids.map(cpuSecondsOf);
    const startSwitches = pids.map(switches);
    const peaks = pids.map(rssMb);
    const started = process.hrtime.bigint();
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
        await sleep(Math.min(1000, end - Date.now()));
        pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i], rssMb(pid))));
    }
    const endSwitches = pids.map(switches);
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const resolution = 1 / CLOCK_TICKS / wall;
    return pids.map((pid, i) => {
        const cpu = cpuSecondsOf(pid) - startCpu[i];
        return {
            peakRssMb: peaks[i],
            cpuShare: Math.max(resolution, cpu / wall),
            cpuSeconds: cpu,
            wakeupsPerS: (endSwitches[i].main - startSwitches[i].main) / wall,
            allThreadWakeupsPerS: threadSwitchesSince(startSwitches[i].threads, endSwitches[i].threads) / wall,
        };
    });
}
//# sourceMappingURL=proc-usage.js.map