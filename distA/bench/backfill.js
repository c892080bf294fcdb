// backfill_readings_per_s: a 24-hour window at 1-minute sampling read back from the simulated sonde's memory
// over a pty cable, by the driver's readLog (break-in, File menu, ASCII upload paced as a 9600-baud UART sends
// it, parse, sampling again). Against the floor: the same readings in the time the upload's bytes take at
// 960 B/s. Target: at most 1.3 times the floor's time, i.e. a rate of at least 1/1.3 of the floor's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '../common/log.js';
import { until } from '../lab/poll.js';
import { PtyCable } from '../lab/pty-cable.js';
import { SondeDriver } from '../drivers/sonde-driver.js';
import { LINE_BYTES_PER_S } from '../drivers/sonde-guesses.js';
import { runSimulatorOnDevice } from '../drivers/simulator/serial-host.js';
import { makeFigure } from './figure.js';
const silent = new Logger({}, { write: () => undefined });
export async function run(options) {
    const windowMs = (options.quick ? 20 * 60 : 24 * 3600) * 1000;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-backfill-'));
    const cable = await PtyCable.plug(dir);
    const sonde = runSimulatorOnDevice(cable.sondePath, { intervalS: 60, seed: 5, logging: true }, silent);
    const driver = new SondeDriver({ path: cable.gatewayPath, intervalS: 60, logToMemory: true, logger: silent });
    try {
        const now = Date.now();
        sonde.simulator.logHistory(now - windowMs, now, 60);
        await driver.start();
        await until(() => driver.status().state === 'streaming', 30_000, 'the driver streaming');
        const started = performance.now();
        const result = await driver.readLog(now - windowMs, now);
        const seconds = (performance.now() - started) / 1000;
        const readings = result.readings.length;
        if (readings < windowMs / 60_000 - 1)
            throw new Error(`read back ${readings} readings of ${windowMs / 60_000}`);
        const floorS = sonde.simulator.lastUploadBytes / LINE_BYTES_PER_S;
        return [
            makeFigure({
                name: 'backfill_readings_per_s',
                value: readings / seconds,
                unit: 'readings/s',
                baseline: readings / floorS,
                baselineName: `the upload's ${sonde.simulator.lastUploadBytes} bytes at ${LINE_BYTES_PER_S} B/s`,
                target: { ratioAtLeast: 1 / 1.3 },
            }),
        ];
    }
    finally {
        await driver.stop();
        await sonde.close();
        await cable.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=backfill.js.map