// A TCP proxy that stands between agent and sink in tests and benchmarks and breaks the link on demand:
// refuse connections, add latency, throttle bandwidth (a 384 kbit/s UMTS uplink), cut a connection
// after a number of bytes in either direction (mid-request or mid-response), or answer every HTTP request
// itself with an error status (a sink that is overloaded or broken). Faults apply to connections opened
// after they are set, except `refuse` and `respondWith`, which also drop open connections, so that a
// keep-alive connection does not carry on past them. `retarget` follows a sink restarted on a new port.
import net from 'node:net';
const NO_FAULTS = {
    refuse: false,
    delayMs: 0,
    bytesPerSecond: null,
    cutRequestAfterBytes: null,
    cutResponseAfterBytes: null,
    respondWith: null,
};
export class FaultProxy {
    options;
    server = null;
    sockets = new Set();
    faults = { ...NO_FAULTS };
    uplink = new LinkBudget();
    downlink = new LinkBudget();
    stats = { connections: 0, refused: 0, cut: 0, answered: 0, bytesUp: 0, bytesDown: 0 };
    targetPort;
    constructor(options) {
        this.options = options;
        this.targetPort = options.targetPort;
    }
    async start() {
        const server = net.createServer((client) => this.accept(client));
        this.server = server;
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
        });
        return this.port;
    }
    get port() {
        const address = this.server?.address();
        if (!address || typeof address === 'string')
            throw new Error('fault proxy is not listening');
        return address.port;
    }
    /** Replaces some fault settings; the others keep their values. */
    set(faults) {
        this.faults = { ...this.faults, ...faults };
        if (this.faults.refuse || this.faults.respondWith !== null)
            this.disconnectAll();
    }
    /** Drops every open connection (clients reconnect, under the faults set now). */
    disconnectAll() {
        for (const s of this.sockets)
            s.destroy();
    }
    /** Forwards new connections to another port (the sink came back on a new one). */
    retarget(port) {
        this.targetPort = port;
    }
    /** Back to a clean link. */
    heal() {
        this.faults = { ...NO_FAULTS };
    }
    async close() {
        for (const s of this.sockets)
            s.destroy();
        await new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
        this.server = null;
    }
    accept(client) {
        const faults = this.faults;
        if (faults.refuse) {
            this.stats.refused++;
            client.resetAndDestroy();
            return;
        }
        this.stats.connections++;
        if (faults.respondWith !== null) {
            this.track(client);
            answerEveryRequest(client, faults.respondWith, () => this.stats.answered++);
            return;
        }
        const upstream = net.connect(this.targetPort, this.options.targetHost ?? '127.0.0.1');
        this.track(client);
        this.track(upstream);
        const cut = () => {
            this.stats.cut++;
            client.destroy();
            upstream.destroy();
        };
        pump(client, upstream, faults, this.uplink, faults.cutRequestAfterBytes, cut, (n) => (this.stats.bytesUp += n));
        pump(upstream, client, faults, this.downlink, faults.cutResponseAfterBytes, cut, (n) => (this.stats.bytesDown += n));
        // A failure on either side ends both: the peer sees what a broken link shows it. A clean end is
        // passed on by the pump once the bytes before it have gone through.
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
    }
    track(socket) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
    }
}
/**
 * One direction of the emulated link. Every connection draws from the same budget, as they share one radio
 * bearer: two requests in flight do not get twice the bandwidth. It refills with the time elapsed (a late
 * timer does not lose link time), up to two ticks' worth.
 */
class LinkBudget {
    bytes = 0;
    at = performance.now();
    available(bytesPerSecond, tickMs) {
        const now = performance.now();
        this.bytes = Math.min((bytesPerSecond * 2 * tickMs) / 1000, this.bytes + (bytesPerSecond * (now - this.at)) / 1000);
        this.at = now;
        return Math.floor(this.bytes);
    }
    spend(bytes) {
        this.bytes -= bytes;
    }
}
// Moves bytes from `from` to `to` under the connection's faults. Throttling draws on the link's byte budget
// every tick; `from` is paused while the backlog is large, so a throttled link pushes back on the sender
// the way a slow radio bearer fills the sender's socket buffer.
function pump(from, to, faults, link, cutAfter, cut, count) {
    const TICK_MS = 10;
    const HIGH_WATER = 64 * 1024;
    const backlog = [];
    let backlogBytes = 0;
    let forwarded = 0;
    let timer = null;
    let ended = false;
    const deliver = (chunk) => {
        if (to.destroyed)
            return;
        if (cutAfter !== null && forwarded + chunk.length >= cutAfter) {
            const head = chunk.subarray(0, Math.max(0, cutAfter - forwarded));
            if (head.length > 0)
                to.write(head);
            count(head.length);
            cut();
            return;
        }
        forwarded += chunk.length;
        count(chunk.length);
        to.write(chunk);
    };
    const drain = () => {
        timer = null;
        const available = faults.bytesPerSecond === null ? Infinity : link.available(faults.bytesPerSecond, TICK_MS);
        let budget = available;
        while (backlog.length > 0 && budget > 0) {
            const head = backlog[0];
            const piece = head.length <= budget ? head : head.subarray(0, budget);
            if (piece === head)
                backlog.shift();
            else
                backlog[0] = head.subarray(budget);
            budget -= piece.length;
            backlogBytes -= piece.length;
            deliver(piece);
        }
        if (faults.bytesPerSecond !== null)
            link.spend(available - budget);
        if (backlogBytes < HIGH_WATER && from.isPaused())
            from.resume();
        if (backlog.length > 0)
            timer = setTimeout(drain, TICK_MS);
        else if (ended)
            to.end();
    };
    const schedule = () => {
        if (timer === null)
            timer = setTimeout(drain, faults.bytesPerSecond === null ? 0 : TICK_MS);
    };
    from.on('data', (chunk) => {
        const enqueue = () => {
            backlog.push(chunk);
            backlogBytes += chunk.length;
            if (backlogBytes >= HIGH_WATER)
                from.pause();
            schedule();
        };
        if (faults.delayMs > 0)
            setTimeout(enqueue, faults.delayMs);
        else
            enqueue();
    });
    from.on('end', () => {
        const finish = () => {
            ended = true;
            if (backlog.length === 0 && timer === null)
                to.end();
        };
        if (faults.delayMs > 0)
            setTimeout(finish, faults.delayMs);
        else
            finish();
    });
    // Bytes still in the backlog when the sender hangs up are delivered; only a dead receiver stops the pump.
    to.on('close', () => {
        if (timer)
            clearTimeout(timer);
    });
}
// Reads each HTTP/1.1 request whole (headers, then Content-Length bytes of body) and answers it with
// `status`, as a sink would that is up but refuses the work. Keeps the connection, as a server would.
function answerEveryRequest(client, status, counted) {
    let buffer = Buffer.alloc(0);
    client.on('error', () => client.destroy());
    client.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
            const headEnd = buffer.indexOf('\r\n\r\n');
            if (headEnd < 0)
                return;
            const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buffer.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0);
            if (buffer.length < headEnd + 4 + length)
                return;
            buffer = buffer.subarray(headEnd + 4 + length);
            counted();
            const body = JSON.stringify({ error: 'unavailable', reason: `fault proxy answers ${status}` });
            client.write(`HTTP/1.1 ${status} Fault\r\nContent-Type: application/json\r\nRetry-After: 1\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        }
    });
}
//# sourceMappingURL=fault-proxy.js.map