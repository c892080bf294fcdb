// A pseudo-terminal from @lydell/node-pty's prebuilt binding, without spawning anything: the slave's path
// is a real tty device that the serialport binding opens like /dev/ttyUSB0. The test keeps the master.

import { createRequire } from 'node:module';

export interface Pty {
  /** File descriptors: the test reads and writes the master; the slave is kept open and never read. */
  master: number;
  slave: number;
  /** Path of the slave, e.g. /dev/pts/3. */
  pty: string;
}

const native = createRequire(import.meta.url)('@lydell/node-pty/requireBinary.js').requireBinary('pty.node') as {
  open(cols: number, rows: number): Pty;
};

export function openPty(): Pty {
  return native.open(80, 24);
}
