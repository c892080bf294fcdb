// The session state machine and the facade, against the simulated sonde through binding-mock.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { Registry } from '../common/metrics.js';
import { registerSondeMetrics } from './metrics.js';
import { SondeDriver } from './sonde-driver.js';
import { startInProcessSimulator, type InProcessSimulator } from './simulator/in-process.js';
import type { SimulatorOptions } from './simulator/sonde-simulator.js';
import { until } from '../lab/poll.js';
import type { DriverReading, DriverState, RejectedLine, SondeDriverOptions } from './types.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(sim: SimulatorOptions = {}, driver: Partial<SondeDriverOptions> = {}) {
  const host = await startInProcessSimulator({ intervalS: 0.1, seed: 7, ...sim });
  cleanup.push(() => host.close());
  return { ...(await driverOn(host, driver)), host, sim: host.simulator };
}

/** A driver (with its event logs) on a simulated sonde that may already be running. */
async function driverOn(host: InProcessSimulator, driver: Partial<SondeDriverOptions> = {}) {
  const { logger, lines } = memoryLogger();
  const d = new SondeDriver({
    path: host.path,
    binding: host.binding,
    intervalS: 0.1,
    commandTimeoutMs: 150,
    reconnectBaseMs: 20,
    reconnectCapMs: 100,
    logger,
    ...driver,
  });
  const readings: DriverReading[] = [];
  const states: DriverState[] = [];
  const rejected: RejectedLine[] = [];
  d.on('reading', (r) => readings.push(r));
  d.on('state', (s) => states.push(s));
  d.on('rejected', (r) => rejected.push(r));
  cleanup.unshift(() => d.stop());
  return { driver: d, readings, states, rejected, logs: lines };
}

/**
 * Every row the simulator printed intact while connected arrived as a reading with the same values.
 * Rows are matched by their text: below 1 s intervals several rows share one sonde time.
 */
function expectOracle(host: InProcessSimulator, readings: DriverReading[], fromRow = 0) {
  const got = new Map(readings.map((r) => [r.raw, r.values]));
  const expected = host.simulator.emitted.slice(fromRow).filter((e) => e.delivered && !e.damaged);
  for (const e of expected) expect(got.get(e.raw), e.raw).toEqual(e.values);
  return expected.length;
}

