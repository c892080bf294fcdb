import { afterEach, describe, expect, it } from 'vitest';
import { LineFramer, type Frame } from '../framer.js';
import { SondeParser } from '../parser.js';
import { until } from '../../lab/poll.js';
import { seededRandom } from '../../common/random.js';
import { environmentAt } from './signals.js';
import { SondeSimulator, type SimulatorOptions } from './sonde-simulator.js';

const running: SondeSimulator[] = [];
afterEach(() => running.splice(0).forEach((s) => s.stop()));

/** A simulator wired to a framer: what a terminal on the cable would see. */
function wired(options: SimulatorOptions = {}) {
  const sim = new SondeSimulator({ seed: 1, ...options });
  running.push(sim);
  const framer = new LineFramer();
  const frames: Frame[] = [];
  let raw = '';
  sim.attach((bytes) => {
    raw += bytes.toString('latin1');
    frames.push(...framer.push(bytes));
    return true;
  });
  sim.start();
  const lines = () => frames.filter((f) => f.kind === 'line').map((f) => (f.kind === 'line' ? f.text : ''));
  const prompts = () => frames.filter((f) => f.kind === 'prompt').length;
  return { sim, frames, lines, prompts, raw: () => raw };
}

describe('SondeSimulator', () => {
  it('prints the banner, echoes commands and answers sn, para, Sinterval, date and time', () => {
    const { sim, lines, raw } = wired({ serialNumber: 'ABCD1234', paraIds: [1, 22], dateFormat: 'ymd' });
    expect(lines()).toContain('Type MENU<Enter> for instrument menu.');
    sim.receive('sn\r\npara\r\nSinterval 2.5\r\ntime\r\n');
    expect(raw()).toContain('sn\r\nABCD1234\r\n# ');
    expect(raw()).toContain('para\r\n53 54 1 22\r\n# ');
    expect(raw()).toContain('Sinterval 2.5\r\n2.5\r\n# ');
    expect(sim.sampleIntervalS).toBe(2.5);
    expect(lines().at(-1)).toMatch(/^\d\d:\d\d:\d\d$/);
    sim.receive('Sinterval -1\r');
    expect(raw()).toContain('Invalid value');
    expect(sim.commands).toEqual(['sn', 'para', 'Sinterval 2.5', 'time', 'Sinterval -1']);
  });

  it('runs after a Stabilizing countdown; its rows parse back to exactly what it recorded', async () => {
    const { sim, frames, raw } = wired({ intervalS: 0.05, stabilizeS: 0.1, pageLength: 3 });
    sim.receive('run\r');
    await until(() => sim.emitted.length >= 5, 3000, 'rows');
    sim.receive('\x1b\x1b\x05');
    expect(raw()).toContain('Stabilizing 4\b \b3');
    const parser = new SondeParser();
    const parsed = frames.flatMap((f) => {
      if (f.kind !== 'line') return [];
      const r = parser.parse(f.text);
      return r.kind === 'reading' ? [r.reading] : [];
    });
    expect(parser.bindingSource).toBe('header');
    expect(parsed.map((r) => ({ sondeTime: r.sondeTime, values: r.values }))).toEqual(
      sim.emitted.map((e) => ({ sondeTime: e.sondeTime, values: e.values })),
    );
    expect(Object.keys(parsed[0]!.values)).toEqual([
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
    expect(sim.currentState).toBe('prompt');
  });

  it('falls asleep at the prompt; the bytes that wake it are lost', async () => {
    const { sim, raw } = wired({ autoSleepS: 0.05 });
    await until(() => sim.currentState === 'asleep', 1000, 'sleep');
    sim.receive('sn\r');
    expect(raw()).not.toContain('0167BF55');
    expect(sim.currentState).toBe('prompt');
    sim.receive('sn\r');
    expect(raw()).toContain('0167BF55');
  });

  it('walks menus with VT100 screens; 0 then y gets back to #, and run starts from the menu', () => {
    const { sim, frames } = wired({ menuIgnoresBreak: true, intervalS: 10 });
    sim.receive('menu\r');
    sim.receive('\x1b\x1b\x05'); // ignored in menus in this mode
    expect(sim.currentState).toBe('menu');
    sim.receive('1');
    sim.receive('0');
    sim.receive('0');
    expect(frames.at(-1)).toMatchObject({ kind: 'prompt', prompt: 'yn' });
    sim.receive('y');
    expect(frames.at(-1)).toMatchObject({ kind: 'prompt', prompt: '#' });
    sim.receive('menu\r111');
    expect(sim.currentState).toBe('running');
  });

  it('legacy mode streams the NetBEAMS layout with LF only and ignores input', async () => {
    const { sim, raw } = wired({ legacy: true, intervalS: 0.03 });
    sim.receive('sn\r');
    await until(() => sim.emitted.length >= 2, 2000, 'rows');
    expect(raw()).not.toContain('\r');
    expect(raw()).not.toContain('#');
    const parser = new SondeParser({ layout: 'netbeams' });
    const first = parser.parse(raw().split('\n')[0]!);
    expect(first.kind === 'reading' && first.reading.values).toEqual(sim.emitted[0]!.values);
  });

  it('injects faults and marks the damaged rows', async () => {
    const { sim } = wired({ intervalS: 0.01, streaming: true, faults: { cut: 0.3, drop: 0.3, garbage: 0.3 } });
    await until(() => sim.emitted.length >= 30, 3000, 'rows');
    sim.stop();
    const damaged = sim.emitted.filter((e) => e.damaged).length;
    expect(damaged).toBeGreaterThan(5);
    expect(damaged).toBeLessThan(sim.emitted.length);
  });

  it('drifts slowly: a tide in depth, a daily cycle in temperature', () => {
    const random = seededRandom(1);
    const at = (hours: number) => environmentAt(Date.UTC(2026, 0, 1) + hours * 3600_000, random);
    expect(Math.abs(at(0).depth - at(1 / 3600).depth)).toBeLessThan(0.01);
    const depths = Array.from({ length: 13 }, (_, h) => at(h).depth);
    expect(Math.max(...depths) - Math.min(...depths)).toBeGreaterThan(1.5);
    const temps = Array.from({ length: 24 }, (_, h) => at(h).temp);
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(3.5);
  });

  it('sets its clock with date and time arguments', () => {
    const { sim, raw } = wired({ timeZone: 'Europe/Berlin' });
    sim.receive('date 03/15/2030\rtime 12:34:56\r');
    expect(raw()).toContain('time 12:34:56\r\n12:34:5');
    expect(sim.clock().date).toBe('03/15/2030');
    sim.receive('date 13/45/2030\r');
    expect(raw()).toContain('Invalid date');
  });

  it('prints its clock in the configured date order and zone', () => {
    const { sim } = wired({ dateFormat: 'dmy', timeZone: 'Asia/Kolkata' });
    expect(sim.clock(0)).toEqual({ date: '01/01/1970', time: '05:30:00' });
  });
});
