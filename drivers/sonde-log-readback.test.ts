// The sonde logs what it streams (Discrete sample with a file open) and the driver reads a window of it
// back over the File menu: against the simulated sonde through binding-mock.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { until } from '../lab/poll.js';
import { SondeDriver } from './sonde-driver.js';
import { LOG_FILE_NAME } from './sonde-guesses.js';
import { startInProcessSimulator } from './simulator/in-process.js';
import type { SimulatorOptions } from './simulator/sonde-simulator.js';
import type { DriverReading, SondeDriverOptions } from './types.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(sim: SimulatorOptions = {}, driver: Partial<SondeDriverOptions> = {}) {
  const host = await startInProcessSimulator({ intervalS: 1, seed: 7, uploadBytesPerS: 0, ...sim });
  cleanup.push(() => host.close());
  const { logger, lines } = memoryLogger();
  const d = new SondeDriver({
    path: host.path,
    binding: host.binding,
    intervalS: 1,
    commandTimeoutMs: 300,
    reconnectBaseMs: 20,
    reconnectCapMs: 100,
    logToMemory: true,
    logger,
    ...driver,
  });
  const readings: DriverReading[] = [];
  d.on('reading', (r) => readings.push(r));
  cleanup.unshift(() => d.stop());
  await d.start();
  return { driver: d, host, sim: host.simulator, readings, logs: lines };
}

/** A reading as the sonde's clock and values identify it. */
const key = (r: { sondeTime: string; values: Record<string, number | null> }) =>
  `${r.sondeTime} ${JSON.stringify(Object.entries(r.values).sort())}`;

