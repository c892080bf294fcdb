import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../lab/poll.js';
import { readSondeFile } from '../sonde-file-reader.js';
import { SondeSimulator, type SimulatorOptions } from './sonde-simulator.js';

const running: SondeSimulator[] = [];
afterEach(() => running.splice(0).forEach((s) => s.stop()));

function streaming(options: SimulatorOptions) {
  const sim = new SondeSimulator({ seed: 3, streaming: true, intervalS: 0.02, logging: true, ...options });
  running.push(sim);
  sim.attach(() => true);
  sim.start();
  return sim;
}

describe('the simulated sonde exports what it logged as a PC6000 file', () => {
  it('holds every row it printed: same times, same values, its serial number and site', async () => {
    // y/m/d with 4-digit years prints the sonde time as the file reader writes it.
    const sim = streaming({ serialNumber: 'SIM6600', site: 'Bodega', dateFormat: 'ymd', timeZone: 'America/New_York' });
    await until(() => sim.emitted.length >= 5, 3000, 'rows');
    sim.stop();
    const file = readSondeFile(sim.exportLogFile(), { timeZone: 'America/New_York' });
    expect(file.stop).toBeNull();
    expect(file.header).toMatchObject({ serialNumber: 'SIM6600', site: 'Bodega', intervalS: 1 });
    expect(file.channels.map((c) => c.sensorCode)).toEqual([1, 7, 5, 12, 104, 22, 18, 17, 211, 212, 203, 28]);
    expect(file.readings.map((r) => ({ sondeTime: r.sondeTime, values: r.values }))).toEqual(
      sim.emitted.map((e) => ({ sondeTime: e.sondeTime, values: e.values })),
    );
    // The zone maps the sonde clock back to the instant it sampled (to the whole second).
    expect(file.readings.map((r) => r.sampledAt)).toEqual(
      sim.emitted.map((e) => Math.floor(e.emittedAt / 1000) * 1000),
    );
    expect(file.header.firstSample.seconds).toBe(file.header.studyStart.seconds);
  });

  it('a swapped sonde starts with an empty memory of its own', async () => {
    const sim = streaming({});
    await until(() => sim.emitted.length >= 2, 3000, 'rows');
    sim.swap('OTHER', [1, 22]);
    const before = sim.emitted.length;
    await until(() => sim.emitted.length >= before + 2, 3000, 'rows after the swap');
    sim.stop();
    const file = readSondeFile(sim.exportLogFile());
    expect(file.header.serialNumber).toBe('OTHER');
    expect(file.readings.map((r) => r.values)).toEqual(sim.emitted.slice(before).map((e) => e.values));
  });

  it('refuses in legacy mode, whose columns have no parameter ids', () => {
    expect(() => streaming({ legacy: true }).exportLogFile()).toThrow(/no parameter ids/);
  });
});
