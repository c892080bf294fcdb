// Real dsp-sink and dsp-agent processes for benchmarks (the compiled CLIs), on loopback.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAgentConfig } from '../lab/agent-process.js';
import { startCli } from '../lab/cli-process.js';
import { pollUntil } from '../lab/poll.js';
import { PtyCable } from '../lab/pty-cable.js';
import { AGENT_CLI, REPO_ROOT, SINK_CLI } from '../lab/repo-root.js';
import { startSondeProcess } from '../lab/sonde-process.js';

export const BENCH_OPERATOR_TOKEN = 'bench-operator-token-0123456789';

export interface RunningProcess {
  process: ChildProcess;
  /** The URL the process logged when ready: the sink's base URL, the agent's status listener. */
  url: string;
  /** SIGTERM, and resolves once it exited. */
  stop(): Promise<void>;
}

export async function startSinkProcess(db: string): Promise<RunningProcess> {
  const sink = await startCli(SINK_CLI, ['--db', db, '--port', '0', '--host', '127.0.0.1'], {
    readyMsg: 'listening',
    env: { DSP_OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN },
    keepLogs: false, // parsing every log line would take CPU from the benchmark
  });
  return { process: sink.child, url: String(sink.ready.url), stop: async () => void (await sink.stop()) };
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
  /** upload.backoff_base_s and backoff_cap_s; the agent's defaults when absent. */
  backoffS?: { base: number; cap: number };
  /**
   * sonde.port: a serial device the agent opens with its real binding, as deployed (the gateway end of a
   * pty cable, startSondeOnCable). Absent: the in-process simulator (sonde.simulate).
   */
  sondePort?: string;
}

/**
 * An agent with the shipped defaults except: its sonde at 1 Hz is `sondePort` or the in-process simulator, the upload
 * interval is `uploadIntervalS` (so a drain does not end with a minute's wait for its last partial
 * container), and the status listener takes a free port.
 */
export async function startAgentProcess(configFile: string, c: AgentBenchConfig): Promise<RunningProcess> {
  writeAgentConfig(configFile, {
    dataDir: c.dataDir,
    sinkUrl: new URL('/transportDspMessages', c.sinkUrl).href,
    gatewayId: c.gatewayId,
    token: c.token,
    fast: false,
    sections: {
      sonde: c.sondePort === undefined ? { interval_s: 1 } : { simulate: false, port: c.sondePort, interval_s: 1 },
      upload: {
        interval_s: c.uploadIntervalS,
        ...(c.maxInFlight === undefined ? {} : { max_in_flight: c.maxInFlight }),
        ...(c.backoffS === undefined ? {} : { backoff_base_s: c.backoffS.base, backoff_cap_s: c.backoffS.cap }),
      },
    },
  });
  const unit = agentUnitSettings();
  const agent = await startCli(AGENT_CLI, ['--config', configFile], {
    readyMsg: 'agent started',
    env: unit.env,
    nodeFlags: unit.nodeFlags,
    keepLogs: false,
  });
  return { process: agent.child, url: String(agent.ready.status), stop: async () => void (await agent.stop()) };
}

/**
 * The node flags and environment systemd/dsp-agent.service runs the agent with (ExecStart's flags before
 * the script, Environment= lines): the benchmark measures the agent as it is installed.
 */
export function agentUnitSettings(unitFile = path.join(REPO_ROOT, 'systemd', 'dsp-agent.service')): {
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

export interface SondeOnCable {
  /** The gateway end of the cable: the agent's sonde.port. */
  port: string;
  /** Stops the sonde process (SIGTERM) and pulls the cable. */
  stop(): Promise<void>;
}

/**
 * The simulated sonde as an instrument of its own, as lab/system.ts wires it: `dsp-sonde sim` at `intervalS`
 * in its own process on one end of a pty cable (lab/pty-cable.ts, relayed by this process), the other end
 * for the agent. Resolves once the sonde has powered on (its banner crossed the cable), so that an agent
 * started next finds it awake and its start is not the sonde process's start.
 */
export async function startSondeOnCable(dir: string, intervalS = 1): Promise<SondeOnCable> {
  const cable = await PtyCable.plug(dir);
  cable.hold();
  const sonde = startSondeProcess({
    port: cable.sondePath,
    recordFile: path.join(dir, 'sonde-record.jsonl'),
    intervalS,
    seed: 1,
  });
  const stop = async () => {
    await sonde.stop();
    await cable.close();
  };
  try {
    await pollUntil(
      () => cable.heldBytes,
      (n) => n > 0,
      30_000,
      20,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  cable.release();
  return { port: cable.gatewayPath, stop };
}

/**
 * The sum of a metric over its label sets that carry `only` on the agent's /metrics at `statusUrl` (0 before
 * its first increment).
 */
export async function agentMetric(statusUrl: string, name: string, only: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(new URL('/metrics', statusUrl))).text();
  const labels = Object.entries(only).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => labels.every((label) => l.includes(label)))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
