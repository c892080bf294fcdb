// The whole system as real processes, for the end-to-end tests and the chaos runner:
//
//   dsp-sonde sim --record ──pty cable──▶ dsp-agent ──FaultProxy──▶ dsp-sink (SQLite file)
//
// The test drives faults (proxy settings, SIGKILL of agent or sink) and at the end `finish()` lets the
// agent drain and holds the sink's contents against the sonde's record (oracle.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentStatus } from '../agent/status/agent-status.js';
import { runSinkCli, spawnSink, type SinkProcess } from './sink-process.js';
import { startAgent, writeAgentConfig, type RunningAgent } from './agent-process.js';
import { FaultProxy } from './fault-proxy.js';
import {
  checkDelivery,
  type GapView,
  type OracleReport,
  type StoredMessageView,
  type StoredReadingView,
} from './oracle.js';
import { pollUntil } from './poll.js';
import { PtyCable } from './pty-cable.js';
import { startSondeProcess, type SondeProcess } from './sonde-process.js';

export const OPERATOR_TOKEN = 'operator-token-for-end-to-end-tests';
/** Rows printed this long before a SIGKILL may still have been in the agent's memory, not yet on disk. */
const KILL_MARGIN_MS = 1000;
/** Added after the restarted agent reports its serial port open (a row cut by the open may be lost). */
const REOPEN_MARGIN_MS = 250;

type Section = Record<string, string | number | boolean>;

export interface SystemOptions {
  gateway?: string;
  /** Sonde sampling interval, s. */
  samplingS: number;
  /** Agent upload interval, s. */
  uploadS?: number;
  seed?: number;
  /** `dsp-sonde sim --faults` spec (e.g. "garbage=0.02"). */
  sondeFaults?: string;
  /** Agent config sections to override (e.g. `{ queue: { max_messages: 20 } }`). */
  agentConfig?: Record<string, Section>;
  /** The sink's --db: a SQLite file path or a postgres:// URL of an existing database (default: sink.db in the system's directory). */
  db?: string;
}

export interface Restarts {
  agentKills: number;
  sinkKills: number;
}

export class EndToEndSystem {
  readonly restarts: Restarts = { agentKills: 0, sinkKills: 0 };
  /** Times when no agent process was reading the sonde (SIGKILL until the next one has the port open). */
  readonly blindWindows: Array<{ from: number; to: number }> = [];

  private constructor(
    readonly dir: string,
    readonly gateway: string,
    private readonly link: PtyCable,
    readonly sonde: SondeProcess,
    readonly proxy: FaultProxy,
    private sink: SinkProcess,
    private agent: RunningAgent,
    private readonly agentConfigFile: string,
    /** The sink's --db. */
    readonly db: string,
  ) {}

  static async start(o: SystemOptions): Promise<EndToEndSystem> {
    const dir = mkdtempSync(path.join(tmpdir(), 'dsp-e2e-'));
    // Whatever started is stopped again if a later part fails to start: no process outlives a failed test.
    const undo: Array<() => unknown> = [() => rmSync(dir, { recursive: true, force: true })];
    try {
      return await EndToEndSystem.assemble(o, dir, undo);
    } catch (err) {
      for (const step of undo.reverse()) await step();
      throw err;
    }
  }

  private static async assemble(o: SystemOptions, dir: string, undo: Array<() => unknown>): Promise<EndToEndSystem> {
    const gateway = o.gateway ?? 'gw-e2e';
    const db = o.db ?? path.join(dir, 'sink.db');
    const added = await runSinkCli(['gateway', 'add', gateway, '--db', db, '--create']);
    if (added.code !== 0) throw new Error(`gateway add failed: ${added.stderr}`);
    const sink = await spawnSink(db, [], { DSP_OPERATOR_TOKEN: OPERATOR_TOKEN });
    undo.push(() => sink.process.kill('SIGKILL'));
    const proxy = new FaultProxy({ targetPort: portOf(sink.url) });
    await proxy.start();
    undo.push(() => proxy.close());
    const link = await PtyCable.plug(dir);
    undo.push(() => link.close());
    const sonde = startSondeProcess({
      port: link.sondePath,
      recordFile: path.join(dir, 'emitted.jsonl'),
      intervalS: o.samplingS,
      seed: o.seed ?? 1,
      ...(o.sondeFaults ? { faults: o.sondeFaults } : {}),
    });
    undo.push(() => sonde.stop());
    const agentConfigFile = path.join(dir, 'agent.toml');
    const sections = o.agentConfig ?? {};
    writeAgentConfig(agentConfigFile, {
      dataDir: path.join(dir, 'agent'),
      sinkUrl: `http://127.0.0.1:${proxy.port}/transportDspMessages`,
      gatewayId: gateway,
      token: added.stdout.trim(),
      sections: {
        ...sections,
        sonde: {
          simulate: false,
          port: link.gatewayPath,
          interval_s: o.samplingS,
          time_zone: 'UTC',
          ...sections.sonde,
        },
        upload: { interval_s: o.uploadS ?? 1, max_messages: 50, ...sections.upload },
      },
    });
    const agent = await startAgent(agentConfigFile);
    undo.push(() => agent.child.kill('SIGKILL'));
    const system = new EndToEndSystem(dir, gateway, link, sonde, proxy, sink, agent, agentConfigFile, db);
    await system.untilStreaming();
    return system;
  }

