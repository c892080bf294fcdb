// Real dsp-sink and dsp-agent processes for benchmarks (the compiled CLIs), on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The compiled tree: this file's own when it runs from dist/bench, else dist/ next to bench/. */
export const DIST = existsSync(path.join(HERE, '../sink/cli.js')) ? path.join(HERE, '..') : path.join(HERE, '../dist');
export const BENCH_OPERATOR_TOKEN = 'bench-operator-token-0123456789';

export interface RunningProcess {
  process: ChildProcess;
  /** The URL the process logged when ready: the sink's base URL, the agent's status listener. */
  url: string;
  /** SIGTERM, and resolves once it exited. */
  stop(): Promise<void>;
}

export function startSinkProcess(db: string): Promise<RunningProcess> {
  return startLogged(
    ['sink/cli.js', '--db', db, '--port', '0', '--host', '127.0.0.1'],
    { DSP_OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN },
    'listening',
    'url',
  );
}

export interface AgentBenchConfig {
  dataDir: string;
  /** The sink's base URL. */
  sinkUrl: string;
  gatewayId: string;
  token: string;
  uploadIntervalS: number;
  /** upload.max_in_flight; the agent's default when absent. */
  maxInFlight?: number;
}

/**
 * An agent with the shipped defaults except: its sonde is the in-process simulator at 1 Hz, the upload
 * interval is `uploadIntervalS` (so a drain does not end with a minute's wait for its last partial
 * container), and the status listener takes a free port.
 */
export function startAgentProcess(configFile: string, c: AgentBenchConfig): Promise<RunningProcess> {
  writeFileSync(
    configFile,
    `[gateway]
id = "${c.gatewayId}"
token = "${c.token}"
data_dir = "${c.dataDir}"
[sonde]
simulate = true
interval_s = 1
[[destinations]]
name = "sink"
url = "${new URL('/transportDspMessages', c.sinkUrl).href}"
[upload]
interval_s = ${c.uploadIntervalS}
${c.maxInFlight === undefined ? '' : `max_in_flight = ${c.maxInFlight}\n`}[status]
listen = "127.0.0.1:0"
`,
  );
  const unit = agentUnitSettings();
  return startLogged(['agent/cli.js', '--config', configFile], unit.env, 'agent started', 'status', unit.nodeFlags);
}

/**
 * The node flags and environment systemd/dsp-agent.service runs the agent with (ExecStart's flags before
 * the script, Environment= lines): the benchmark measures the agent as it is installed.
 */
export function agentUnitSettings(unitFile = path.join(DIST, '..', 'systemd', 'dsp-agent.service')): {
  nodeFlags: string[];
  env: NodeJS.ProcessEnv;
} {
  const lines = readFileSync(unitFile, 'utf8').split('\n');
  const exec = lines.find((l) => l.startsWith('ExecStart='));
  const words = exec?.slice('ExecStart='.length).trim().split(/\s+/) ?? [];
  const nodeAt = words.indexOf('node');
  const scriptAt = words.findIndex((w) => w.endsWith('cli.js'));
  if (nodeAt < 0 || scriptAt < nodeAt) throw new Error(`${unitFile}: no ExecStart running node on the agent's cli.js`);
  const env: NodeJS.ProcessEnv = {};
  for (const l of lines.filter((l) => l.startsWith('Environment='))) {
    const [name, ...value] = l.slice('Environment='.length).trim().split('=');
    env[name!] = value.join('=');
  }
  return { nodeFlags: words.slice(nodeAt + 1, scriptAt), env };
}

/** Spawns a CLI and resolves when it logs `readyMsg`, with the URL in the log line's `urlField`. */
function startLogged(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyMsg: string,
  urlField: string,
  nodeFlags: string[] = [],
): Promise<RunningProcess> {
  const [cli, ...rest] = args;
  const child = spawn(process.execPath, [...nodeFlags, path.join(DIST, cli!), ...rest], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${cli} exited with ${code} before it was ready`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg !== readyMsg) return;
      // From here on the logs are only drained: parsing them would take CPU from the benchmark.
      lines.close();
      child.stdout!.resume();
      resolve({ process: child, url: String(entry[urlField]), stop });
    });
  });
}
