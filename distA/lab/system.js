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
import { runSinkCli, spawnSink } from './sink-process.js';
import { startAgent, writeAgentConfig } from './agent-process.js';
import { FaultProxy } from './fault-proxy.js';
import { startHaproxy } from './haproxy.js';
import { freePort } from './postgres-server.js';
import { checkDelivery, } from './oracle.js';
import { pollUntil } from './poll.js';
import { PowercutFs } from './powercut-fs/powercut-fs.js';
import { PtyCable } from './pty-cable.js';
import { AGENT_CLI, SINK_CLI } from './repo-root.js';
import { startSondeProcess } from './sonde-process.js';
export const OPERATOR_TOKEN = 'operator-token-for-end-to-end-tests';
/** Rows printed this long before a SIGKILL may still have been in the agent's memory, not yet on disk. */
const KILL_MARGIN_MS = 1000;
/** Added after the restarted agent reports its serial port open (a row cut by the open may be lost). */
const REOPEN_MARGIN_MS = 250;
export class EndToEndSystem {
    dir;
    gateway;
    link;
    sonde;
    proxy;
    sinks;
    agent;
    agentConfigFile;
    db;
    clis;
    disks;
    sinkPorts;
    balancer;
    restarts = { agentKills: 0, sinkKills: 0, agentPowerCuts: 0, sinkPowerCuts: 0 };
    /** Times when no agent process was reading the sonde (SIGKILL until the next one has the port open). */
    blindWindows = [];
    constructor(dir, gateway, link, sonde, proxy, sinks, agent, agentConfigFile, 
    /** The sink's --db. */
    db, clis, disks, 
    /** Fixed ports of the sinks behind the balancer (a restarted sink takes its port again). */
    sinkPorts, balancer) {
        this.dir = dir;
        this.gateway = gateway;
        this.link = link;
        this.sonde = sonde;
        this.proxy = proxy;
        this.sinks = sinks;
        this.agent = agent;
        this.agentConfigFile = agentConfigFile;
        this.db = db;
        this.clis = clis;
        this.disks = disks;
        this.sinkPorts = sinkPorts;
        this.balancer = balancer;
    }
    /** Where the agent and the API calls go: the balancer, or the one sink. */
    get front() {
        return this.balancer?.url ?? this.sinks[0].url;
    }
    static async start(o) {
        const dir = mkdtempSync(path.join(tmpdir(), 'dsp-e2e-'));
        // Whatever started is stopped again if a later part fails to start: no process outlives a failed test.
        const undo = [() => rmSync(dir, { recursive: true, force: true })];
        try {
            return await EndToEndSystem.assemble(o, dir, undo);
        }
        catch (err) {
            for (const step of undo.reverse())
                await step();
            throw err;
        }
    }
    static async assemble(o, dir, undo) {
        const gateway = o.gateway ?? 'gw-e2e';
        const clis = o.distDir
            ? { agent: path.join(o.distDir, 'agent', 'cli.js'), sink: path.join(o.distDir, 'sink', 'cli.js') }
            : { agent: AGENT_CLI, sink: SINK_CLI };
        const disks = o.powerCuts ? await mountDisks(dir, o.db === undefined, undo) : undefined;
        const db = o.db ?? path.join(disks?.sink ? path.join(disks.sink.mountpoint, 'sink') : dir, 'sink.db');
        if (disks?.sink)
            mkdirSync(path.dirname(db), { mode: 0o700 });
        const added = await runSinkCli(['gateway', 'add', gateway, '--db', db, '--create'], {}, undefined, clis.sink);
        if (added.code !== 0)
            throw new Error(`gateway add failed: ${added.stderr}`);
        disks?.sink?.syncAll(); // installed: the database and its directory survive a cut from here on
        const count = o.sinks ?? 1;
        const sinkPorts = count > 1 ? await Promise.all(Array.from({ length: count }, () => freePort())) : undefined;
        const sinks = [];
        undo.push(() => sinks.forEach((s) => s.process.kill('SIGKILL')));
        for (let i = 0; i < count; i++)
            sinks.push(await spawnSinkAt(db, sinkPorts?.[i], clis.sink));
        const balancer = sinkPorts === undefined ? undefined : await startHaproxy(dir, sinkPorts);
        if (balancer)
            undo.push(() => balancer.close());
        const proxy = new FaultProxy({ targetPort: portOf(balancer?.url ?? sinks[0].url) });
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
        const system = new EndToEndSystem(dir, gateway, link, sonde, proxy, sinks, agent, agentConfigFile, db, clis, disks, sinkPorts, balancer);
        await system.untilStreaming();
        if (!o.powerCutsFromFirstStart)
            disks?.agent.syncAll();
        return system;
    }
    /** The sink's base URL (http://127.0.0.1:PORT; the balancer's with several sinks), for a browser. */
    get sinkUrl() {
        return this.front;
    }
    /** SIGKILL the agent and leave it stopped (the gateway goes silent) until `resumeAgent`. */
    async stopAgent() {
        this.blindFrom = Date.now() - KILL_MARGIN_MS;
        this.agent.child.kill('SIGKILL');
        await this.agent.exited;
        this.restarts.agentKills++;
    }
    /** Starts the stopped agent again on the same data and waits until it reads the sonde. */
    async resumeAgent() {
        this.agent = await startAgent(this.agentConfigFile);
        await this.untilStreaming();
        this.blindWindows.push({ from: this.blindFrom ?? Date.now(), to: Date.now() + REOPEN_MARGIN_MS });
    }
    blindFrom;
    /** The sink's operator and data API (JSON). */
    async api(route, init = {}) {
        const res = await fetch(`${this.front}${route}`, {
            method: init.method ?? 'GET',
            headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
            ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        });
        if (!res.ok)
            throw new Error(`${route}: HTTP ${res.status} ${await res.text()}`);
        return (await res.json());
    }
    async agentStatus() {
        return (await (await fetch(`${this.agent.statusUrl}/status`)).json());
    }
    /** Readings the sink holds for this gateway. */
    async stored() {
        const { gateways } = await this.api('/api/gateways');
        return gateways.find((g) => g.id === this.gateway)?.readingsStored ?? 0;
    }
    async untilStored(count, timeoutMs = 20_000) {
        return pollUntil(() => this.stored(), (n) => n >= count, timeoutMs, 200);
    }
    /** Waits until the sonde has printed `count` rows in all (the time a scenario lets pass, counted in rows). */
    async untilEmitted(count, timeoutMs = 30_000) {
        await pollUntil(() => this.sonde.emitted().length, (n) => n >= count, timeoutMs, 50);
    }
    /**
     * SIGKILL the agent, start it again on the same data, and wait until it reads the sonde again. Only rows
     * printed while no agent process had the port open may be missing: the restarted driver adopts a sonde
     * that is still streaming, or holds its rows until it knows the columns.
     */
    async killAgent() {
        await this.restartAgent(false);
    }
    /**
     * A power cut of the agent's gateway: SIGKILL, everything not fsync'd on its data directory is dropped,
     * then it starts again on what survived (as killAgent()). Needs `powerCuts`.
     */
    async cutAgentPower() {
        await this.restartAgent(true);
    }
    async restartAgent(cutPower) {
        const disk = cutPower ? this.disk('agent') : undefined;
        const from = Date.now() - KILL_MARGIN_MS;
        this.agent.child.kill('SIGKILL');
        await this.agent.exited;
        disk?.cut();
        if (cutPower)
            this.restarts.agentPowerCuts++;
        else
            this.restarts.agentKills++;
        this.agent = await startAgent(this.agentConfigFile, {}, this.clis.agent);
        await pollUntil(() => this.agentStatus(), (s) => s.sonde.connected, 20_000, 20);
        this.blindWindows.push({ from, to: Date.now() + REOPEN_MARGIN_MS });
        await this.untilStreaming();
    }
    /** SIGKILL sink `index`, leave it down for `downMs`, start it again on the same database (and port). */
    async killSink(downMs = 0, index = 0) {
        await this.restartSink(downMs, false, index);
    }
    /**
     * A power cut of the sink's machine: SIGKILL, everything not fsync'd in the SQLite file's directory is
     * dropped, down for `downMs`, then started again on what survived. On PostgreSQL only the sink process
     * is killed (the database server's durability is PostgreSQL's). Needs `powerCuts`.
     */
    async cutSinkPower(downMs = 0) {
        await this.restartSink(downMs, true, 0);
    }
    async restartSink(downMs, cutPower, index) {
        if (cutPower)
            this.disk('agent'); // throws without powerCuts
        const sink = this.sinks[index];
        sink.process.kill('SIGKILL');
        await sink.exited;
        if (cutPower) {
            this.disks?.sink?.cut();
            this.restarts.sinkPowerCuts++;
        }
        else
            this.restarts.sinkKills++;
        if (downMs > 0)
            await new Promise((r) => setTimeout(r, downMs));
        this.sinks[index] = await spawnSinkAt(this.db, this.sinkPorts?.[index], this.clis.sink);
        if (this.balancer === undefined)
            this.proxy.retarget(portOf(this.sinks[index].url));
    }
    disk(which) {
        if (!this.disks)
            throw new Error('a power cut needs EndToEndSystem.start({ powerCuts: true })');
        return this.disks[which];
    }
    /**
     * Heals the link, stops the sonde, waits until the agent has delivered everything it holds, stops the
     * agent (SIGTERM; it must exit 0) and checks the sink's contents against the sonde's record.
     */
    async finish(timeoutMs = 60_000) {
        this.proxy.heal();
        this.proxy.disconnectAll();
        await this.sonde.stop();
        await pollUntil(async () => {
            const [status, gateways] = await Promise.all([
                this.agentStatus(),
                this.api('/api/gateways'),
            ]);
            const d = status.destinations[0];
            return (d.queued === 0 && gateways.gateways.find((g) => g.id === this.gateway)?.acknowledgeUntil === d.lastSequence);
        }, (drained) => drained, timeoutMs, 200);
        this.agent.child.kill('SIGTERM');
        const agentExitCode = await this.agent.exited;
        const g = encodeURIComponent(this.gateway);
        const [readings, { messages }, { gaps }] = await Promise.all([
            this.api(`/api/readings?gateway=${g}&limit=10000000`),
            this.api(`/api/gateways/${g}/messages?limit=1000`),
            this.api(`/api/gateways/${g}/gaps`),
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
    async close() {
        for (const child of [this.agent.child, ...this.sinks.map((s) => s.process)])
            if (child.exitCode === null && child.signalCode === null)
                child.kill('SIGKILL');
        await Promise.all([this.agent.exited, ...this.sinks.map((s) => s.exited), this.sonde.stop()]);
        await this.balancer?.close();
        await this.proxy.close();
        await this.link.close();
        await this.disks?.sink?.unmount();
        await this.disks?.agent.unmount();
        if (!process.env.DSP_E2E_KEEP)
            rmSync(this.dir, { recursive: true, force: true });
    }
    async untilStreaming() {
        await pollUntil(() => this.agentStatus(), (s) => s.sonde.state === 'streaming', 20_000, 50);
    }
}
/** The powercut-fs mounts under `dir`: one for the agent, one for the sink's SQLite file if `sink`. */
async function mountDisks(dir, sink, undo) {
    const agent = await PowercutFs.mount(path.join(dir, 'agent-disk'));
    undo.push(() => agent.unmount());
    if (!sink)
        return { agent };
    const sinkDisk = await PowercutFs.mount(path.join(dir, 'sink-disk'));
    undo.push(() => sinkDisk.unmount());
    return { agent, sink: sinkDisk };
}
function spawnSinkAt(db, port, cli) {
    // A later --port wins over spawnSink's --port 0.
    return spawnSink(db, port === undefined ? [] : ['--port', String(port)], { DSP_OPERATOR_TOKEN: OPERATOR_TOKEN }, cli);
}
function portOf(url) {
    return Number(new URL(url).port);
}
//# sourceMappingURL=system.js.map