describe('SondeDriver (active) against the simulated sonde', () => {
  it('wakes it, identifies it, binds columns from para, sets the interval, checks the clock and streams', async () => {
    const { sim, driver, readings, states, host } = await setup({ intervalS: 5, clockOffsetS: -42 });
    await driver.start();
    await until(() => readings.length >= 3, 5000, 'readings');
    expect(sim.commands.slice(0, 6)).toEqual(['sn', 'para', 'Sinterval 0.1', 'date', 'time', 'run']);
    expect(sim.sampleIntervalS).toBe(0.1);
    expect(states).toEqual(['disconnected', 'waking', 'configuring', 'streaming']);
    const status = driver.status();
    expect(status).toMatchObject({
      state: 'streaming',
      connected: true,
      serialNumber: '0167BF55',
      intervalS: 0.1,
      rejected: {},
    });
    expect(status.columns).toEqual([
      'Date',
      'Time',
      'Temp',
      'SpCond',
      'Cond',
      'Sal',
      'Press',
      'Depth',
      'pH',
      'phmV',
      'ODOSat',
      'ODOConc',
      'Turbid',
      'Battery',
    ]);
    expect(status.clockDriftMs).toBeGreaterThan(-44_000);
    expect(status.clockDriftMs).toBeLessThan(-40_000);
    const r = readings[0]!;
    expect(r.units).toMatchObject({
      Temp: 'C',
      SpCond: 'uS/cm',
      Cond: 'uS/cm',
      Press: 'psir',
      Depth: 'm',
      Battery: 'V',
    });
    expect(Math.abs(r.sampledAt! + 42_000 - r.receivedAt)).toBeLessThan(1500);
    expect(r.flags).toEqual([]);
    expect(expectOracle(host, readings)).toBeGreaterThanOrEqual(3);
  });

  it('turns the sonde clock of its zone into UTC and flags a clock far off', async () => {
    const zone = 'America/Los_Angeles';
    const { driver, readings } = await setup(
      { timeZone: zone, clockOffsetS: -900, dateFormat: 'dmy' },
      { timeZone: zone, clockToleranceS: 300 },
    );
    const registry = new Registry();
    registerSondeMetrics(registry, driver);
    await driver.start();
    await until(() => readings.length >= 2, 5000, 'readings');
    const r = readings.at(-1)!;
    expect(Math.abs(r.sampledAt! + 900_000 - r.receivedAt)).toBeLessThan(1500);
    expect(r.flags).toEqual(['suspect_clock']);
    expect(driver.status().clockDriftMs).toBeLessThan(-895_000);
    const text = registry.render();
    expect(text).toMatch(/^dsp_sonde_connected 1$/m);
    expect(text).toMatch(/^dsp_sonde_readings_total [1-9]\d*$/m);
    expect(text).toMatch(/^dsp_sonde_clock_drift_seconds -(89\d|90\d)/m);
  });

  it('wakes a sleeping sonde and gets out of a menu that ignores the break (0 / y route)', async () => {
    const { sim, driver, readings } = await setup({ autoSleepS: 0.05, menuIgnoresBreak: true });
    sim.receive('menu\r');
    sim.receive('1'); // now in Run setup
    await driver.start();
    await until(() => readings.length >= 2, 8000, 'readings');
    expect(sim.commands).toContain('run');
    expect(driver.status().state).toBe('streaming');
  });

  it('an unplug in the middle of the setup aborts it quietly; the setup runs again after the replug', async () => {
    const { host, sim, driver, readings, states } = await setup({ menuIgnoresBreak: true });
    sim.receive('menu\r'); // the break is ignored here, so the setup spends a while waking it
    let writes = 0;
    const receive = sim.receive.bind(sim);
    sim.receive = (bytes) => (writes++, receive(bytes));
    await driver.start();
    await until(() => states.includes('waking') && writes >= 2, 2000, 'the setup writing to the sonde');
    host.unplug();
    await until(() => driver.status().state === 'disconnected', 2000, 'disconnected');
    host.replug();
    await until(() => readings.length >= 2, 8000, 'readings after the replug');
    expect(driver.status()).toMatchObject({ reconnects: 1, serialNumber: '0167BF55' });
  });

  it('reopens the port when the sonde never gives a prompt (a sonde in legacy mode on an active driver)', async () => {
    const { driver, logs } = await setup({ legacy: true }, { commandTimeoutMs: 30 });
    await driver.start();
    await until(() => driver.status().reconnects >= 1, 8000, 'reopen');
    expect(logs().some((l) => l.msg === 'sonde does not answer; reopening the port')).toBe(true);
    expect(driver.status().rejected.unbound).toBeGreaterThan(0); // the rows it printed had no column map
  });

  it('restarts sampling when the stream stops (watchdog after 3 intervals)', async () => {
    const { sim, driver, readings, logs } = await setup();
    await driver.start();
    await until(() => readings.length >= 2, 5000, 'readings');
    sim.stop(); // the sonde stops printing, still answers the keyboard
    await until(() => driver.status().watchdogRestarts >= 1, 5000, 'watchdog');
    const before = readings.length;
    await until(() => readings.length >= before + 2, 5000, 'readings after restart');
    expect(sim.commands.filter((c) => c === 'run').length).toBeGreaterThanOrEqual(2);
    expect(logs().some((l) => l.msg === 'no reading for 3 intervals; restarting sampling')).toBe(true);
  });

  it('changes the interval at run time: stops, sets, restarts and reports the outcome', async () => {
    const { sim, driver, readings } = await setup();
    await driver.start();
    await until(() => readings.length >= 2, 5000, 'readings');
    await expect(driver.setSamplingInterval(0.2)).resolves.toEqual({ outcome: 'applied', intervalS: 0.2 });
    expect(sim.sampleIntervalS).toBe(0.2);
    expect(driver.status().intervalS).toBe(0.2);
    const before = readings.length;
    await until(() => readings.length >= before + 2, 5000, 'readings after change');
    await expect(driver.setSamplingInterval(-1)).resolves.toMatchObject({ outcome: 'rejected', intervalS: 0.2 });
    await expect(driver.setSamplingInterval(Number.NaN)).resolves.toMatchObject({ outcome: 'rejected' });
  });

  it('reports a rejected interval when the sonde refuses it, keeping the old one', async () => {
    const { sim, driver, readings } = await setup({ maxIntervalS: 60 });
    await driver.start();
    await until(() => readings.length >= 1, 5000, 'readings');
    const result = await driver.setSamplingInterval(120);
    expect(result).toEqual({ outcome: 'rejected', reason: 'the sonde answered "Invalid value"', intervalS: 0.1 });
    expect(sim.sampleIntervalS).toBe(0.1);
    const before = readings.length;
    await until(() => readings.length >= before + 2, 5000, 'streaming again');
  });

  it('binds the new columns when a different sonde is plugged in', async () => {
    const { host, sim, driver, readings, logs } = await setup();
    await driver.start();
    await until(() => readings.length >= 1, 5000, 'readings');
    host.unplug();
    sim.swap('0200AA01', [22, 1, 211]);
    await until(() => !driver.status().connected, 2000, 'loss');
    host.replug();
    await until(() => Object.keys(readings.at(-1)!.values).length === 3, 5000, 'readings of the new sonde');
    expect(driver.status().serialNumber).toBe('0200AA01');
    expect(Object.keys(readings.at(-1)!.values)).toEqual(['Depth', 'Temp', 'ODOSat']);
    expect(logs().some((l) => l.msg === 'a different sonde is connected; binding its columns afresh')).toBe(true);
    expect(driver.status().reconnects).toBe(1);
  });

  it('survives unplug and replug without a restart, and loses no reading printed while connected', async () => {
    const { host, driver, readings, logs } = await setup();
    await driver.start();
    await until(() => readings.length >= 3, 5000, 'readings');
    host.unplug();
    await until(() => driver.status().state === 'disconnected', 2000, 'disconnected');
    const reopens = () => logs().filter((l) => l.msg === 'reopening serial port').length;
    const attempts = reopens();
    await until(() => reopens() >= attempts + 2, 2000, 'reopen attempts while unplugged');
    host.replug();
    const before = readings.length;
    await until(
      () => readings.length >= before + 3 && driver.status().state === 'streaming',
      5000,
      'readings after replug',
    );
    expect(driver.status()).toMatchObject({ connected: true, reconnects: 1, state: 'streaming' });
    expectOracle(host, readings);
  });

  it('keeps going through garbage, cut lines and lost characters, counting what it rejects', async () => {
    const { host, driver, readings, rejected } = await setup({ faults: { garbage: 0.2, cut: 0.15, drop: 0.1 } });
    await driver.start();
    await until(() => host.simulator.emitted.length >= 30, 8000, 'rows');
    await driver.stop();
    const status = driver.status();
    expect(rejected.length).toBeGreaterThan(0);
    expect(Object.values(status.rejected).reduce((a, b) => a + b, 0)).toBe(rejected.length);
    expect(status.readings).toBe(readings.length);
    expect(expectOracle(host, readings)).toBeGreaterThan(12); // every intact row arrived
  });

  it('stop() breaks out of run so the sonde can sleep, and closes the port', async () => {
    const { sim, driver, readings } = await setup();
    await driver.start();
    await until(() => readings.length >= 1, 5000, 'readings');
    await driver.stop();
    await until(() => sim.currentState === 'prompt', 1000, 'sonde at prompt');
    expect(driver.status()).toMatchObject({ state: 'idle', connected: false });
  });
});

