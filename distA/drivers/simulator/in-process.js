import 'serialport';
// The simulated sonde behind @serialport/binding-mock, in the same process as the driver.
//
// binding-mock only echoes or replays, and cannot unplug (serialport issue #2734). This wraps it: the
// port binding it opens forwards every write to the simulator, the simulator's output is fed in with
// emitData, and unplug() fails the pending read the way a vanished USB adapter does (so SerialPortStream
// emits 'close' with a DisconnectedError) and refuses opens until replug().
import { createRequire } from 'node:module';
import { SondeSimulator } from './sonde-simulator.js';
// binding-mock's own ESM entry has no types, so its CommonJS entry, the very module `serialport` re-exposes
// as SerialPortMock.binding (one registry of mock ports). Not through `serialport` itself: that would load
// its native addon and every parser, several MiB resident that the simulated sonde never uses.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock');
class UnpluggedError extends Error {
    disconnect = true;
    constructor(path) {
        super(`EIO: device ${path} is gone`);
    }
}
/** A MockPortBinding whose writes reach the simulated sonde and whose reads fail on unplug. */
class SimulatedPortBinding {
    inner;
    simulator;
    failUnplugged = null;
    unplugged;
    gone = false;
    constructor(inner, simulator) {
        this.inner = inner;
        this.simulator = simulator;
        this.unplugged = new Promise((_, reject) => (this.failUnplugged = reject));
        this.unplugged.catch(() => undefined);
    }
    get openOptions() {
        return this.inner.openOptions;
    }
    get isOpen() {
        return this.inner.isOpen;
    }
    /** Device output into the gateway's read side; false when the port is closed or gone. */
    deliver(bytes) {
        if (this.gone || !this.inner.isOpen)
            return false;
        this.inner.emitData(bytes);
        return true;
    }
    unplug() {
        this.gone = true;
        this.failUnplugged?.(new UnpluggedError(this.inner.openOptions.path));
    }
    read(buffer, offset, length) {
        if (this.gone)
            return this.unplugged;
        return Promise.race([this.inner.read(buffer, offset, length), this.unplugged]);
    }
    async write(buffer) {
        if (this.gone)
            throw new UnpluggedError(this.inner.openOptions.path);
        await this.inner.write(buffer);
        const copy = Buffer.from(buffer);
        setImmediate(() => this.simulator.receive(copy));
    }
    async close() {
        if (this.inner.isOpen)
            await this.inner.close();
    }
    update(options) {
        return this.inner.update(options);
    }
    set(options) {
        return this.inner.set(options);
    }
    get() {
        return this.inner.get();
    }
    getBaudRate() {
        return this.inner.getBaudRate();
    }
    flush() {
        return this.inner.flush();
    }
    drain() {
        return this.inner.drain();
    }
}
let nextId = 0;
export async function startInProcessSimulator(options = {}) {
    const path = options.path ?? `/dev/sim-sonde-${process.pid}-${nextId++}`;
    MockBinding.createPort(path, { echo: false, record: false });
    const simulator = new SondeSimulator(options);
    let current = null;
    let plugged = true;
    const binding = {
        list: () => MockBinding.list(),
        async open(openOptions) {
            if (!plugged)
                throw new Error(`ENOENT: no such file or directory, cannot open ${openOptions.path}`);
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
//# sourceMappingURL=in-process.js.map