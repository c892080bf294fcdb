// The simulated sonde as its own process (`dsp-sonde sim --record FILE`): the record is the oracle of the
// end-to-end tests, one JSON line per row the sonde printed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { distPath } from './repo-root.js';
export const SONDE_CLI = distPath('drivers', 'cli.js');
export function startSondeProcess(o) {
    const args = [
        'sim',
        '--port',
        o.port,
        '--interval',
        String(o.intervalS),
        '--seed',
        String(o.seed),
        '--record',
        o.recordFile,
    ];
    if (o.faults)
        args.push('--faults', o.faults);
    const child = spawn(process.execPath, [SONDE_CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.resume();
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    return {
        child,
        recordFile: o.recordFile,
        emitted: () => existsSync(o.recordFile)
            ? readFileSync(o.recordFile, 'utf8')
                .split('\n')
                .filter((line) => line.endsWith('}')) // a line being written right now is not complete yet
                .map((line) => JSON.parse(line))
            : [],
        async stop() {
            if (child.exitCode === null && child.signalCode === null)
                child.kill('SIGTERM');
            return exited;
        },
    };
}
//# sourceMappingURL=sonde-process.js.map