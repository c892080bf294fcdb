// The whole system as real processes, for the end-to-end tests and the chaos runner:
//
//   dsp-sonde sim --record ──pty cable──▶ dsp-agent ──FaultProxy──▶ dsp-sink (SQLite file)
//
// or, with `sinks: 2` on a PostgreSQL URL, a cluster behind the real load balancer (deploy/haproxy.cfg):
//
//   ... dsp-agent ──FaultProxy──▶ haproxy ──▶ dsp-sink × 2 ──▶ PostgreSQL
//
// The test drives faults (proxy settings, SIGKILL of agent or sink) and at the end `finish()` lets the
// agent drain and holds the sink's contents against the sonde's record (oracle.ts).
// With `powerCuts`, the agent's data directory and the sink's SQLite directory are each on a powercut-fs
// (lab/powercut-fs): a power cut SIGKILLs the process and drops what it had not fsync'd.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentStatus } from '../agent/status/agent-status.js';
import { runSinkCli, spawnSink, type SinkProcess } from './sink-process.js';
import { startAgent, writeAgentConfig, type RunningAgent } from './agent-process.js';
import { FaultProxy } from './fault-proxy.js';
import { startHaproxy, type Balancer } from './haproxy.js';
import { freePort } from './postgres-server.js';
import {
  checkDelivery,
  isMustArrive,
  isStoredRow,
  type GapView,
  type OracleReport,
  type StoredMessageView,
  type StoredReadingView,
} from './oracle.js';
import { pollUntil } from './poll.js';
import { PowercutFs } from './powercut-fs/powercut-fs.js';
import { PtyCable } from './pty-cable.js';
import type { SimulatedReading } from '../drivers/simulator/sonde-simulator.js';
import { AGENT_CLI, SINK_CLI } from './repo-root.js';
import { startSondeProcess, type SondeProcess } from './sonde-process.js';

export const OPERATOR_TOKEN = 'operator-token-for-end-to-end-tests';
/** Rows printed this long before a SIGKILL may still have been in the agent's memory, not yet on disk. */
const KILL_MARGIN_MS = 1000;
/** Added after the restarted agent reports its serial port open (a row cut by the open may be lost). */
const REOPEN_MARGIN_MS = 250;
/** How long finish() waits for the sonde's last row once the agent's queue is drained (then the oracle reports it). */
const LAST_ROW_WAIT_MS = 10_000;

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
  /**
   * The agent's data directory, and the sink's SQLite file unless `db` is given, each on a powercut-fs
   * (needs root and FUSE): `cutAgentPower()` and `cutSinkPower()` then drop what was not fsync'd.
   */
  powerCuts?: boolean;
  /**
   * With `powerCuts`: whether what the agent's first start created (its queue and command store
   * directories) is at risk too. By default the agent's disk is made durable once the agent first streams,
   * as on a gateway that was installed and has run once; see docs/testing.md for what this leaves out.
   */
  powerCutsFromFirstStart?: boolean;
  /** Another build of dist/ (a mutated copy, for the power-cut test's teeth): its agent and sink CLIs run. */
  distDir?: string;
  /** Sinks on the database; more than one puts HAProxy (deploy/haproxy.cfg) in front of them. */
  sinks?: number;
}

export interface Restarts {
  agentKills: number;
  sinkKills: number;
  /** Power cuts of the agent's file system (each also a SIGKILL, not counted in agentKills). */
  agentPowerCuts: number;
  /** Power cuts of the sink's file system (each also a SIGKILL, not counted in sinkKills). */
  sinkPowerCuts: number;
}

/** The file systems that forget (with `powerCuts`); the sink's is absent on PostgreSQL. */
interface PowerCutDisks {
  agent: PowercutFs;
  sink?: PowercutFs;
}

export class EndToEndSystem {
  readonly restarts: Restarts = { agentKills: 0, sinkKills: 0, agentPowerCuts: 0, sinkPowerCuts: 0 };
  /** Times when no agent process was reading the sonde (SIGKILL until the next one has the port open). */
  readonly blindWindows: Array<{ from: number; to: number }> = [];

