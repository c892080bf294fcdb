// The platform binding on a kernel pty (lab/pty-cable.ts): reads wait for the poller and read on the event
// loop, never through bindings-cpp's own read (fs.read on libuv's pool, three wake-ups per chunk).
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtyCable } from '../lab/pty-cable.js';
import { platformBinding } from './platform-binding.js';

describe('platformBinding (readable first)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-binding-'));
  let cable: PtyCable;

  beforeAll(async () => {
    cable = await PtyCable.plug(dir);
  });
  afterAll(async () => {
    await cable.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what the other end prints, waiting for it, without the binding port’s own read', async () => {
    const port = await platformBinding().open({ path: cable.gatewayPath, baudRate: 9600 });
    const ownRead = Object.getPrototypeOf(port) as { read: (...args: unknown[]) => unknown };
    const original = ownRead.read;
    let ownReads = 0;
    ownRead.read = function (this: unknown, ...args: unknown[]) {
      ownReads++;
      return original.apply(this, args);
    };
    const sonde = openSync(cable.sondePath, 'r+');
    try {
      const buffer = Buffer.alloc(64);
      const pending = port.read(buffer, 0, buffer.length); // nothing printed yet: it waits for the poller
      writeSync(sonde, 'row 1\r\n');
      const first = await pending;
      expect(buffer.subarray(0, first.bytesRead).toString()).toBe('row 1\r\n');
      writeSync(sonde, 'row 2\r\n');
      const second = await port.read(buffer, 0, buffer.length);
      expect(buffer.subarray(0, second.bytesRead).toString()).toBe('row 2\r\n');
      expect(ownReads).toBe(0);
    } finally {
      ownRead.read = original;
      closeSync(sonde);
    }
    // A read waiting when the port closes fails as canceled: the stream ignores it (no "lost" port).
    const waiting = expect(port.read(Buffer.alloc(8), 0, 8)).rejects.toMatchObject({ canceled: true });
    await port.close();
    await waiting;
  });
});
