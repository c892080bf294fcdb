// `npm run pty-cable -- [DIR]`: a virtual RS-232 cable for trying the simulated sonde with the driver or the
// agent without hardware: DIR/sonde and DIR/gateway (default DIR: /tmp) until Ctrl-C.
import { PtyCable } from './pty-cable.js';
const cable = await PtyCable.plug(process.argv[2] ?? '/tmp');
console.log(`cable plugged in: ${cable.sondePath} <-> ${cable.gatewayPath} (Ctrl-C pulls it)`);
await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
});
await cable.unplug();
//# sourceMappingURL=pty-cable-cli.js.map