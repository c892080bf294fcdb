// mqtt_outage_lost / mqtt_outage_duplicates: readings lost and readings received twice by MQTT through an
// outage and a kill, beside ours measured through the same scenario in the same run.
//
// The scenario, on a clock of T seconds at one reading every INTERVAL: the link is up for the first third;
// then the broker (theirs) or the link to the sink (ours) is down for the middle third; two thirds into the
// outage the publisher (theirs) or the agent (ours) is SIGKILLed and started again at once, still offline;
// the link comes back for the last third, and each side is then given time to deliver what it holds.
//
// Theirs: MQTT 3.1.1, QoS 1, clean session false, one JSON message per reading, from a real child process
// running MQTT.js with its default in-memory offline store (bench/mqtt-publisher.ts; no persistent store is
// installed in this project) to aedes in the bench process (plain TCP on loopback: TLS changes neither count).
// The outage closes aedes' listener and drops every connection; aedes keeps its sessions (as a broker with
// persistence would). A subscriber in the bench process (QoS 1, clean session false) records each number.
// Lost: numbers the publisher took (wrote before publishing) and the subscriber never received; readings due
// while no publisher ran are not counted, as the agent's blind window is not. Duplicates: receptions beyond
// the first of a number.
//
// Ours: the real agent, sonde and sink (lab/system.ts): the FaultProxy refuses connections for the outage,
// killAgent() SIGKILLs and restarts the agent; lab/oracle.ts counts lost (rows printed while an agent ran
// that never arrived and were not reported lost) and duplicates (readings stored twice).
//
// A count of ours is often 0: the figure's ratio is MQTT's count over max(ours, 1), so that it stays
// finite (and 0 when both are 0); the value and baseline columns carry the counts themselves.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { until } from '../lab/poll.js';
import { distPath } from '../lab/repo-root.js';
import { EndToEndSystem } from '../lab/system.js';
import { makeFigure } from './figure.js';
export async function run(options) {
    const scenario = options.quick ? { totalMs: 9000, intervalMs: 200 } : { totalMs: 60_000, intervalMs: 200 };
    const ours = await agentThroughOutage(scenario);
    const theirs = await mqttThroughOutage(scenario);
    const text = (what) => `ours (agent, sink, lab/oracle.ts): ${what} of ${ours.taken} readings, SIGKILLed once during a ${scenario.totalMs / 3000} s link outage; ` +
        `MQTT.js (in-memory store) took ${theirs.taken}`;
    return [
        countFigure('mqtt_outage_lost', theirs.lost, ours.lost, text(`lost ${ours.lost}`)),
        countFigure('mqtt_outage_duplicates', theirs.duplicates, ours.duplicates, text(`${ours.duplicates} duplicates`)),
    ];
}
function countFigure(name, value, baseline, baselineName) {
    const figure = makeFigure({ name, value, unit: 'readings', baseline, baselineName, target: { none: true } });
    // A zero baseline (ours lost none) would make the ratio infinite: the ratio is over max(baseline, 1).
    return { ...figure, ratio: Number((value / Math.max(baseline, 1)).toPrecision(6)) };
}
/** Resolves at `at` (ms since the epoch). */
const at = (time) => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
async function agentThroughOutage(s) {
    const system = await EndToEndSystem.start({ samplingS: s.intervalMs / 1000, gateway: 'gw-outage' });
    try {
        const t0 = Date.now();
        await at(t0 + s.totalMs / 3);
        system.proxy.set({ refuse: true });
        await at(t0 + s.totalMs / 3 + ((s.totalMs / 3) * 2) / 3);
        await system.killAgent();
        await at(t0 + (s.totalMs * 2) / 3);
        system.proxy.heal();
        await at(t0 + s.totalMs);
        const report = await system.finish();
        return { taken: report.mustArrive, lost: report.lost, duplicates: report.duplicates };
    }
    finally {
        await system.close();
    }
}
async function mqttThroughOutage(s) {
    const broker = await Aedes.createBroker();
    const sockets = new Set();
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        broker.handle(socket);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = server.address().port;
    const url = `mqtt://127.0.0.1:${port}`;
    const received = new Map();
    const subscriber = await mqtt.connectAsync(url, {
        clientId: 'bench-outage-subscriber',
        clean: false,
        protocolVersion: 4,
        reconnectPeriod: 200,
    });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_topic, payload) => {
        const { k } = JSON.parse(payload.toString());
        received.set(k, (received.get(k) ?? 0) + 1);
    });
    await subscriber.subscribeAsync('dsp/bench/readings', { qos: 1 });
    const count = Math.floor(s.totalMs / s.intervalMs);
    const t0 = Date.now() + 500; // the publisher's start-up before its first reading is due
    const taken = new Set();
    const publish = () => startPublisher(url, t0, s.intervalMs, count, taken);
    let publisher = publish();
    try {
        await at(t0 + s.totalMs / 3);
        server.close();
        for (const socket of sockets)
            socket.destroy();
        await at(t0 + s.totalMs / 3 + ((s.totalMs / 3) * 2) / 3);
        publisher.child.kill('SIGKILL');
        await publisher.exited;
        publisher = publish();
        await at(t0 + (s.totalMs * 2) / 3);
        await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
        // Done when the publisher has every publish acknowledged and the subscriber has what the broker holds.
        await publisher.exited;
        await until(() => [...taken].every((k) => received.has(k)), 5000, 'the subscriber').catch(() => undefined);
        let lost = 0;
        for (const k of taken)
            if (!received.has(k))
                lost++;
        let duplicates = 0;
        for (const n of received.values())
            duplicates += n - 1;
        return { taken: taken.size, lost, duplicates };
    }
    finally {
        publisher.child.kill('SIGKILL');
        await subscriber.endAsync(true);
        server.close();
        for (const socket of sockets)
            socket.destroy();
        await new Promise((resolve) => broker.close(() => resolve()));
    }
}
function startPublisher(url, t0, intervalMs, count, taken) {
    const child = spawn(process.execPath, [
        distPath('bench', 'mqtt-publisher.js'),
        url,
        'bench-outage-publisher',
        String(t0),
        String(intervalMs),
        String(count),
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    let partial = '';
    child.stdout.on('data', (chunk) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop();
        for (const line of lines)
            taken.add(Number(line));
    });
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited };
}
//# sourceMappingURL=mqtt-outage.js.map