// Runs the simulated sonde on a real serial device (for example one end of a pty cable, lab/pty-cable.ts),
// through the same reconnecting transport the driver uses, so a cable plugged in again is picked up.

import { createWriteStream } from 'node:fs';
import type { Logger } from '../../common/log.js';
import { SerialTransport } from '../serial-transport.js';
import { SondeSimulator, type SimulatorOptions } from './sonde-simulator.js';

export interface DeviceSimulator {
  simulator: SondeSimulator;
  close(): Promise<void>;
}

export function runSimulatorOnDevice(
  path: string,
  options: SimulatorOptions & { record?: string; baudRate?: number },
  logger: Logger,
): DeviceSimulator {
  const simulator = new SondeSimulator(options);
  const transport = new SerialTransport({
    path,
    baudRate: options.baudRate ?? 9600,
    backoffBaseMs: 200,
    backoffCapMs: 5000,
    logger,
  });
  transport.on('data', (chunk) => simulator.receive(chunk));
  // The last write handed to the port: writes complete in order, so once it has, every byte printed is out.
  let lastWrite: Promise<boolean> = Promise.resolve(true);
  simulator.attach((bytes) => {
    if (!transport.connected) return false;
    lastWrite = transport.write(bytes);
    return true;
  });
  // The disconnect fault: let go of the device for a while, as a pulled cable would.
  simulator.onUnplug = (seconds) => {
    logger.info('simulated unplug', { seconds });
    void transport.stop().then(() => setTimeout(() => transport.start(), seconds * 1000));
  };
  const record = options.record ? createWriteStream(options.record, { flags: 'a' }) : null;
  record?.on('error', (err) => logger.error('cannot write the record file', { err }));
  if (record) simulator.onReading((r) => record.write(JSON.stringify(r) + '\n'));
  // Power on (banner, or streaming) once the line is open, as a sonde wired to a listening gateway.
  transport.once('open', () => simulator.start());
  transport.start();
  return {
    simulator,
    async close() {
      simulator.stop();
      // A row counts as printed (delivered, in the record) when handed to the port: closing the port with writes
      // still queued would drop it, so the record would hold a row that never left.
      await lastWrite;
      await transport.stop();
      await new Promise<void>((resolve) => (record ? record.end(resolve) : resolve()));
    },
  };
}