describe('SondeDriver (passive)', () => {
  it('sends nothing and parses a sonde already streaming the original layout', async () => {
    const { host, driver, readings, states } = await setup({ legacy: true }, { mode: 'passive' });
    let written = 0;
    const receive = host.simulator.receive.bind(host.simulator);
    host.simulator.receive = (b) => {
      written++;
      receive(b);
    };
    await driver.start();
    await until(() => readings.length >= 3, 5000, 'readings');
    expect(written).toBe(0);
    expect(states.at(-1)).toBe('passive');
    expect(Object.keys(readings[0]!.values)).toHaveLength(13);
    expectOracle(host, readings);
    await expect(driver.setSamplingInterval(5)).resolves.toMatchObject({
      outcome: 'rejected',
      reason: 'passive mode sends nothing to the sonde',
    });
  });

  it('reopens the port when the line stays silent longer than the silence timeout', async () => {
    const { host, driver, readings } = await setup(
      { legacy: true, faults: { silence: 0.2, silenceS: 1 } },
      { mode: 'passive', silenceTimeoutS: 0.4 },
    );
    await driver.start();
    await until(() => driver.status().reconnects >= 1, 8000, 'reopen after silence');
    expect(driver.status().lastError).toMatch(/silent/);
    const before = readings.length;
    await until(() => readings.length > before, 8000, 'readings after the reopen');
    expectOracle(host, readings);
  });

  it('auto layout in passive mode binds from a header block in the stream', async () => {
    const { host, driver, readings } = await setup(
      { streaming: true, pageLength: 5 },
      { mode: 'passive', layout: 'auto' },
    );
    await driver.start();
    await until(() => readings.length >= 3, 5000, 'readings');
    expect(driver.status().columns).toContain('ODOSat');
    expectOracle(host, readings);
  });
});

