// The RS-232 cable of the tests, the chaos runner and a bench without hardware: two pseudo-terminals made
// by @lydell/node-pty (no outside program such as socat), whose master sides this process relays to each
// other. Each slave side is reached through a stable symlink (`sondePath`, `gatewayPath`) that the real
// serialport binding opens as it would /dev/ttyUSB0. `unplug()` kills both ptys (the paths are gone, an open
// port sees the line drop); `replug()` makes new ones behind the same paths.
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { spawn as spawnPty } from '@lydell/node-pty';
// Each pty's slave is held open by a child that never reads it (a reader would steal the bytes), after
// putting it in raw mode without echo, so that nothing written before the port is opened comes back.
const HOLD_SLAVE = 'stty raw -echo && printf R && exec sleep 2147483647';
export class PtyCable {
    sondePath;
    gatewayPath;
    ends = null;
    /** While true, what the sonde prints is lost on the way (a reader that does not read: the UART overruns). */
    cut = false;
    /** Bytes lost while cut. */
    dropped = 0;
    constructor(sondePath, gatewayPath) {
        this.sondePath = sondePath;
        this.gatewayPath = gatewayPath;
    }
    /** Plugs a cable whose two ends appear as `DIR/sonde` and `DIR/gateway` (names can be changed). */
    static async plug(dir, names = {}) {
        const cable = new PtyCable(path.join(dir, names.sonde ?? 'sonde'), path.join(dir, names.gateway ?? 'gateway'));
        await cable.replug();
        return cable;
    }
    get plugged() {
        return this.ends !== null;
    }
    /** New ptys behind the same paths, relayed to each other. */
    async replug() {
        if (this.ends)
            throw new Error('the cable is plugged in already');
        const ends = await Promise.all([openEnd(), openEnd()]);
        const [sonde, gateway] = ends;
        // With encoding null, node-pty passes Buffers (typed as string): bytes are relayed as they are.
        sonde.onData((bytes) => {
            if (this.cut)
                this.dropped += bytes.length;
            else
                gateway.write(bytes);
        });
        gateway.onData((bytes) => sonde.write(bytes));
        pointAt(this.sondePath, sonde._pty);
        pointAt(this.gatewayPath, gateway._pty);
        this.ends = ends;
    }
    /** Pulls the cable: both ptys die with SIGKILL and their paths are removed. */
    async unplug() {
        const ends = this.ends;
        if (!ends)
            return;
        this.ends = null;
        rmSync(this.sondePath, { force: true });
        rmSync(this.gatewayPath, { force: true });
        await Promise.all(ends.map(kill));
    }
    close() {
        return this.unplug();
    }
}
async function openEnd() {
    const term = spawnPty('sh', ['-c', HOLD_SLAVE], {
        encoding: null,
        cols: 80,
        rows: 24,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    await new Promise((resolve, reject) => {
        const ready = term.onData(() => {
            ready.dispose();
            exit.dispose();
            resolve();
        });
        const exit = term.onExit(({ exitCode }) => reject(new Error(`pty holder exited (${exitCode}) before it was ready`)));
    });
    return term;
}
function kill(term) {
    return new Promise((resolve) => {
        term.onExit(() => resolve());
        term.kill('SIGKILL');
    });
}
/** Points the symlink at `target`, replacing an old one in one step (a reader never sees no path). */
function pointAt(link, target) {
    const temporary = `${link}.${randomUUID()}`;
    symlinkSync(target, temporary);
    renameSync(temporary, link);
}
//# sourceMappingURL=pty-cable.js.map