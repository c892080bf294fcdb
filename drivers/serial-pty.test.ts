// Integration: the driver with the real serialport binding on a kernel pty, socat standing in for the
// RS-232 cable and the simulated sonde on the other end. Unplug = socat killed with SIGKILL; replug =
// socat started again on the same symlinked paths. Readings must resume without restarting the driver.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { runSimCommand } from './cli.js';
import type { SimulatedReading } from './simulator/sonde-simulator.js';
import { SondeDriver } from './sonde-driver.js';
import { waitFor } from '../test/support/ysi.js';
import type { DriverReading } from './types.js';

if (spawnSync('socat', ['-V']).error) {
  throw new Error('socat is needed for the serial integration tests (apt-get install socat; .ci/run does it)');
}

describe('SondeDriver over a socat pty pair with the real serialport binding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-pty-'));
  const sondePath = join(dir, 'sonde');
  const gatewayPath = join(dir, 'gateway');
  let socat: ChildProcess | null = null;
  const recordPath = join(dir, 'emitted.jsonl');
  let stopSimulator: () => void = () => undefined;
  let simulatorDone: Promise<number> = Promise.resolve(0);
  let driver: SondeDriver;
  const readings: DriverReading[] = [];

  async function plugCable(): Promise<void> {
    socat = spawn('socat', [`pty,raw,echo=0,link=${sondePath}`, `pty,raw,echo=0,link=${gatewayPath}`], {
      stdio: 'ignore',
    });
    const started = socat;
    await waitFor(
      () => started.pid !== undefined && existsSync(sondePath) && existsSync(gatewayPath),
      5000,
      'socat ptys',
    );
  }

  async function unplugCable(): Promise<void> {
    const running = socat!;
    socat = null;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
    // SIGKILL leaves socat's symlinks behind, pointing at ptys that are gone (as a stale /dev node would).
  }

  const emitted = (): SimulatedReading[] =>
    readFileSync(recordPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SimulatedReading);

  beforeAll(async () => {
    await plugCable();
    // The simulated sonde as `dsp-sonde sim` runs it, recording what it prints (the oracle).
    simulatorDone = runSimCommand(
      ['--port', sondePath, '--interval', '0.2', '--seed', '3', '--record', recordPath],
      new Promise<void>((resolve) => (stopSimulator = resolve)),
    );
    driver = new SondeDriver({
      path: gatewayPath,
      intervalS: 0.2,
      commandTimeoutMs: 400,
      reconnectBaseMs: 50,
      reconnectCapMs: 300,
      logger: memoryLogger().logger,
    });
    driver.on('reading', (r) => readings.push(r));
    await driver.start();
  });

  afterAll(async () => {
    await driver?.stop();
    stopSimulator();
    await simulatorDone;
    socat?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets the sonde up over the pty and streams readings', async () => {
    await waitFor(() => readings.length >= 3, 10_000, 'readings over the pty');
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
    await unplugCable();
    await waitFor(() => !driver.status().connected, 5000, 'driver notices the unplug');
    expect(driver.status().state).toBe('disconnected');
    await new Promise((r) => setTimeout(r, 300)); // reopen attempts fail meanwhile
    expect(driver.status().connected).toBe(false);

    await plugCable();
    const before = readings.length;
    await waitFor(
      () => readings.length >= before + 3 && driver.status().state === 'streaming',
      15_000,
      'readings after the replug',
    );
    expect(driver.status()).toMatchObject({ connected: true, state: 'streaming' });
    expect(driver.status().reconnects).toBeGreaterThanOrEqual(1);
    const printed = new Map(emitted().map((e) => [e.raw, e.values]));
    for (const r of readings.slice(before)) expect(r.values).toEqual(printed.get(r.raw!));
    // Every row printed while the cable was in arrived. Rows near the cut (in socat's buffers when it was
    // killed) and before the driver reopened its end are fair losses of a pulled cable.
    const arrived = new Set(readings.map((r) => r.raw));
    const cableIn = (at: number) =>
      (at > readings[0]!.receivedAt && at < unpluggedAt - 500) ||
      (at > readings[before]!.receivedAt && at < readings.at(-1)!.receivedAt - 500);
    const missing = emitted().filter((e) => e.delivered && cableIn(e.emittedAt) && !arrived.has(e.raw));
    expect(missing).toEqual([]);
  });
});
