// The simulated sonde as its own process (`dsp-sonde sim --record FILE`): the record is the oracle of the
// end-to-end tests, one JSON line per row the sonde printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { SimulatedReading } from '../drivers/simulator/sonde-simulator.js';
import { distPath } from './repo-root.js';

export const SONDE_CLI = distPath('drivers', 'cli.js');

export interface SondeProcess {
  child: ChildProcess;
  recordFile: string;
  /** Every row printed so far, in order. */
  emitted(): SimulatedReading[];
  /** SIGTERM and wait: the record file is complete afterwards. */
  stop(): Promise<number | null>;
}

export function startSondeProcess(o: {
  port: string;
  recordFile: string;
  intervalS: number;
  seed: number;
  faults?: string;
}): SondeProcess {
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
  if (o.faults) args.push('--faults', o.faults);
  const child = spawn(process.execPath, [SONDE_CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    recordFile: o.recordFile,
    emitted: () =>
      existsSync(o.recordFile)
        ? readFileSync(o.recordFile, 'utf8')
            .split('\n')
            .filter((line) => line.endsWith('}')) // a line being written right now is not complete yet
            .map((line) => JSON.parse(line) as SimulatedReading)
        : [],
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
