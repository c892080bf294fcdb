// The agent with a large backlog, as a real process (dist/agent/cli.js) next to a real dsp-sink process.
// The backlog is put into the agent's own queue through its sonde source, broker and DurableQueue
// (bench/agent-intake.ts); then, in this order (the agent's footprint while it waits is bench/agent-footprint.ts):
// 1. drain_local: the sink comes up; readings per second from the agent's start until the sink's
//    acknowledgeUntil covers the whole backlog, against the bare SQLite insert loop of the same rows in
//    containers of the agent's size. Target: the absolute 10,000 readings/s.
// 2. drain_slow_link: a smaller backlog through the fault proxy throttled to 384 kbit/s each way: the drain
//    time against its floor, the gzip'd request bytes the agent sent (its own dsp_agent_bytes_sent_total)
//    divided by the link rate. Target: within 1.25 times the floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultProxy } from '../lab/fault-proxy.js';
import { fillBacklog } from './agent-intake.js';
import { makeFigure, type BenchOptions, type Figure } from './figure.js';
import { registerGateways } from './fleet/register.js';
import {
  agentMetric,
  BENCH_OPERATOR_TOKEN,
  startAgentProcess,
  startSinkProcess,
  type AgentBenchConfig,
} from './processes.js';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';
import { bareInsertLoop } from './sqlite-baseline.js';

/** The agent's default batch limit (upload.max_messages): the bare loop stores containers of this size. */
const AGENT_BATCH = 500;
const LINK_BYTES_PER_S = 384_000 / 8;
/** The agent's counters of destination `sink`. */
const SINK = { destination: 'sink' };

export async function run(options: BenchOptions): Promise<Figure[]> {
  const backlog = options.quick ? 300 : 1_000_000;
  const slowBacklog = options.quick ? 100 : 20_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-backlog-'));
  try {
    const db = path.join(dir, 'sink.db');
    const [local, slow] = await registerGateways(db, 2, 'bench');
    const agent = (name: string, sinkUrl: string, gateway: { id: string; token: string }): AgentBenchConfig => ({
      dataDir: path.join(dir, name),
      sinkUrl,
      gatewayId: gateway.id,
      token: gateway.token,
      uploadIntervalS: 1,
    });

    await fillBacklog(path.join(dir, 'local'), backlog);

    const sink = await startSinkProcess(db);
    try {
      const drained = await drain(path.join(dir, 'local.toml'), agent('local', sink.url, local!), sink.url, backlog);
      const bare = bareInsertLoop(
        sondeSample(AGENT_BATCH).readings,
        Math.max(2, Math.min(200, backlog / AGENT_BATCH)),
        1,
      );

      await fillBacklog(path.join(dir, 'slow'), slowBacklog);
      const proxy = new FaultProxy({ targetPort: Number(new URL(sink.url).port) });
      await proxy.start();
      proxy.set({ bytesPerSecond: LINK_BYTES_PER_S });
      const slowDrain = await drain(
        path.join(dir, 'slow.toml'),
        agent('slow', `http://127.0.0.1:${proxy.port}`, slow!),
        sink.url,
        slowBacklog,
      ).finally(() => proxy.close());
      const floorS = slowDrain.bytesSent / LINK_BYTES_PER_S;

      return [
        makeFigure({
          name: 'drain_local',
          value: backlog / drained.seconds,
          unit: 'readings/s',
          baseline: bare.readingsPerS,
          baselineName: `bare better-sqlite3 insert loop, same rows, one fsync per ${AGENT_BATCH}-row container`,
          target: { valueAtLeast: 10_000 },
        }),
        makeFigure({
          name: 'drain_slow_link',
          value: slowDrain.seconds,
          unit: 's',
          baseline: floorS,
          baselineName: `floor: gzip'd request bytes the agent sent (${slowDrain.bytesSent}) / 384 kbit/s`,
          target: { ratioAtMost: 1.25 },
        }),
      ];
    } finally {
      await sink.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the agent until the sink acknowledged sequences 1..`backlog`; seconds from its start, bytes sent. */
async function drain(
  configFile: string,
  config: AgentBenchConfig,
  sinkUrl: string,
  backlog: number,
): Promise<{ seconds: number; bytesSent: number }> {
  const agent = await startAgentProcess(configFile, config);
  const started = performance.now();
  try {
    for (;;) {
      if ((await acknowledgeUntil(sinkUrl, config.gatewayId)) >= backlog) break;
      if (agent.process.exitCode !== null) throw new Error('the agent exited during the drain');
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    // The sink stored it before the agent read the answer: wait for the agent's count of acknowledged messages.
    while ((await agentMetric(agent.url, 'dsp_agent_messages_acknowledged_total', SINK)) < backlog) await sleep(50);
    return { seconds, bytesSent: await agentMetric(agent.url, 'dsp_agent_bytes_sent_total', SINK) };
  } finally {
    await agent.stop();
  }
}

async function acknowledgeUntil(sinkUrl: string, gatewayId: string): Promise<number> {
  const res = await fetch(new URL('/api/gateways', sinkUrl), {
    headers: { Authorization: `Bearer ${BENCH_OPERATOR_TOKEN}` },
  });
  const { gateways } = (await res.json()) as { gateways: { id: string; acknowledgeUntil: number }[] };
  return gateways.find((g) => g.id === gatewayId)?.acknowledgeUntil ?? 0;
}
