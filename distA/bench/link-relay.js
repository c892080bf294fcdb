// The gateway's link, as the carrier counts it: a TCP relay on loopback that counts the bytes each way at
// the socket and adds the TCP/IP headers the socket does not show (a model, stated below). `closeIdle()`
// ends the open connections the way the agent's keep-alive timeout or a carrier's NAT does between uploads
// an interval apart, without waiting the interval.
import net from 'node:net';
/** IPv4 (20) + TCP (20) + the timestamps option (12): the header of every segment. */
export const SEGMENT_HEADER_BYTES = 52;
/** A segment's payload on a 1500-byte MTU path with timestamps. */
export const MSS = 1448;
/** SYN and SYN-ACK carry options (MSS, SACK, window scale, timestamps): 60 bytes each; then one ACK. */
export const CONNECT_BYTES = 60 + 60 + SEGMENT_HEADER_BYTES;
/** FIN, ACK, FIN, ACK. */
export const CLOSE_BYTES = 4 * SEGMENT_HEADER_BYTES;
/**
 * What the link carries: payload, a header per data segment, a pure ACK per data segment (conservative:
 * delayed ACKs halve them, and both sides of the comparison are counted the same way), and the connection
 * open and close packets.
 */
export function linkBytes(c) {
    return c.payload + 2 * c.segments * SEGMENT_HEADER_BYTES + c.connections * (CONNECT_BYTES + CLOSE_BYTES);
}
export class CountingRelay {
    targetPort;
    count = { payload: 0, segments: 0, connections: 0 };
    server;
    open = new Set();
    ends = new Set();
    constructor(targetPort) {
        this.targetPort = targetPort;
        this.server = net.createServer((client) => this.relay(client));
    }
    async start() {
        await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
        return this.server.address().port;
    }
    get openConnections() {
        return this.open.size;
    }
    /** Ends every connection (FIN both ways), as an idle timeout does; they count until they are closed. */
    closeIdle() {
        for (const end of this.ends)
            end();
    }
    reset() {
        Object.assign(this.count, { payload: 0, segments: 0, connections: 0 });
    }
    async close() {
        for (const socket of this.open)
            socket.destroy();
        await new Promise((resolve) => this.server.close(resolve));
    }
    relay(client) {
        this.count.connections++;
        const upstream = net.connect(this.targetPort, '127.0.0.1');
        this.open.add(client);
        const end = () => {
            client.end();
            upstream.end();
        };
        this.ends.add(end);
        const pipe = (from, to) => {
            from.on('data', (chunk) => {
                this.count.payload += chunk.length;
                this.count.segments += Math.ceil(chunk.length / MSS);
                to.write(chunk);
            });
            from.on('end', () => to.end());
            from.on('error', () => to.destroy());
        };
        pipe(client, upstream);
        pipe(upstream, client);
        client.on('close', () => {
            this.ends.delete(end);
            this.open.delete(client);
            upstream.destroy();
        });
    }
}
//# sourceMappingURL=link-relay.js.map