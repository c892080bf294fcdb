// A real dsp-sink process for benchmarks (the compiled CLI), on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The compiled tree: this file's own when it runs from dist/bench, else dist/ next to bench/. */
export const DIST = existsSync(path.join(HERE, '../sink/cli.js')) ? path.join(HERE, '..') : path.join(HERE, '../dist');
export const BENCH_OPERATOR_TOKEN = 'bench-operator-token-0123456789';

export interface SinkProcess {
  process: ChildProcess;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

export async function startSinkProcess(db: string): Promise<SinkProcess> {
  const child = spawn(process.execPath, [path.join(DIST, 'sink/cli.js'), '--db', db, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DSP_OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`dsp-sink exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg !== 'listening') return;
      // From here on the logs are only drained: parsing them would take CPU from the benchmark.
      lines.close();
      child.stdout!.resume();
      resolve({ process: child, url: entry.url!, stop });
    });
  });
}