  private constructor(
    readonly dir: string,
    readonly gateway: string,
    /** The serial cable between the sonde and the agent (hold() it to keep rows on their way). */
    readonly link: PtyCable,
    readonly sonde: SondeProcess,
    readonly proxy: FaultProxy,
    private readonly sinks: SinkProcess[],
    private agent: RunningAgent,
    private readonly agentConfigFile: string,
    private readonly agentDataDir: string,
    /** The sink's --db. */
    readonly db: string,
    private readonly clis: { agent: string; sink: string },
    private readonly disks: PowerCutDisks | undefined,
    /** Fixed ports of the sinks behind the balancer (a restarted sink takes its port again). */
    private readonly sinkPorts: number[] | undefined,
    private readonly balancer: Balancer | undefined,
    /** The agent has the sonde log what it streams and reads missed windows back (sonde.log_to_memory). */
    readonly sondeLogs: boolean,
  ) {}

  /** Where the agent and the API calls go: the balancer, or the one sink. */
  private get front(): string {
    return this.balancer?.url ?? this.sinks[0]!.url;
  }

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
    const clis = o.distDir
      ? { agent: path.join(o.distDir, 'agent', 'cli.js'), sink: path.join(o.distDir, 'sink', 'cli.js') }
      : { agent: AGENT_CLI, sink: SINK_CLI };
    const disks = o.powerCuts ? await mountDisks(dir, o.db === undefined, undo) : undefined;
    const db = o.db ?? path.join(disks?.sink ? path.join(disks.sink.mountpoint, 'sink') : dir, 'sink.db');
    if (disks?.sink) mkdirSync(path.dirname(db), { mode: 0o700 });
    const added = await runSinkCli(['gateway', 'add', gateway, '--db', db, '--create'], {}, undefined, clis.sink);
    if (added.code !== 0) throw new Error(`gateway add failed: ${added.stderr}`);
    disks?.sink?.syncAll(); // installed: the database and its directory survive a cut from here on
    const count = o.sinks ?? 1;
    const sinkPorts = count > 1 ? await Promise.all(Array.from({ length: count }, () => freePort())) : undefined;
    const sinks: SinkProcess[] = [];
    undo.push(() => sinks.forEach((s) => s.process.kill('SIGKILL')));
    for (let i = 0; i < count; i++) sinks.push(await spawnSinkAt(db, sinkPorts?.[i], clis.sink));
    const balancer = sinkPorts === undefined ? undefined : await startHaproxy(dir, sinkPorts);
    if (balancer) undo.push(() => balancer.close());
    const proxy = new FaultProxy({ targetPort: portOf(balancer?.url ?? sinks[0]!.url) });
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
    const dataDir = path.join(disks ? disks.agent.mountpoint : dir, 'agent');
    if (disks) {
      mkdirSync(dataDir, { mode: 0o700 });
      disks.agent.syncAll(); // installed: the empty data directory survives a cut
    }
    writeAgentConfig(agentConfigFile, {
      dataDir,
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
    const agent = await startAgent(agentConfigFile, {}, clis.agent);
    undo.push(() => agent.child.kill('SIGKILL'));
    const system = new EndToEndSystem(
      dir,
      gateway,
      link,
      sonde,
      proxy,
      sinks,
      agent,
      agentConfigFile,
      dataDir,
      db,
      clis,
      disks,
      sinkPorts,
      balancer,
      sections.sonde?.log_to_memory !== false,
    );
    await system.untilStreaming();
    if (!o.powerCutsFromFirstStart) disks?.agent.syncAll();
    return system;
  }

  /** The sink's base URL (http://127.0.0.1:PORT; the balancer's with several sinks), for a browser. */
  get sinkUrl(): string {
    return this.front;
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
    const res = await fetch(`${this.front}${route}`, {
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

  /** The printed rows that must arrive so far (printed while an agent read the line, outside blind windows). */
  private mustArriveRows(): SimulatedReading[] {
    return this.sonde.emitted().filter((r) => isMustArrive(r, this.blindWindows));
  }

  /** Waits until `count` printed rows must arrive (printed while an agent read the line, outside blind windows). */
  async untilMustArrive(count: number, timeoutMs = 30_000): Promise<void> {
    await pollUntil(
      () => this.mustArriveRows().length,
      (n) => n >= count,
      timeoutMs,
      50,
    );
  }

  /**
   * SIGKILL the agent, start it again on the same data, and wait until it reads the sonde again. Only rows
   * printed while no agent process had the port open may be missing: the restarted driver adopts a sonde
   * that is still streaming, or holds its rows until it knows the columns. The agent stays down for `downMs`
   * (the sonde goes on printing: those rows are the read-back's to fetch).
   */
  async killAgent(downMs = 0): Promise<void> {
    await this.restartAgent(false, false, downMs);
  }

  /**
   * A power cut of the agent's gateway: SIGKILL, everything not fsync'd on its data directory is dropped,
   * then it starts again on what survived (as killAgent()). Needs `powerCuts`. With `loseStore` the queue's
   * LevelDB store is gone after the cut as well (deleted, durably: a wiped or replaced store, as store
   * attack 2b), its sequence file kept: the agent must continue above the numbers it reserved.
   */
  async cutAgentPower(o: { loseStore?: boolean } = {}): Promise<void> {
    await this.restartAgent(true, o.loseStore ?? false);
  }

  private async restartAgent(cutPower: boolean, loseStore = false, downMs = 0): Promise<void> {
    const disk = cutPower ? this.disk('agent') : undefined;
    const from = Date.now() - KILL_MARGIN_MS;
    this.agent.child.kill('SIGKILL');
    await this.agent.exited;
    disk?.cut();
    if (disk && loseStore) {
      rmSync(path.join(this.agentDataDir, 'queues', 'sink', 'store'), { recursive: true, force: true });
      disk.syncAll();
    }
    if (cutPower) this.restarts.agentPowerCuts++;
    else this.restarts.agentKills++;
    if (downMs > 0) await delay(downMs);
    this.agent = await startAgent(this.agentConfigFile, {}, this.clis.agent);
    await pollUntil(
      () => this.agentStatus(),
      (s) => s.sonde.connected,
      20_000,
      20,
    );
    this.blindWindows.push({ from, to: Date.now() + REOPEN_MARGIN_MS });
    await this.untilStreaming();
  }

  /** SIGKILL sink `index`, leave it down for `downMs`, start it again on the same database (and port). */
  async killSink(downMs = 0, index = 0): Promise<void> {
    await this.restartSink(downMs, false, index);
  }

  /**
   * A power cut of the sink's machine: SIGKILL, everything not fsync'd in the SQLite file's directory is
   * dropped, down for `downMs`, then started again on what survived. On PostgreSQL only the sink process
   * is killed (the database server's durability is PostgreSQL's). Needs `powerCuts`.
   */
  async cutSinkPower(downMs = 0): Promise<void> {
    await this.restartSink(downMs, true, 0);
  }

  private async restartSink(downMs: number, cutPower: boolean, index: number): Promise<void> {
    if (cutPower) this.disk('agent'); // throws without powerCuts
    const sink = this.sinks[index]!;
    sink.process.kill('SIGKILL');
    await sink.exited;
    if (cutPower) {
      this.disks?.sink?.cut();
      this.restarts.sinkPowerCuts++;
    } else this.restarts.sinkKills++;
    if (downMs > 0) await delay(downMs);
    this.sinks[index] = await spawnSinkAt(this.db, this.sinkPorts?.[index], this.clis.sink);
    if (this.balancer === undefined) this.proxy.retarget(portOf(this.sinks[index].url));
  }

  private disk(which: 'agent'): PowercutFs {
    if (!this.disks) throw new Error('a power cut needs EndToEndSystem.start({ powerCuts: true })');
    return this.disks[which];
  }

  /**
   * Heals the link, stops the sonde, waits until the agent has delivered everything it holds, stops the
   * agent (SIGTERM; it must exit 0) and checks the sink's contents against the sonde's record.
   */
  async finish(timeoutMs = 60_000): Promise<OracleReport & { agentExitCode: number | null }> {
    this.proxy.heal();
    this.proxy.disconnectAll();
    if (this.sondeLogs) await this.untilBackfilled(timeoutMs);
    await this.sonde.stop();
    await pollUntil(
      () => this.drained(),
      (ok) => ok,
      timeoutMs,
      200,
    );
    // An empty queue is not yet everything: the sonde's last rows may still be on their way (in the cable, or in
    // the agent's queue commit while its status shows the queue empty), and a stopped agent sends nothing more.
    // So the agent stays up until the sink holds the last row that must arrive and the queue is drained again;
    // a row that never comes is left to the oracle to report (the wait ends without an error).
    const last = this.mustArriveRows().at(-1);
    if (last && !(await this.sinkHolds(last)))
      await pollUntil(
        async () => (await this.sinkHolds(last)) && (await this.drained()),
        (ok) => ok,
        LAST_ROW_WAIT_MS,
        100,
      ).catch(() => undefined);
    this.agent.child.kill('SIGTERM');
    const agentExitCode = await this.agent.exited;
    const g = encodeURIComponent(this.gateway);
    const [readings, { messages }, { gaps }] = await Promise.all([
      this.api<StoredReadingView[]>(`/api/readings?gateway=${g}&limit=10000000`),
      this.api<{ messages: StoredMessageView[] }>(`/api/gateways/${g}/messages?limit=1000`),
      this.api<{ gaps: GapView[] }>(`/api/gateways/${g}/gaps`),
    ]);
    const report = checkDelivery({
      gateway: this.gateway,
      emitted: this.sonde.emitted(),
      blindWindows: this.blindWindows,
      readings,
      messages,
      gaps,
      sondeLogs: this.sondeLogs,
    });
    return { ...report, agentExitCode };
  }

  /** The agent's queue is empty and the sink acknowledged its last sequence (nothing the agent holds is unsent). */
  async drained(): Promise<boolean> {
    const [status, gateways] = await Promise.all([
      this.agentStatus(),
      this.api<{ gateways: Array<{ id: string; acknowledgeUntil: number }> }>('/api/gateways'),
    ]);
    const d = status.destinations[0]!;
    return d.queued === 0 && gateways.gateways.find((g) => g.id === this.gateway)?.acknowledgeUntil === d.lastSequence;
  }

  /** Whether the sink stores that printed row (read back from memory or not); looks a minute before it. */
  private async sinkHolds(row: SimulatedReading): Promise<boolean> {
    const g = encodeURIComponent(this.gateway);
    const readings = await this.api<StoredReadingView[]>(`/api/readings?gateway=${g}&from=${row.emittedAt - 60_000}`);
    return readings.some((r) => isStoredRow(r, row));
  }

  /**
   * Waits until the running agent has read back the window it missed before its start (after a kill or a
   * cut): the sonde stopped earlier would take those rows with it.
   */
  private async untilBackfilled(timeoutMs: number): Promise<void> {
    const logs = this.agent.logs;
    await pollUntil(
      () => ({
        ready: logs.find((l) => l.msg === 'backfill ready'),
        done: logs.some((l) => l.msg === 'backfill done'),
      }),
      ({ ready, done }) => ready !== undefined && (ready.from === null || done),
      timeoutMs,
      100,
    );
  }

  /** Stops whatever still runs and removes the temporary directory. */
  async close(): Promise<void> {
    for (const child of [this.agent.child, ...this.sinks.map((s) => s.process)])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([this.agent.exited, ...this.sinks.map((s) => s.exited), this.sonde.stop()]);
    await this.balancer?.close();
    await this.proxy.close();
    await this.link.close();
    await this.disks?.sink?.unmount();
    await this.disks?.agent.unmount();
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

/** The powercut-fs mounts under `dir`: one for the agent, one for the sink's SQLite file if `sink`. */
async function mountDisks(dir: string, sink: boolean, undo: Array<() => unknown>): Promise<PowerCutDisks> {
  const agent = await PowercutFs.mount(path.join(dir, 'agent-disk'));
  undo.push(() => agent.unmount());
  if (!sink) return { agent };
  const sinkDisk = await PowercutFs.mount(path.join(dir, 'sink-disk'));
  undo.push(() => sinkDisk.unmount());
  return { agent, sink: sinkDisk };
}

function spawnSinkAt(db: string, port: number | undefined, cli: string): Promise<SinkProcess> {
  // A later --port wins over spawnSink's --port 0.
  return spawnSink(db, port === undefined ? [] : ['--port', String(port)], { DSP_OPERATOR_TOKEN: OPERATOR_TOKEN }, cli);
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}
