// Runs the shipped agent (dist/agent/cli.js) as a real process for fault tests.

import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyToml } from 'smol-toml';
import { memoryLogger } from '../../../common/log.js';
import { DurableQueue } from '../../../agent/queue/durable-queue.js';
import { distPath } from '../repo-root.js';

export const AGENT_CLI = distPath('agent', 'cli.js');

export interface RunningAgent {
  child: ChildProcess;
  statusUrl: string;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

type Section = Record<string, string | number | boolean>;

/**
 * Writes a config for tests: simulated sonde at 0.1 s, uploads every 0.3 s, short timeouts and backoff,
 * status on a free port. `sections` replace single keys (`{ sonde: { simulate: false, port: '/dev/..' } }`).
 */
export function writeAgentConfig(
  file: string,
  o: { dataDir: string; sinkUrl: string; gatewayId: string; token: string; sections?: Record<string, Section> },
): void {
  const config: Record<string, Section> = {
    gateway: { id: o.gatewayId, token: o.token, data_dir: o.dataDir, log_level: 'info' },
    sonde: { simulate: true, interval_s: 0.1 },
    queue: { group_commit_ms: 5 },
    upload: {
      interval_s: 0.3,
      max_messages: 25,
      backoff_base_s: 0.05,
      backoff_cap_s: 0.5,
      connect_timeout_s: 2,
      request_timeout_s: 5,
    },
    status: { listen: '127.0.0.1:0' },
  };
  for (const [name, keys] of Object.entries(o.sections ?? {})) config[name] = { ...config[name], ...keys };
  writeFileSync(file, stringifyToml({ ...config, destinations: [{ name: 'sink', url: o.sinkUrl }] }));
}

/** Starts the agent and resolves once it logged "agent started" (with its status address). */
export function startAgent(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<RunningAgent> {
  const child = spawn(process.execPath, [AGENT_CLI, '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'agent started') resolve({ child, statusUrl: String(entry.status), logs, exited });
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`agent exited (${code}) before starting: ${stderr}`)));
  });
}

export async function killHard(agent: RunningAgent): Promise<void> {
  agent.child.kill('SIGKILL');
  await agent.exited;
}

/** After the agent exited: the destination's last assigned sequence and the sequences still queued on disk. */
export async function queuedSequences(
  dataDir: string,
  destination = 'sink',
): Promise<{ last: number; remaining: number[]; recovered: boolean }> {
  const queue = await DurableQueue.open({
    dir: path.join(dataDir, 'queues', destination),
    name: destination,
    limits: { maxMessages: 1e7, maxBytes: 1e12, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger: memoryLogger().logger,
  });
  try {
    const remaining = (await queue.oldest({ maxMessages: 1e7, maxBytes: 1e12 })).map((e) => e.message.sequence!);
    return { last: queue.stats().lastSequence, remaining, recovered: queue.recovery !== undefined };
  } finally {
    await queue.close();
  }
}
