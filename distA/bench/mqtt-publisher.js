// The MQTT side of bench/mqtt-outage.ts, a process of its own so that it can be SIGKILLed:
//
//   node mqtt-publisher.js URL CLIENT_ID START_MS INTERVAL_MS COUNT
//
// Reading k is due at START_MS + k * INTERVAL_MS (k = 0 .. COUNT-1), like a sonde's clock: a restarted
// publisher takes up the readings due from then on (those due while it was dead were never taken, as the
// agent's blind window). Each reading is written to stdout ("k\n") when taken, then handed to MQTT.js
// (QoS 1, clean session false, its default in-memory offline store, reconnecting every 200 ms), which keeps
// it until the broker acknowledges it. Exits 0 once every publish is acknowledged.
import mqtt from 'mqtt';
const [url, clientId, startArg, intervalArg, countArg] = process.argv.slice(2);
if (!url || !clientId || !startArg || !intervalArg || !countArg)
    throw new Error('usage: mqtt-publisher.js URL CLIENT_ID START_MS INTERVAL_MS COUNT');
const start = Number(startArg);
const interval = Number(intervalArg);
const count = Number(countArg);
const client = mqtt.connect(url, { clientId, clean: false, protocolVersion: 4, reconnectPeriod: 200 });
client.on('error', () => undefined); // refused while the broker is down: it reconnects
let next = Math.max(0, Math.ceil((Date.now() - start) / interval));
let unacknowledged = 0;
function take() {
    while (next < count && start + next * interval <= Date.now()) {
        const k = next++;
        process.stdout.write(`${k}\n`);
        unacknowledged++;
        client.publish('dsp/bench/readings', JSON.stringify({ k, temp: 12.5 }), { qos: 1 }, () => {
            unacknowledged--;
            if (next >= count && unacknowledged === 0)
                client.end(false, {}, () => process.exit(0));
        });
    }
    if (next < count)
        setTimeout(take, Math.max(0, start + next * interval - Date.now()));
}
take();
//# sourceMappingURL=mqtt-publisher.js.map