// sd_notify without a native module. Node 20 has no AF_UNIX datagram sockets (node:dgram is UDP only), so
// the messages go through the `systemd-notify` binary, which waits until systemd has processed each one
// (systemd >= 246): the unit needs NotifyAccess=all because the sender is a child process.
// READY=1 after start; WATCHDOG=1 every WatchdogSec/2 from a timer, so a blocked event loop stops the pings
// and systemd restarts the agent. Outside systemd (no NOTIFY_SOCKET) all of this does nothing.
import { execFile } from 'node:child_process';
export class SystemdNotifier {
    logger;
    env;
    timer;
    enabled;
    constructor(logger, env = process.env) {
        this.logger = logger;
        this.env = env;
        this.enabled = Boolean(env.NOTIFY_SOCKET);
    }
    ready(status) {
        this.send([`READY=1`, `STATUS=${status}`]);
        const usec = Number(this.env.WATCHDOG_USEC);
        const forUs = this.env.WATCHDOG_PID === undefined || Number(this.env.WATCHDOG_PID) === process.pid;
        if (this.enabled && usec > 0 && forUs) {
            this.timer = setInterval(() => this.send(['WATCHDOG=1']), Math.max(1000, usec / 2000));
            this.timer.unref();
        }
    }
    status(text) {
        this.send([`STATUS=${text}`]);
    }
    stopping() {
        clearInterval(this.timer);
        this.send(['STOPPING=1']);
    }
    send(assignments) {
        if (!this.enabled)
            return;
        execFile('systemd-notify', assignments, { timeout: 5000 }, (err) => {
            if (err)
                this.logger.warn('systemd-notify failed', { err, assignments });
        });
    }
}
//# sourceMappingURL=systemd-notify.js.map