// backfill_readings_per_s: a 24-hour window at 1-minute sampling read back from the simulated sonde's memory
// over a pty cable, by the driver's readLog (break-in, File menu, ASCII upload paced as a 9600-baud UART sends
// it, parse, sampling again). Against the floor: the same readings in the time the upload's bytes take at
// 960 B/s. Target: at most 1.3 times the floor's time, i.e. a rate of at least 1/1.3 of the floor's.
//
// backfill_binary_readings_per_s: the same window read back as the sonde's PC6000 file over Kermit
// (sonde.upload_format = "binary"), against the ASCII readback of the same run. For information (no target):
// it says whether binary is worth its default; its baseline's text gives the bytes of both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '../common/log.js';
import { until } from '../lab/poll.js';
import { PtyCable } from '../lab/pty-cable.js';
import { SondeDriver } from '../drivers/sonde-driver.js';
import { LINE_BYTES_PER_S } from '../drivers/sonde-guesses.js';
import { runSimulatorOnDevice, type DeviceSimulator } from '../drivers/simulator/serial-host.js';
import type { UploadFormat } from '../drivers/types.js';
import { makeFigure, type BenchOptions, type Figure } from './figure.js';

const silent = new Logger({}, { write: () => undefined });

interface Readback {
  readings: number;
  seconds: number;
  /** Bytes the sonde sent for the upload (the text, or every Kermit packet). */
  sondeBytes: number;
}

/** One readLog of [from, to] by a driver asking for `format`, started and stopped around it. */
async function readBack(cable: PtyCable, sonde: DeviceSimulator, format: UploadFormat, from: number, to: number) {
  const driver = new SondeDriver({
    path: cable.gatewayPath,
    intervalS: 60,
    logToMemory: true,
    uploadFormat: format,
    logger: silent,
  });
  try {
    await driver.start();
    await until(() => driver.status().state === 'streaming', 30_000, 'the driver streaming');
    const started = performance.now();
    const result = await driver.readLog(from, to);
    const seconds = (performance.now() - started) / 1000;
    const expected = Math.floor((to - from) / 60_000);
    if (result.readings.length < expected - 1)
      throw new Error(`${format}: read back ${result.readings.length} readings of ${expected}`);
    return { readings: result.readings.length, seconds, sondeBytes: sonde.simulator.lastUploadBytes } as Readback;
  } finally {
    await driver.stop();
  }
}

export async function run(options: BenchOptions): Promise<Figure[]> {
  const windowMs = (options.quick ? 20 * 60 : 24 * 3600) * 1000;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-backfill-'));
  const cable = await PtyCable.plug(dir);
  const sonde = runSimulatorOnDevice(cable.sondePath, { intervalS: 60, seed: 5, logging: true }, silent);
  try {
    const now = Date.now();
    sonde.simulator.logHistory(now - windowMs, now, 60);
    const ascii = await readBack(cable, sonde, 'ascii', now - windowMs, now);
    const binary = await readBack(cable, sonde, 'binary', now - windowMs, now);
    const file = sonde.simulator.lastUploadFile?.length ?? 0;
    return [
      makeFigure({
        name: 'backfill_readings_per_s',
        value: ascii.readings / ascii.seconds,
        unit: 'readings/s',
        baseline: ascii.readings / (ascii.sondeBytes / LINE_BYTES_PER_S),
        baselineName: `the upload's ${ascii.sondeBytes} bytes at ${LINE_BYTES_PER_S} B/s`,
        target: { ratioAtLeast: 1 / 1.3 },
      }),
      makeFigure({
        name: 'backfill_binary_readings_per_s',
        value: binary.readings / binary.seconds,
        unit: 'readings/s',
        baseline: ascii.readings / ascii.seconds,
        baselineName:
          `the ASCII readback of the same window (${ascii.sondeBytes} bytes in ${ascii.seconds.toFixed(1)} s); ` +
          `binary: a ${file}-byte PC6000 file, ${binary.sondeBytes} bytes of Kermit packets in ${binary.seconds.toFixed(1)} s`,
        target: { none: true },
      }),
    ];
  } finally {
    await sonde.close();
    await cable.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