  /** The sink's base URL (http://127.0.0.1:PORT), for a browser on the dashboard. */
  get sinkUrl(): string {
    return this.sink.url;
  }

  /** SIGKILL the agent and leave it stopped (the gateway goes silent) until `resumeAgent`. */
  async stopAgent(): Promise<void> {
    this.blindFrom = Date.now() - KILL_MARGIN_MS;
    this.agent.child.kill('SIGKILL');
    await this.agent.exited;
    this.restarts.agentKills++;
  }

  /** Starts the stopped agent again on the same data and waits until it reads the sonde. */
  async resumeAgent(): Promise<void> {
    this.agent = await startAgent(this.agentConfigFile);
    await this.untilStreaming();
    this.blindWindows.push({ from: this.blindFrom ?? Date.now(), to: Date.now() + REOPEN_MARGIN_MS });
  }

  private blindFrom: number | undefined;

  /** The sink's operator and data API (JSON). */
  async api<T>(route: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const res = await fetch(`${this.sink.url}${route}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async agentStatus(): Promise<AgentStatus> {
    return (await (await fetch(`${this.agent.statusUrl}/status`)).json()) as AgentStatus;
  }

  /** Readings the sink holds for this gateway. */
  async stored(): Promise<number> {
    const { gateways } = await this.api<{ gateways: Array<{ id: string; readingsStored: number }> }>('/api/gateways');
    return gateways.find((g) => g.id === this.gateway)?.readingsStored ?? 0;
  }

  async untilStored(count: number, timeoutMs = 20_000): Promise<number> {
    return pollUntil(
      () => this.stored(),
      (n) => n >= count,
      timeoutMs,
      200,
    );
  }

  /** Waits until the sonde has printed `count` rows in all (the time a scenario lets pass, counted in rows). */
  async untilEmitted(count: number, timeoutMs = 30_000): Promise<void> {
    await pollUntil(
      () => this.sonde.emitted().length,
      (n) => n >= count,
      timeoutMs,
      50,
    );
  }

  /**
   * SIGKILL the agent, start it again on the same data, and wait until it reads the sonde again. Only rows
   * printed while no agent process had the port open may be missing: the restarted driver adopts a sonde
   * that is still streaming, or holds its rows until it knows the columns.
   */
  async killAgent(): Promise<void> {
    const from = Date.now() - KILL_MARGIN_MS;
    this.agent.child.kill('SIGKILL');
    await this.agent.exited;
    this.restarts.agentKills++;
    this.agent = await startAgent(this.agentConfigFile);
    await pollUntil(
      () => this.agentStatus(),
      (s) => s.sonde.connected,
      20_000,
      20,
    );
    this.blindWindows.push({ from, to: Date.now() + REOPEN_MARGIN_MS });
    await this.untilStreaming();
  }

  /** SIGKILL the sink, leave it down for `downMs`, start it again on the same database. */
  async killSink(downMs = 0): Promise<void> {
    this.sink.process.kill('SIGKILL');
    await this.sink.exited;
    this.restarts.sinkKills++;
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    this.sink = await spawnSink(this.db, [], { DSP_OPERATOR_TOKEN: OPERATOR_TOKEN });
    this.proxy.retarget(portOf(this.sink.url));
  }

  /**
   * Heals the link, stops the sonde, waits until the agent has delivered everything it holds, stops the
   * agent (SIGTERM; it must exit 0) and checks the sink's contents against the sonde's record.
   */
  async finish(timeoutMs = 60_000): Promise<OracleReport & { agentExitCode: number | null }> {
    this.proxy.heal();
    this.proxy.disconnectAll();
    await this.sonde.stop();
    await pollUntil(
      async () => {
        const [status, gateways] = await Promise.all([
          this.agentStatus(),
          this.api<{ gateways: Array<{ id: string; acknowledgeUntil: number }> }>('/api/gateways'),
        ]);
        const d = status.destinations[0]!;
        return (
          d.queued === 0 && gateways.gateways.find((g) => g.id === this.gateway)?.acknowledgeUntil === d.lastSequence
        );
      },
      (drained) => drained,
      timeoutMs,
      200,
    );
    this.agent.child.kill('SIGTERM');
    const agentExitCode = await this.agent.exited;
    const g = encodeURIComponent(this.gateway);
    const [readings, { messages }, { gaps }] = await Promise.all([
      this.api<StoredReadingView[]>(`/api/readings?gateway=${g}&limit=10000000`),
      this.api<{ messages: StoredMessageView[] }>(`/api/gateways/${g}/messages?limit=1000`),
      this.api<{ gaps: GapView[] }>(`/api/gateways/${g}/gaps`),
    ]);
    const report = checkDelivery({
      emitted: this.sonde.emitted(),
      blindWindows: this.blindWindows,
      readings,
      messages,
      gaps,
    });
    return { ...report, agentExitCode };
  }

  /** Stops whatever still runs and removes the temporary directory. */
  async close(): Promise<void> {
    for (const child of [this.agent.child, this.sink.process])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([this.agent.exited, this.sink.exited, this.sonde.stop()]);
    await this.proxy.close();
    await this.link.close();
    if (!process.env.DSP_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }

  private async untilStreaming(): Promise<void> {
    await pollUntil(
      () => this.agentStatus(),
      (s) => s.sonde.state === 'streaming',
      20_000,
      50,
    );
  }
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}