describe('the sonde logs what it streams and the driver reads it back', () => {
  it('opens its log file from the Discrete sample menu, so every row streamed is logged', async () => {
    const { sim, readings } = await setup();
    await until(() => readings.length >= 3, 10_000, 'rows streaming');
    expect(sim.commands).toContain('menu');
    expect(sim.memory.fileName).toBe(LOG_FILE_NAME);
    expect(sim.memory.open).toBe(true);
    expect(sim.memory.rows.length).toBe(sim.emitted.length);
  });

  it('without logToMemory it streams with `run` and the sonde logs nothing', async () => {
    const { sim, readings } = await setup({}, { logToMemory: false });
    await until(() => readings.length >= 2, 10_000, 'rows streaming');
    expect(sim.commands).toContain('run');
    expect(sim.memory.rows).toEqual([]);
  });

  it('reads back the rows of a window, as the sonde printed them, and streams again afterwards', async () => {
    const { driver, sim, readings } = await setup();
    await until(() => readings.length >= 4, 15_000, 'rows streaming');
    const window = readings.slice(1, 3);
    const from = window[0]!.sampledAt!;
    const to = window.at(-1)!.sampledAt!;
    const result = await driver.readLog(from, to);
    expect(result.readings.map(key)).toEqual(window.map(key));
    expect(result.readings.map((r) => r.sampledAt)).toEqual(window.map((r) => r.sampledAt));
    expect(result.rejected).toBe(0);
    expect(result.pausedMs).toBeGreaterThan(0);
    const after = readings.length;
    await until(() => readings.length >= after + 2, 10_000, 'streaming again after the upload');
    expect(driver.status().state).toBe('streaming');
    // Logging goes on: what streamed after the upload is in the memory too.
    expect(sim.memory.rows.length).toBe(sim.emitted.length);
  });

  it('a binary upload (the PC6000 file over Kermit) reads back the same readings as the ASCII one', async () => {
    const { driver, sim, readings } = await setup({}, { uploadFormat: 'binary' });
    await until(() => readings.length >= 1, 10_000, 'rows streaming');
    const now = Date.now();
    const history = sim.logHistory(now - 7_200_000, now - 3_600_000, 60);
    sim.memory.rows.sort((a, b) => a.seconds - b.seconds);
    const second = (t: number) => Math.floor(t / 1000) * 1000;
    const [from, to] = [second(history[10]!.emittedAt), second(history[20]!.emittedAt)];
    const result = await driver.readLog(from, to);
    // The same values (the file's floats read as the decimals logged) and times; the file's own time text.
    const valuesAt = (r: { sampledAt?: number; values: Record<string, number | null> }) =>
      `${r.sampledAt} ${JSON.stringify(Object.entries(r.values).sort())}`;
    const expected = history.slice(10, 21).map((h) => valuesAt({ sampledAt: second(h.emittedAt), values: h.values }));
    expect(result.readings.map(valuesAt)).toEqual(expected);
    expect(result.rejected).toBe(0);
    // What crossed the line is the Kermit packets: more than the file (framing, prefixes), all of it counted.
    expect(sim.lastUploadFile).not.toBeNull();
    expect(result.bytes).toBeGreaterThan(sim.lastUploadFile!.length);
    const after = readings.length;
    await until(() => readings.length > after, 10_000, 'streaming again after the upload');
  });

  it('a line that drops during a Kermit transfer ends the readback with a clear error; streaming resumes', async () => {
    // Paced at 960 B/s: an hour at 1 minute (~3 kB of packets) takes seconds, long enough to pull the cable.
    const { driver, host, sim, readings } = await setup({ uploadBytesPerS: 960 }, { uploadFormat: 'binary' });
    await until(() => readings.length >= 1, 10_000, 'rows streaming');
    const now = Date.now();
    sim.logHistory(now - 3_600_000, now, 60);
    sim.memory.rows.sort((a, b) => a.seconds - b.seconds);
    const readback = driver.readLog(now - 3_600_000, now);
    await until(() => sim.currentState === 'kermit', 10_000, 'the Kermit transfer under way');
    host.unplug();
    await expect(readback).rejects.toThrow('the line dropped during the Kermit transfer');
    host.replug();
    const after = readings.length;
    // The sonde, still sending, takes the break-in: back to its prompt, then sampling again.
    await until(() => readings.length > after, 20_000, 'streaming again after the replug');
  });

  it('reads the rows the gateway never saw (history logged before it listened), only within the window', async () => {
    const { driver, sim, readings } = await setup();
    await until(() => readings.length >= 1, 10_000, 'rows streaming');
    const now = Date.now();
    // An hour at 1 minute, an hour ago: rows the sonde logged while nobody listened.
    const history = sim.logHistory(now - 7_200_000, now - 3_600_000, 60);
    sim.memory.rows.sort((a, b) => a.seconds - b.seconds);
    const second = (t: number) => Math.floor(t / 1000) * 1000; // the sonde's clock has whole seconds
    const from = second(history[10]!.emittedAt);
    const to = second(history[20]!.emittedAt);
    const result = await driver.readLog(from, to);
    expect(result.readings.map(key)).toEqual(history.slice(10, 21).map(key));
  });

  it('a full memory stops logging; the readback holds what was logged before', async () => {
    // Room for 3 rows of 12 values (53 bytes each).
    const { driver, sim, readings } = await setup({ memoryBytes: 3 * 53 });
    await until(() => readings.length >= 5, 15_000, 'rows streaming');
    expect(sim.memory.rows).toHaveLength(3);
    expect(sim.memory.notLogged).toBeGreaterThan(0);
    const result = await driver.readLog(readings[0]!.sampledAt!, Date.now());
    expect(result.readings.map(key)).toEqual(readings.slice(0, 3).map(key));
  });

  it('an empty memory: nothing to read back, and sampling resumes', async () => {
    const { driver, sim, readings } = await setup({}, {});
    await until(() => readings.length >= 1, 10_000, 'rows streaming');
    sim.memory.rows = [];
    const result = await driver.readLog(0, Date.now());
    expect(result.readings).toEqual([]);
    const after = readings.length;
    await until(() => readings.length > after, 10_000, 'streaming again');
  });
});
