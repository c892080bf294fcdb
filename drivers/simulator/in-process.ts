// The simulated sonde behind @serialport/binding-mock, in the same process as the driver.
//
// binding-mock only echoes or replays, and cannot unplug (serialport issue #2734). This wraps it: the
// port binding it opens forwards every write to the simulator, the simulator's output is fed in with
// emitData, and unplug() fails the pending read the way a vanished USB adapter does (so SerialPortStream
// emits 'close' with a DisconnectedError) and refuses opens until replug().

import { createRequire } from 'node:module';
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import { SondeSimulator, type SimulatorOptions } from './sonde-simulator.js';

// binding-mock's own ESM entry has no types, so its CommonJS entry, the very module `serialport` re-exposes
// as SerialPortMock.binding (one registry of mock ports). Not through `serialport` itself: that would load
// its native addon and every parser, several MiB resident that the simulated sonde never uses.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as typeof import(
  '@serialport/binding-mock',
  { with: { 'resolution-mode': 'require' } }
);
type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;

class UnpluggedError extends Error {
  readonly disconnect = true;
  constructor(path: string) {
    super(`EIO: device ${path} is gone`);
  }
}

/** A MockPortBinding whose writes reach the simulated sonde and whose reads fail on unplug. */
class SimulatedPortBinding implements BindingPortInterface {
  private failUnplugged: ((err: Error) => void) | null = null;
  private readonly unplugged: Promise<never>;
  private gone = false;

  constructor(
    private readonly inner: MockPortBinding,
    private readonly simulator: SondeSimulator,
  ) {
    this.unplugged = new Promise<never>((_, reject) => (this.failUnplugged = reject));
    this.unplugged.catch(() => undefined);
  }

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  /** Device output into the gateway's read side; false when the port is closed or gone. */
  deliver(bytes: Buffer): boolean {
    if (this.gone || !this.inner.isOpen) return false;
    this.inner.emitData(bytes);
    return true;
  }

  unplug(): void {
    this.gone = true;
    this.failUnplugged?.(new UnpluggedError(this.inner.openOptions.path));
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.gone) return this.unplugged;
    return Promise.race([this.inner.read(buffer, offset, length), this.unplugged]);
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.gone) throw new UnpluggedError(this.inner.openOptions.path);
    await this.inner.write(buffer);
    const copy = Buffer.from(buffer);
    setImmediate(() => this.simulator.receive(copy));
  }

  async close(): Promise<void> {
    if (this.inner.isOpen) await this.inner.close();
  }

  update(options: UpdateOptions): Promise<void> {
    return this.inner.update(options);
  }
  set(options: SetOptions): Promise<void> {
    return this.inner.set(options);
  }
  get(): Promise<PortStatus> {
    return this.inner.get();
  }
  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  drain(): Promise<void> {
    return this.inner.drain();
  }
}

export interface InProcessSimulator {
  /** Pass to SondeDriverOptions.binding (or any SerialPortStream). */
  binding: BindingInterface;
  path: string;
  simulator: SondeSimulator;
  /** Pulls the cable: the open port fails, opens fail until replug(). */
  unplug(): void;
  replug(): void;
  close(): Promise<void>;
}

let nextId = 0;

export async function startInProcessSimulator(
  options: SimulatorOptions & { path?: string } = {},
): Promise<InProcessSimulator> {
  const path = options.path ?? `/dev/sim-sonde-${process.pid}-${nextId++}`;
  MockBinding.createPort(path, { echo: false, record: false });
  const simulator = new SondeSimulator(options);
  let current: SimulatedPortBinding | null = null;
  let plugged = true;

  const binding: BindingInterface = {
    list: () => MockBinding.list(),
    async open(openOptions: OpenOptions) {
      if (!plugged) throw new Error(`ENOENT: no such file or directory, cannot open ${openOptions.path}`);
      const port = new SimulatedPortBinding(await MockBinding.open(openOptions), simulator);
      current = port;
      return port;
    },
  };
  simulator.attach((bytes) => current?.deliver(bytes) ?? false);

  const unplug = () => {
    plugged = false;
    current?.unplug();
    current = null;
  };
  const replug = () => {
    plugged = true;
  };
  simulator.onUnplug = (seconds) => {
    unplug();
    setTimeout(replug, seconds * 1000);
  };
  simulator.start();

  return {
    binding,
    path,
    simulator,
    unplug,
    replug,
    async close() {
      simulator.stop();
      unplug();
    },
  };
}
