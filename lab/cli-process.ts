// Running the compiled CLIs (dist/.../cli.js) as real processes, as systemd or a user would: the one place
// that spawns one and waits for its ready log line, and the one that runs one to its end.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface CliProcess {
  child: ChildProcess;
  /** The JSON log line that said it is ready (the sink's "listening", the agent's "agent started"). */
  ready: Record<string, unknown>;
  /** Every JSON log line printed so far (only up to the ready line when `keepLogs` is false). */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  /** SIGTERM and wait; SIGKILL after `graceMs`. Resolves with the exit code (null if killed by a signal). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartCliOptions {
  /** The `msg` of the JSON log line that says the program is ready. */
  readyMsg: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** node flags before the script (`--max-old-space-size=...`, as the systemd unit runs it). */
  nodeFlags?: string[];
  /** Append stdout and stderr to this file (the demo keeps its terminal for its own summary). */
  logFile?: string;
  /** Own process group: a Ctrl-C in the terminal reaches only the parent, which stops the child itself. */
  detached?: boolean;
  /** Parse every log line into `logs` (default); false drains them unparsed after the ready line (benchmarks). */
  keepLogs?: boolean;
}

/** Starts `node [flags] CLI ARGS` and resolves once it printed the JSON log line whose `msg` is `readyMsg`. */
export function startCli(cli: string, args: string[], o: StartCliOptions): Promise<CliProcess> {
  const child = spawn(process.execPath, [...(o.nodeFlags ?? []), cli, ...args], {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: o.detached ?? false,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const log = o.logFile ? createWriteStream(o.logFile, { flags: 'a' }) : undefined;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString();
    log?.write(chunk);
  });
  if (log) child.stdout!.on('data', (chunk: Buffer) => log.write(chunk));
  void exited.then(() => log?.end());
  const logs: Record<string, unknown>[] = [];
  const stop = async (graceMs = 10_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    let ready: Record<string, unknown> | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const entry = parseJsonLine(line);
      if (!entry) return;
      logs.push(entry);
      if (ready || entry.msg !== o.readyMsg) return;
      ready = entry;
      if (o.keepLogs === false) {
        lines.close();
        child.stdout!.resume();
      }
      resolve({ child, ready, logs, exited, stop });
    });
    void exited.then((code) => {
      if (!ready) reject(new Error(`${cli} exited (${code}) before it was ready: ${stderr}`));
    });
  });
}

/** Runs `node CLI ARGS` to its end (killed after `timeoutMs`, 0 = never): its exit code and output. */
export function runCliToEnd(
  cli: string,
  args: string[],
  o: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...o.env }, timeout: o.timeoutMs ?? 0, killSignal: 'SIGKILL', cwd: o.cwd },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not a log line
  }
}
