// link_bytes_per_reading: everything the gateway's link carries per reading while the agent uploads through
// TLS to a real sink (TLS records and handshakes, HTTP headers, bodies, counted at the socket by a relay, plus
// the TCP/IP headers, ACKs and connection packets of link-relay.ts's model), against the same readings
// published over MQTT 3.1.1, QoS 1, one JSON message per reading, over TLS, by MQTT.js to an aedes broker
// (the baseline, measured in the same run through the same relay and model).
//
// Two cadences, time simulated: 1 Hz readings uploaded every 60 s, and a reading every 15 minutes uploaded
// hourly, over a day. The agent's connection is closed between uploads (its keep-alive is 30 s, shorter than
// either interval): the relay ends it after each answer, and the next upload opens a new one, which resumes
// the TLS session. MQTT keeps one connection for the window; its keep-alive pings (MQTT.js default 60 s,
// sent only in minutes without a publish) are not waited for: one ping exchange is measured and counted once
// per such minute. Each side starts cold (full TLS handshake; the agent's first upload is XML until the
// sink's answer lists the columnar encoding).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { generate } from 'selfsigned';
import { memoryLogger } from '../common/log.js';
import { NegotiatedCodec } from '../agent/transport/codec.js';
import { encodeUpload, HttpClient } from '../agent/transport/http-client.js';
import { until } from '../lab/poll.js';
import { resolveConfig } from '../sink/config.js';
import { startSink } from '../sink/sink.js';
import { generateToken, hashToken } from '../sink/tokens.js';
import { agentUpload } from './agent-wire.js';
import { makeFigure } from './figure.js';
import { CountingRelay, linkBytes } from './link-relay.js';
const CADENCES = [
    { name: 'link_bytes_per_reading_1hz_60s', readingsPerUpload: 60, uploads: 10, minutes: 10, publishMinutes: 10 },
    { name: 'link_bytes_per_reading_15min_hourly', readingsPerUpload: 4, uploads: 24, minutes: 1440, publishMinutes: 96 },
];
const GATEWAY = 'gw-sfbay-01';
export async function run(options) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'link-bytes-'));
    try {
        const pair = await serverCertificate();
        writeFileSync(path.join(dir, 'sink.pem'), pair.cert);
        writeFileSync(path.join(dir, 'sink.key'), pair.key, { mode: 0o600 });
        const figures = [];
        for (const cadence of CADENCES) {
            const c = options.quick ? { ...cadence, uploads: 2, minutes: 2 * (cadence.minutes / cadence.uploads) } : cadence;
            const batches = await Promise.all(Array.from({ length: c.uploads }, (_, k) => agentUpload(c.readingsPerUpload, 1040 + k * c.readingsPerUpload)));
            const containers = batches.map((b) => b.container);
            const readings = c.uploads * c.readingsPerUpload;
            const ours = await agentLink(dir, pair.cert, containers);
            const theirs = await mqttLink(pair, containers, c);
            figures.push(makeFigure({
                name: cadence.name,
                value: ours / readings,
                unit: 'bytes',
                baseline: theirs / readings,
                baselineName: 'MQTT 3.1.1 QoS 1, one JSON message per reading, over TLS (MQTT.js to aedes), through the same relay and header model',
                target: { ratioAtMost: 0.5 },
            }));
        }
        return figures;
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/** The agent's codec and HTTP client uploading the containers to a real sink over TLS, one connection each. */
async function agentLink(dir, ca, containers) {
    const { logger } = memoryLogger();
    const config = resolveConfig({}, {
        port: 0,
        host: '127.0.0.1',
        operatorToken: 'operator-token-for-the-link-bench-0123',
        db: path.join(dir, `sink-${Date.now()}.db`),
        tls: { certFile: path.join(dir, 'sink.pem'), keyFile: path.join(dir, 'sink.key') },
    }, {});
    const sink = await startSink(config, logger);
    const token = generateToken();
    await sink.services.store.addGateway(GATEWAY, hashToken(token), Date.now());
    const relay = new CountingRelay(sink.port);
    const url = `https://127.0.0.1:${await relay.start()}/transportDspMessages`;
    const http = new HttpClient({ connectTimeoutMs: 5000, requestTimeoutMs: 10_000, tls: { ca } });
    const codec = new NegotiatedCodec();
    try {
        for (const container of containers) {
            const upload = await encodeUpload(codec.encode({ ...container, creationTime: Date.now() }), true);
            const result = await http.send(url, token, upload);
            if (result.kind !== 'ok')
                throw new Error(`upload failed: ${JSON.stringify(result)}`);
            codec.learn(result.acceptPost);
            // The interval passes: the connection is closed before the next upload.
            relay.closeIdle();
            await until(() => relay.openConnections === 0, 5000);
        }
        if (codec.encoding !== 'columnar')
            throw new Error('the agent never switched to the columnar encoding');
        return linkBytes(relay.count);
    }
    finally {
        await http.close();
        await relay.close();
        await sink.close();
    }
}
/** The same readings over MQTT: one persistent TLS connection, one QoS 1 publish per reading, plus pings. */
async function mqttLink(pair, containers, c) {
    const broker = await Aedes.createBroker();
    const server = tls.createServer({ cert: pair.cert, key: pair.key }, broker.handle);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relay = new CountingRelay(server.address().port);
    const port = await relay.start();
    const connect = (keepalive) => mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, {
        ca: pair.cert,
        clientId: `${GATEWAY}-${keepalive}`,
        clean: false,
        keepalive,
        protocolVersion: 4,
        reconnectPeriod: 0,
    });
    try {
        const client = await connect(60);
        for (const container of containers) {
            for (const reading of readingsOf(container)) {
                await client.publishAsync(`dsp/${GATEWAY}/readings`, JSON.stringify(readingJson(reading)), { qos: 1 });
            }
        }
        await client.endAsync();
        await until(() => relay.openConnections === 0, 5000);
        const publishing = linkBytes(relay.count);
        // One keep-alive exchange (PINGREQ, PINGRESP), measured on a client with a 1 s keep-alive.
        const pinger = await connect(1);
        relay.reset();
        let pings = 0;
        pinger.on('packetreceive', (packet) => void (packet.cmd === 'pingresp' && pings++));
        await until(() => pings >= 3, 10_000);
        const perPing = linkBytes({ ...relay.count, connections: 0 }) / pings;
        await pinger.endAsync();
        return publishing + perPing * (c.minutes - c.publishMinutes);
    }
    finally {
        await relay.close();
        await new Promise((resolve) => server.close(resolve));
        await new Promise((resolve) => broker.close(() => resolve()));
    }
}
function readingsOf(container) {
    return container.messages.flatMap((m) => (m.body.type === 'SondeDataContainer' ? m.body.readings : []));
}
/** What a user would publish: the sequence, the sonde's time, the UTC time and the values. */
function readingJson(reading) {
    return { seq: reading.sequence, time: reading.sondeTime, sampledAt: reading.sampledAt, ...reading.values };
}
async function serverCertificate() {
    const made = await generate([{ name: 'commonName', value: 'sink' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        extensions: [
            { name: 'basicConstraints', cA: true },
            { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
        ],
    });
    return { cert: made.cert, key: made.private };
}
//# sourceMappingURL=link-bytes.js.map