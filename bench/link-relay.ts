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

export interface LinkCount {
  /** Payload bytes at the socket (TLS records), both ways. */
  payload: number;
  /** Data segments both ways (each chunk read split at the MSS). */
  segments: number;
  connections: number;
}

/**
 * What the link carries: payload, a header per data segment, a pure ACK per data segment (conservative:
 * delayed ACKs halve them, and both sides of the comparison are counted the same way), and the connection
 * open and close packets.
 */
export function linkBytes(c: LinkCount): number {
  return c.payload + 2 * c.segments * SEGMENT_HEADER_BYTES + c.connections * (CONNECT_BYTES + CLOSE_BYTES);
}

export class CountingRelay {
  readonly count: LinkCount = { payload: 0, segments: 0, connections: 0 };
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private readonly ends = new Set<() => void>();

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.relay(client));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  get openConnections(): number {
    return this.open.size;
  }

  /** Ends every connection (FIN both ways), as an idle timeout does; they count until they are closed. */
  closeIdle(): void {
    for (const end of this.ends) end();
  }

  reset(): void {
    Object.assign(this.count, { payload: 0, segments: 0, connections: 0 });
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: net.Socket): void {
    this.count.connections++;
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.open.add(client);
    const end = (): void => {
      client.end();
      upstream.end();
    };
    this.ends.add(end);
    const pipe = (from: net.Socket, to: net.Socket): void => {
      from.on('data', (chunk: Buffer) => {
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
