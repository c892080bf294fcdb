// The platform's serial binding (what `new SerialPort` uses), with reads that wait for the line first.
//
// @serialport/bindings-cpp reads a Unix port with fs.read on libuv's thread pool, and only on EAGAIN waits
// for the poller to say it is readable: each chunk the sonde prints costs the event loop three wake-ups
// (the poller, the pool's read, the pool's EAGAIN) and two thread hand-offs, at 1 Hz the biggest share of
// an idle agent's wake-ups (issue 17). The port's fd is non-blocking (O_NONBLOCK), so here a read waits for
// the poller first and then reads at once on the event loop: one wake-up per chunk and no thread.

import { readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BindingPortInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import type { BindingInterface } from './types.js';

const require = createRequire(import.meta.url);

/** What a Unix port of @serialport/bindings-cpp holds (LinuxPortBinding, DarwinPortBinding). */
interface UnixPort extends BindingPortInterface {
  fd: number | null;
  poller?: { once(event: 'readable', callback: (err: Error | null) => void): unknown };
}

/** Codes of a non-blocking read that found nothing yet, or was interrupted. */
const NOT_YET = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);
/** Codes that mean the device is gone (a pulled USB adapter): the stream closes and the transport reopens. */
const GONE = new Set(['EBADF', 'ENXIO', 'EIO', 'UNKNOWN']);

/**
 * The platform binding, loaded on first use: from @serialport/bindings-cpp itself (resolved from
 * `serialport`, whose dependency it is), not through `serialport`, which also loads every parser and the
 * mock binding.
 */
export function platformBinding(): BindingInterface {
  const fromSerialport = createRequire(require.resolve('serialport'));
  const { autoDetect } = fromSerialport('@serialport/bindings-cpp') as { autoDetect(): BindingInterface };
  return readableFirst(autoDetect());
}

/** `binding`, whose Unix ports read as described above (any other port is left as it is). */
export function readableFirst(binding: BindingInterface): BindingInterface {
  return {
    list: () => binding.list(),
    async open(options) {
      const port = (await binding.open(options)) as UnixPort;
      if (typeof port.fd !== 'number' || typeof port.poller?.once !== 'function') return port;
      port.read = (buffer, offset, length) => readWhenReadable(port, buffer, offset, length);
      return port;
    },
  };
}

async function readWhenReadable(
  port: UnixPort,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true });
    try {
      const bytesRead = readSync(port.fd, buffer, offset, length, null);
      if (bytesRead > 0) return { buffer, bytesRead };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!NOT_YET.has(code)) throw Object.assign(err as Error, { disconnect: GONE.has(code) });
    }
    // A close stops the poller, which fails this wait with a canceled error (as bindings-cpp's own read).
    await new Promise<void>((resolve, reject) =>
      port.poller!.once('readable', (err) => (err ? reject(err) : resolve())),
    );
  }
}
