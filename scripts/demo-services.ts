// The demo's child processes: the shipped dsp-sink and dsp-agent run as their own processes, logging
// JSON lines into files under the data directory, so the demo's terminal shows only its own summary.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SINK_CLI = path.join(ROOT, 'dist', 'sink', 'cli.js');
export const AGENT_CLI = path.join(ROOT, 'dist', 'agent', 'cli.js');

export interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Runs a CLI to completion (killed after `timeoutMs`, 0 = never); resolves with its exit code and output. */
export function runCli(
  cli: string,
  args: string[],
  timeoutMs = 0,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Starts `node CLI ARGS` with its output appended to LOGFILE and resolves with the first JSON log line
 * whose `msg` is `readyMsg` (the sink's "listening", the agent's "agent started").
 * The child gets its own process group: a Ctrl-C in the terminal reaches only the demo, which then stops
 * the agent before the sink, so the agent's last upload is not cut off by a sink already gone.
 */
export function startService(
  name: string,
  cli: string,
  args: string[],
  logFile: string,
  readyMsg: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ service: Service; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service: Service = { name, child, exited };
  return new Promise((resolve, reject) => {
    let buffer = '';
    let ready = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (ready) return;
      buffer += chunk.toString();
      let nl;
      while (!ready && (nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const entry = parseJson(line);
        if (entry?.msg === readyMsg) {
          ready = true;
          resolve({ service, ready: entry });
        }
      }
    });
    void exited.then((code) => {
      log.end();
      if (!ready) reject(new Error(`${name} exited (code ${code}) before it was ready; see ${logFile}`));
    });
  });
}

/** SIGTERM, then wait; a service that does not stop within `graceMs` is killed. */
export async function stopService(service: Service, graceMs = 10_000): Promise<number | null> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return service.exited;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  const code = await service.exited;
  clearTimeout(timer);
  return code;
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
