// Running the compiled dsp-sink (dist/sink/cli.js) as a real process, as systemd or a user would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { distPath } from '../support/repo-root.js';

export const SINK_CLI = distPath('sink', 'cli.js');

export function runSinkCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A command that should end but serves instead (a setting wrongly accepted) must not outlive the test.
    const options = {
      env: { ...process.env, ...env },
      timeout: 20_000,
      killSignal: 'SIGKILL' as const,
      ...(cwd === undefined ? {} : { cwd }),
    };
    execFile(process.execPath, [SINK_CLI, ...args], options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface SinkProcess {
  process: ChildProcess;
  url: string;
  /** Every JSON log line printed so far. */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts `dsp-sink --db DB --port 0 --host 127.0.0.1 ...` and waits for its "listening" log line. */
export function spawnSink(db: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SinkProcess> {
  const child = spawn(process.execPath, [SINK_CLI, '--db', db, '--port', '0', '--host', '127.0.0.1', ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening') resolve({ process: child, url: String(entry.url), logs, exited });
    });
    void exited.then((code) => reject(new Error(`dsp-sink exited (${code}) before listening: ${stderr}`)));
  });
}
