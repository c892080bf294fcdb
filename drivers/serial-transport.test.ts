import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { openFailureReason, SerialTransport, type SerialTransportOptions } from './serial-transport.js';
import { startInProcessSimulator } from './simulator/in-process.js';
import { until } from '../lab/poll.js';
import { openPty } from '../lab/pty.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(transportOptions: Partial<SerialTransportOptions> = {}) {
  const sim = await startInProcessSimulator({ intervalS: 0.05 });
  const transport = new SerialTransport({
    path: sim.path,
    binding: sim.binding,
    backoffBaseMs: 20,
    backoffCapMs: 100,
    ...transportOptions,
  });
  const received: string[] = [];
  const events: string[] = [];
  transport.on('data', (chunk) => received.push(chunk.toString('latin1')));
  transport.on('open', () => events.push('open'));
  transport.on('lost', (reason) => events.push(`lost:${reason}`));
  cleanup.push(async () => {
    await transport.stop();
    await sim.close();
  });
  return { sim, transport, received: () => received.join(''), events };
}

describe('SerialTransport', () => {
  it('opens, carries bytes both ways, and records arrival times', async () => {
    const { sim, transport, received } = await setup();
    let arrival = 0;
    transport.on('data', (_c, at) => (arrival = at));
    transport.start();
    await until(() => transport.connected, 2000, 'open');
    expect(await transport.write('sn\r\n')).toBe(true);
    await until(() => received().includes('0167BF55'), 2000, 'reply');
    expect(sim.simulator.commands).toEqual(['sn']);
    expect(Math.abs(arrival - Date.now())).toBeLessThan(1000);
  });

  it('refuses writes while no port is open instead of letting them hang', async () => {
    const { sim, transport } = await setup();
    expect(await transport.write('sn\r\n')).toBe(false); // not started
    transport.start();
    await until(() => transport.connected, 2000, 'open');
    sim.unplug();
    await until(() => !transport.connected, 2000, 'loss');
    const started = Date.now();
    expect(await transport.write('sn\r\n')).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('after an unplug reopens with a new port object once the device is back', async () => {
    const { logger, lines } = memoryLogger();
    const { sim, transport, events, received } = await setup({ logger });
    transport.start();
    await until(() => transport.connected, 2000, 'open');
    sim.unplug();
    await until(() => events.some((e) => e.startsWith('lost:disconnected')), 2000, 'lost event');
    const reopens = () => lines().filter((l) => l.msg === 'reopening serial port').length;
    await until(() => reopens() >= 3, 2000, 'several failed opens while unplugged');
    expect(transport.connected).toBe(false);
    sim.replug();
    await until(() => transport.connected, 2000, 'reopen');
    expect(events.filter((e) => e === 'open')).toHaveLength(2);
    expect(transport.status()).toMatchObject({ opens: 2, losses: 1 });
    expect(await transport.write('sn\r\n')).toBe(true);
    await until(() => received().includes('0167BF55'), 2000, 'reply after replug');
  });

  it('keeps retrying a path that does not exist yet, without throwing', async () => {
    const { logger, lines } = memoryLogger();
    const sim = await startInProcessSimulator();
    const transport = new SerialTransport({
      path: '/dev/none-such',
      backoffBaseMs: 10,
      backoffCapMs: 20,
      logger,
      binding: sim.binding,
    });
    cleanup.push(async () => {
      await transport.stop();
      await sim.close();
    });
    transport.start();
    await until(() => lines().filter((l) => l.msg === 'reopening serial port').length > 3, 2000, 'retries');
    expect(transport.connected).toBe(false);
    expect(transport.status().lastError).toMatch(/does not exist/);
  });

  it('refuses a missing path or a nonsense baud rate at construction, not later in a timer', () => {
    expect(() => new SerialTransport({ path: '' })).toThrow(TypeError);
    expect(() => new SerialTransport({ path: '/dev/x', baudRate: -5 })).toThrow(RangeError);
  });

  it('gives up on an open that never finishes and tries again with a new port object', async () => {
    let opens = 0;
    const hanging = { list: async () => [], open: () => (opens++, new Promise<never>(() => undefined)) };
    const transport = new SerialTransport({
      path: '/dev/stuck',
      binding: hanging,
      openTimeoutMs: 30,
      backoffBaseMs: 10,
      backoffCapMs: 20,
    });
    cleanup.push(() => transport.stop());
    transport.start();
    await until(() => opens >= 3, 2000, 'repeated opens');
    expect(transport.status()).toMatchObject({ connected: false, lastError: 'open timed out' });
  });

  it('treats silence longer than the watchdog as a lost port', async () => {
    const { transport, events } = await setup({ silenceTimeoutMs: 100 });
    transport.start();
    await until(() => transport.connected, 2000, 'open');
    // the simulated sonde sits silently at its prompt
    await until(() => events.some((e) => e.startsWith('lost:silent')), 2000, 'silence');
    await until(() => events.filter((e) => e === 'open').length >= 2, 2000, 'reopen');
  });

  it('stop() closes the port and does not reopen it', async () => {
    const { transport, events } = await setup();
    transport.start();
    await until(() => transport.connected, 2000, 'open');
    await transport.stop();
    // Not a synchronisation: nothing may happen, so give a reopen (backoff ≤ 100 ms) the time to show up.
    await new Promise((r) => setTimeout(r, 150));
    expect(transport.connected).toBe(false);
    expect(events).toEqual(['open']);
  });

  it('logs an open failure once per reason (ENOENT, then EBUSY), not per retry, keeps it in status, and says when it opens', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'serial-open-'));
    const device = path.join(dir, 'ttyUSB0');
    const { logger, lines } = memoryLogger();
    const transport = new SerialTransport({ path: device, backoffBaseMs: 10, backoffCapMs: 20, logger });
    const pty = openPty();
    // Another program holds the real tty: the binding's lock makes our open fail.
    const holder = new SerialPortStream({
      binding: SerialPort.binding,
      path: pty.pty,
      baudRate: 9600,
      autoOpen: false,
    });
    cleanup.push(async () => {
      await transport.stop();
      if (holder.isOpen) await new Promise((r) => holder.close(r));
      rmSync(dir, { recursive: true, force: true });
    });
    const warnings = () => lines().filter((l) => l.msg === 'serial port cannot be opened');
    const retries = () => lines().filter((l) => l.msg === 'reopening serial port').length;

    transport.start();
    await until(() => retries() >= 5, 2000, 'retries while missing');
    expect(warnings()).toEqual([expect.objectContaining({ level: 'warn', reason: 'ENOENT' })]);
    expect(transport.status().openFailure).toMatchObject({
      reason: 'ENOENT',
      message: expect.stringMatching(/No such/),
    });

    await new Promise<void>((resolve, reject) => holder.open((err) => (err ? reject(err) : resolve())));
    symlinkSync(pty.pty, device);
    await until(() => warnings().length === 2, 2000, 'busy');
    const seen = retries();
    await until(() => retries() >= seen + 5, 2000, 'retries while busy');
    expect(warnings().map((w) => w.reason)).toEqual(['ENOENT', 'EBUSY']);
    expect(transport.status().openFailure?.reason).toBe('EBUSY');

    await new Promise((r) => holder.close(r));
    await until(() => transport.connected, 2000, 'open once released');
    expect(transport.status().openFailure).toBeNull();
    expect(lines().find((l) => l.msg === 'serial port open')).toMatchObject({ afterFailing: 'EBUSY' });
    expect(warnings()).toHaveLength(2);
  });

  it("names the errno of the binding's open messages (it gives no code)", () => {
    expect(openFailureReason('Error: No such file or directory, cannot open /dev/ttyUSB0')).toBe('ENOENT');
    expect(openFailureReason('Error: Permission denied, cannot open /dev/ttyS0')).toBe('EACCES');
    expect(openFailureReason('Error Resource temporarily unavailable Cannot lock port')).toBe('EBUSY');
    expect(openFailureReason('Error: Device or resource busy, cannot open /dev/ttyUSB0')).toBe('EBUSY');
    expect(openFailureReason('open timed out')).toBe('ETIMEDOUT');
    expect(openFailureReason('Error: Inappropriate ioctl for device setting custom baud rate of 9600')).toBe('OTHER');
  });
});
