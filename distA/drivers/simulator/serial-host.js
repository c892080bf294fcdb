// Runs the simulated sonde on a real serial device (for example one end of a pty cable, lab/pty-cable.ts),
// through the same reconnecting transport the driver uses, so a cable plugged in again is picked up.
import { createWriteStream } from 'node:fs';
import { SerialTransport } from '../serial-transport.js';
import { SondeSimulator } from './sonde-simulator.js';
export function runSimulatorOnDevice(path, options, logger) {
    const simulator = new SondeSimulator(options);
    const transport = new SerialTransport({
        path,
        baudRate: options.baudRate ?? 9600,
        backoffBaseMs: 200,
        backoffCapMs: 5000,
        logger,
    });
    transport.on('data', (chunk) => simulator.receive(chunk));
    simulator.attach((bytes) => {
        if (!transport.connected)
            return false;
        void transport.write(bytes);
        return true;
    });
    // The disconnect fault: let go of the device for a while, as a pulled cable would.
    simulator.onUnplug = (seconds) => {
        logger.info('simulated unplug', { seconds });
        void transport.stop().then(() => setTimeout(() => transport.start(), seconds * 1000));
    };
    const record = options.record ? createWriteStream(options.record, { flags: 'a' }) : null;
    record?.on('error', (err) => logger.error('cannot write the record file', { err }));
    if (record)
        simulator.onReading((r) => record.write(JSON.stringify(r) + '\n'));
    // Power on (banner, or streaming) once the line is open, as a sonde wired to a listening gateway.
    transport.once('open', () => simulator.start());
    transport.start();
    return {
        simulator,
        async close() {
            simulator.stop();
            await transport.stop();
            await new Promise((resolve) => (record ? record.end(resolve) : resolve()));
        },
    };
}
//# sourceMappingURL=serial-host.js.map