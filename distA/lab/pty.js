// A pseudo-terminal from @lydell/node-pty's prebuilt binding, without spawning anything: the slave's path
// is a real tty device that the serialport binding opens like /dev/ttyUSB0. The test keeps the master.
import { createRequire } from 'node:module';
const native = createRequire(import.meta.url)('@lydell/node-pty/requireBinary.js').requireBinary('pty.node');
export function openPty() {
    return native.open(80, 24);
}
//# sourceMappingURL=pty.js.map