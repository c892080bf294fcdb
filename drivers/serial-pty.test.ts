// Integration: the driver with the real serialport binding on a kernel pty, a pty cable (lab/pty-cable.ts)
// standing in for the RS-232 cable and the simulated sonde on the other end. Unplug = both ptys killed with
// SIGKILL (the paths vanish); replug = new ptys behind the same paths. Readings must resume without
// restarting the driver.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { until } from '../lab/poll.js';
import { PtyCable } from '../lab/pty-cable.js';
import { runSimCommand } from './cli.js';
import { SerialTransport } from './serial-transport.js';
import { runSimulatorOnDevice } from './simulator/serial-host.js';
import type { SimulatedReading } from './simulator/sonde-simulator.js';
import { SondeDriver } from './sonde-driver.js';
import type { DriverReading } from './types.js';

describe('SondeDriver over a pty cable with the real serialport binding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-pty-'));
  let cable: PtyCable;
  const recordPath = join(dir, 'emitted.jsonl');
  let stopSimulator: () => void = () => undefined;
  let simulatorDone: Promise<number> = Promise.resolve(0);
  let driver: SondeDriver;
  const readings: DriverReading[] = [];
  const log = memoryLogger();
  const reopenAttempts = () => log.lines().filter((l) => l.msg === 'reopening serial port').length;

  const emitted = (): SimulatedReading[] =>
    readFileSync(recordPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SimulatedReading);

  beforeAll(async () => {
    cable = await PtyCable.plug(dir);
    // The simulated sonde as `dsp-sonde sim` runs it, recording what it prints (the oracle).
    simulatorDone = runSimCommand(
      ['--port', cable.sondePath, '--interval', '0.2', '--seed', '3', '--record', recordPath],
      new Promise<void>((resolve) => (stopSimulator = resolve)),
    );
    driver = new SondeDriver({
      path: cable.gatewayPath,
      intervalS: 0.2,
      commandTimeoutMs: 400,
      reconnectBaseMs: 50,
      reconnectCapMs: 300,
      logger: log.logger,
    });
    driver.on('reading', (r) => readings.push(r));
    await driver.start();
  });

  afterAll(async () => {
    await driver?.stop();
    stopSimulator();
    await simulatorDone;
    await cable?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets the sonde up over the pty and streams readings', async () => {
    await until(() => readings.length >= 3, 10_000, 'readings over the pty');
    expect(driver.status()).toMatchObject({
      connected: true,
      state: 'streaming',
      serialNumber: '0167BF55',
      intervalS: 0.2,
    });
    const printed = new Map(emitted().map((e) => [e.raw, e.values]));
    for (const r of readings) expect(r.values).toEqual(printed.get(r.raw!));
  });

  it('notices the unplug, and resumes after the replug without a restart', async () => {
    const unpluggedAt = Date.now();
    await cable.unplug();
    await until(() => !driver.status().connected, 5000, 'driver notices the unplug');
    expect(driver.status().state).toBe('disconnected');
    // Reopen attempts fail while the cable is out: wait for two of them, then the driver is still down.
    const attempts = reopenAttempts();
    await until(() => reopenAttempts() >= attempts + 2, 5000, 'reopen attempts on the missing path');
    expect(driver.status().connected).toBe(false);

    await cable.replug();
    const before = readings.length;
    await until(
      () => readings.length >= before + 3 && driver.status().state === 'streaming',
      15_000,
      'readings after the replug',
    );
    expect(driver.status()).toMatchObject({ connected: true, state: 'streaming' });
    expect(driver.status().reconnects).toBeGreaterThanOrEqual(1);
    const printed = new Map(emitted().map((e) => [e.raw, e.values]));
    for (const r of readings.slice(before)) expect(r.values).toEqual(printed.get(r.raw!));
    // Every row printed while the cable was in arrived. Rows near the cut (in the pty buffers when it was
    // pulled) and before the driver reopened its end are fair losses of a pulled cable.
    const arrived = new Set(readings.map((r) => r.raw));
    const cableIn = (at: number) =>
      (at > readings[0]!.receivedAt && at < unpluggedAt - 500) ||
      (at > readings[before]!.receivedAt && at < readings.at(-1)!.receivedAt - 500);
    const missing = emitted().filter((e) => e.delivered && cableIn(e.emittedAt) && !arrived.has(e.raw));
    expect(missing).toEqual([]);
  });
});

describe('the simulated sonde on a pty (dsp-sonde sim) when it is stopped', () => {
  it('sends every byte it printed before its port closes (a recorded row has left)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsp-pty-close-'));
    const cable = await PtyCable.plug(dir);
    const log = memoryLogger();
    const gateway = new SerialTransport({
      path: cable.gatewayPath,
      backoffBaseMs: 50,
      backoffCapMs: 300,
      logger: log.logger,
    });
    let received = '';
    gateway.on('data', (chunk) => (received += chunk.toString('latin1')));
    gateway.start();
    const device = runSimulatorOnDevice(cable.sondePath, {}, log.logger);
    try {
      await until(() => received.includes('# '), 10_000, 'the sonde prompt on the gateway end');
      // One typed command prints its echo, the reply and a prompt in several writes in one turn of the loop:
      // all but the first wait in the port's write queue when close() comes.
      device.simulator.receive('sn\r');
      await device.close();
      await until(() => received.includes('0167BF55\r\n# '), 5000, 'the reply printed before close()');
    } finally {
      await device.close();
      await gateway.stop();
      await cable.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