describe('SondeDriver construction', () => {
  it('refuses bad options at once: unknown zone, interval out of range, unknown mode or layout', () => {
    expect(() => new SondeDriver({ path: '/dev/x', timeZone: 'Nowhere/Land' })).toThrow(RangeError);
    expect(() => new SondeDriver({ path: '/dev/x', intervalS: 0 })).toThrow(RangeError);
    expect(() => new SondeDriver({ path: '/dev/x', mode: 'loud' as 'active' })).toThrow(RangeError);
    expect(() => new SondeDriver({ path: '/dev/x', layout: 'guess' as 'auto' })).toThrow(RangeError);
    expect(() => new SondeDriver({ path: '' })).toThrow(TypeError);
  });

  it('stores an interval while the sonde is away and sends it at the next setup', async () => {
    const { host, sim, driver, readings } = await setup();
    host.unplug();
    await driver.start();
    await expect(driver.setSamplingInterval(0.3)).resolves.toEqual({ outcome: 'applied', intervalS: 0.3 });
    host.replug();
    await until(() => readings.length >= 1, 5000, 'readings');
    expect(sim.sampleIntervalS).toBe(0.3);
  });
});

describe('SondeDriver restarted while the sonde streams', () => {
  function stateDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'dsp-sonde-state-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Records what the gateway writes to the sonde. */
  function wiretap(host: InProcessSimulator): string[] {
    const written: string[] = [];
    const receive = host.simulator.receive.bind(host.simulator);
    host.simulator.receive = (b) => {
      written.push(typeof b === 'string' ? b : b.toString('latin1'));
      receive(b);
    };
    return written;
  }

  /** A first driver sets the sonde up and remembers the binding; then the sonde is left streaming unattended. */
  async function previousSession(host: InProcessSimulator, stateFile: string) {
    const first = await driverOn(host, { stateFile });
    await first.driver.start();
    await until(() => first.readings.length >= 2, 5000, 'first session readings');
    await first.driver.stop(); // (a crash would leave it streaming; stop breaks in, so restart sampling)
    await until(() => host.simulator.currentState === 'prompt', 2000, 'sonde at its prompt');
    host.simulator.receive('run\r');
    const printed = host.simulator.emitted.length;
    await until(() => host.simulator.emitted.length >= printed + 3, 5000, 'rows printed with no driver');
    return JSON.parse(readFileSync(stateFile, 'utf8')) as {
      serialNumber: string;
      intervalS: number;
      columns: unknown[];
    };
  }

  it('with a remembered binding adopts the running stream at once: no break-in, no row lost', async () => {
    const host = await startInProcessSimulator({ intervalS: 0.1, seed: 7 });
    cleanup.push(() => host.close());
    const stateFile = path.join(stateDir(), 'sonde-state.json');
    const remembered = await previousSession(host, stateFile);
    expect(remembered).toMatchObject({ serialNumber: '0167BF55', intervalS: 0.1 });
    expect(remembered.columns).toHaveLength(14);

    const firstRow = host.simulator.emitted.length;
    const commandsBefore = host.simulator.commands.length;
    const written = wiretap(host);
    const { driver, readings, logs } = await driverOn(host, { stateFile });
    await driver.start();
    await until(() => readings.length >= 10, 5000, 'readings');
    expect(driver.status()).toMatchObject({ state: 'streaming', serialNumber: '0167BF55', rejected: {} });
    expect(written.join('')).not.toContain('\x1b\x1b\x05'); // never broke in
    expect(host.simulator.commands.length).toBe(commandsBefore); // no command at all
    expect(host.simulator.currentState).toBe('running');
    expect(
      logs().some((l) => l.msg === 'sonde already streaming rows that fit the remembered binding; adopting the stream'),
    ).toBe(true);
    // Every row printed since this driver's port opened arrived, with its values under the right keys.
    const delivered = host.simulator.emitted.slice(firstRow).filter((e) => e.delivered);
    expect(delivered.length).toBeGreaterThanOrEqual(10);
    expectOracle(host, readings, firstRow);
    expect(readings[0]!.raw).toBe(delivered[0]!.raw);

    // The adopted binding is verified at the next break-in (here: an interval change).
    expect(await driver.setSamplingInterval(0.2)).toEqual({ outcome: 'applied', intervalS: 0.2 });
    await until(() => host.simulator.commands.length >= commandsBefore + 4, 2000, 'run sent');
    expect(host.simulator.commands.slice(commandsBefore)).toEqual(['sn', 'para', 'Sinterval 0.2', 'run']);
    await until(
      () => JSON.parse(readFileSync(stateFile, 'utf8')).intervalS === 0.2,
      2000,
      'state file with the new interval',
    );
  });

  it('without a remembered binding breaks in at once and parses the rows that came first once para binds them', async () => {
    const { host, driver, readings, rejected } = await setup(
      { streaming: true },
      { stateFile: path.join(stateDir(), 'sonde-state.json') },
    );
    const written = wiretap(host);
    await driver.start();
    await until(() => readings.length >= 10, 5000, 'readings');
    // No second wake-up is spent on a sonde whose rows are arriving: its first row ends the first one.
    const firstBreak = written.findIndex((w) => w.startsWith('\x1b\x1b\x05'));
    expect(written.slice(0, firstBreak)).toEqual(['\r\n']);
    expect(host.simulator.commands.slice(0, 2)).toEqual(['sn', 'para']);
    expect(rejected.filter((r) => r.reason === 'unbound')).toEqual([]);
    const arrived = expectOracle(host, readings); // rows held while `para` was fetched arrived too
    expect(arrived).toBe(host.simulator.emitted.filter((e) => e.delivered).length);
  });

  it('a different sonde with a stale state file is detected and rebound, never mis-parsed', async () => {
    const host = await startInProcessSimulator({ intervalS: 0.1, seed: 7 });
    cleanup.push(() => host.close());
    const stateFile = path.join(stateDir(), 'sonde-state.json');
    await previousSession(host, stateFile);
    host.simulator.swap('0200AA01', [22, 1, 211]); // another sonde, other columns, already streaming
    const firstRow = host.simulator.emitted.length;
    const { driver, readings, logs } = await driverOn(host, { stateFile });
    await driver.start();
    await until(() => readings.length >= 5, 5000, 'readings of the new sonde');
    expect(driver.status()).toMatchObject({
      serialNumber: '0200AA01',
      columns: ['Date', 'Time', 'Depth', 'Temp', 'ODOSat'],
    });
    expect(logs().some((l) => l.msg === 'a different sonde is connected; binding its columns afresh')).toBe(true);
    expectOracle(host, readings, firstRow);
    for (const r of readings) expect(Object.keys(r.values)).toEqual(['Depth', 'Temp', 'ODOSat']);
    expect(host.simulator.emitted.slice(firstRow).filter((e) => e.delivered).length).toBeGreaterThan(0);
    await until(
      () => JSON.parse(readFileSync(stateFile, 'utf8')).serialNumber === '0200AA01',
      2000,
      'state file rewritten',
    );
  });

  it('the same sonde with its columns reordered: rows do not fit (values out of range), so it is rebound', async () => {
    const host = await startInProcessSimulator({ intervalS: 0.1, seed: 7 });
    cleanup.push(() => host.close());
    const stateFile = path.join(stateDir(), 'sonde-state.json');
    await previousSession(host, stateFile);
    host.simulator.swap('0167BF55', [7, 1, 5, 12, 104, 22, 18, 17, 211, 212, 203, 28]); // SpCond first, then Temp
    const firstRow = host.simulator.emitted.length;
    const { driver, readings } = await driverOn(host, { stateFile });
    await driver.start();
    await until(() => readings.length >= 5, 5000, 'readings');
    expect(driver.status().columns.slice(2, 4)).toEqual(['SpCond', 'Temp']);
    expectOracle(host, readings, firstRow); // every value under its own key
  });

  it('ignores a state file that is not a binding, and an interval other than the remembered one means a break-in', async () => {
    const dir = stateDir();
    const garbage = path.join(dir, 'garbage.json');
    writeFileSync(garbage, '{"version": 1, "columns": "no"}');
    const { driver, readings, logs } = await setup({ streaming: true }, { stateFile: garbage });
    await driver.start();
    await until(() => readings.length >= 2, 5000, 'readings');
    expect(logs().some((l) => l.msg === 'sonde state file is not a remembered binding; moved aside')).toBe(true);

    const host = await startInProcessSimulator({ intervalS: 0.1, seed: 7 });
    cleanup.push(() => host.close());
    const stateFile = path.join(dir, 'sonde-state.json');
    await previousSession(host, stateFile);
    const firstRow = host.simulator.emitted.length;
    const written = wiretap(host);
    const second = await driverOn(host, { stateFile, intervalS: 0.2 });
    await second.driver.start();
    await until(() => second.readings.length >= 3, 5000, 'readings');
    expect(written.join('')).toContain('\x1b\x1b\x05');
    expect(host.simulator.sampleIntervalS).toBe(0.2);
    expectOracle(host, second.readings, firstRow);
  });
});
