// A TCP proxy that stands between agent and sink in tests and benchmarks and breaks the link on demand:
// refuse connections, add latency, throttle bandwidth (a 384 kbit/s UMTS uplink), cut a connection
// after a number of bytes in either direction (mid-request or mid-response), or answer every HTTP request
// itself with an error status (a sink that is overloaded or broken). Faults apply to connections opened
// after they are set, except `refuse` and `respondWith`, which also drop open connections, so that a
// keep-alive connection does not carry on past them. `retarget` follows a sink restarted on a new port.

import net from 'node:net';

export interface FaultProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** Port to listen on (127.0.0.1); 0 picks a free one. */
  port?: number;
}

export interface FaultSettings {
  /** Accept and reset every connection (the link is down). */
  refuse: boolean;
  /** Added one-way latency per chunk, in ms. */
  delayMs: number;
  /** Bandwidth cap per direction, bytes per second, shared by all connections (one link); null = unlimited. */
  bytesPerSecond: number | null;
  /** Cut the connection after this many bytes from client to server (mid-request). */
  cutRequestAfterBytes: number | null;
  /** Cut the connection after this many bytes from server to client (mid-response). */
  cutResponseAfterBytes: number | null;
  /** Answer each HTTP request with this status (500, 503...) and a Retry-After of 1 s, without forwarding it. */
  respondWith: number | null;
}

export interface FaultProxyStats {
  connections: number;
  refused: number;
  cut: number;
  /** Requests answered by the proxy itself (respondWith). */
  answered: number;
  bytesUp: number;
  bytesDown: number;
}

const NO_FAULTS: FaultSettings = {
  refuse: false,
  delayMs: 0,
  bytesPerSecond: null,
  cutRequestAfterBytes: null,
  cutResponseAfterBytes: null,
  respondWith: null,
};

export class FaultProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private faults: FaultSettings = { ...NO_FAULTS };
  private readonly uplink = new LinkBudget();
  private readonly downlink = new LinkBudget();
  readonly stats: FaultProxyStats = { connections: 0, refused: 0, cut: 0, answered: 0, bytesUp: 0, bytesDown: 0 };

  private targetPort: number;

  constructor(private readonly options: FaultProxyOptions) {
    this.targetPort = options.targetPort;
  }

  async start(): Promise<number> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('fault proxy is not listening');
    return address.port;
  }

  /** Replaces some fault settings; the others keep their values. */
  set(faults: Partial<FaultSettings>): void {
    this.faults = { ...this.faults, ...faults };
    if (this.faults.refuse || this.faults.respondWith !== null) this.disconnectAll();
  }

  /** Drops every open connection (clients reconnect, under the faults set now). */
  disconnectAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Forwards new connections to another port (the sink came back on a new one). */
  retarget(port: number): void {
    this.targetPort = port;
  }

  /** Back to a clean link. */
  heal(): void {
    this.faults = { ...NO_FAULTS };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private accept(client: net.Socket): void {
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
    pump(
      upstream,
      client,
      faults,
      this.downlink,
      faults.cutResponseAfterBytes,
      cut,
      (n) => (this.stats.bytesDown += n),
    );
    // A failure on either side ends both: the peer sees what a broken link shows it. A clean end is
    // passed on by the pump once the bytes before it have gone through.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }

  private track(socket: net.Socket): void {
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
  private bytes = 0;
  private at = performance.now();

  available(bytesPerSecond: number, tickMs: number): number {
    const now = performance.now();
    this.bytes = Math.min((bytesPerSecond * 2 * tickMs) / 1000, this.bytes + (bytesPerSecond * (now - this.at)) / 1000);
    this.at = now;
    return Math.floor(this.bytes);
  }

  spend(bytes: number): void {
    this.bytes -= bytes;
  }
}

// Moves bytes from `from` to `to` under the connection's faults. Throttling draws on the link's byte budget
// every tick; `from` is paused while the backlog is large, so a throttled link pushes back on the sender
// the way a slow radio bearer fills the sender's socket buffer.
function pump(
  from: net.Socket,
  to: net.Socket,
  faults: FaultSettings,
  link: LinkBudget,
  cutAfter: number | null,
  cut: () => void,
  count: (bytes: number) => void,
): void {
  const TICK_MS = 10;
  const HIGH_WATER = 64 * 1024;
  const backlog: Buffer[] = [];
  let backlogBytes = 0;
  let forwarded = 0;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;

  const deliver = (chunk: Buffer) => {
    if (to.destroyed) return;
    if (cutAfter !== null && forwarded + chunk.length >= cutAfter) {
      const head = chunk.subarray(0, Math.max(0, cutAfter - forwarded));
      if (head.length > 0) to.write(head);
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
      const head = backlog[0]!;
      const piece = head.length <= budget ? head : head.subarray(0, budget);
      if (piece === head) backlog.shift();
      else backlog[0] = head.subarray(budget);
      budget -= piece.length;
      backlogBytes -= piece.length;
      deliver(piece);
    }
    if (faults.bytesPerSecond !== null) link.spend(available - budget);
    if (backlogBytes < HIGH_WATER && from.isPaused()) from.resume();
    if (backlog.length > 0) timer = setTimeout(drain, TICK_MS);
    else if (ended) to.end();
  };

  const schedule = () => {
    if (timer === null) timer = setTimeout(drain, faults.bytesPerSecond === null ? 0 : TICK_MS);
  };

  from.on('data', (chunk: Buffer) => {
    const enqueue = () => {
      backlog.push(chunk);
      backlogBytes += chunk.length;
      if (backlogBytes >= HIGH_WATER) from.pause();
      schedule();
    };
    if (faults.delayMs > 0) setTimeout(enqueue, faults.delayMs);
    else enqueue();
  });
  from.on('end', () => {
    const finish = () => {
      ended = true;
      if (backlog.length === 0 && timer === null) to.end();
    };
    if (faults.delayMs > 0) setTimeout(finish, faults.delayMs);
    else finish();
  });
  // Bytes still in the backlog when the sender hangs up are delivered; only a dead receiver stops the pump.
  to.on('close', () => {
    if (timer) clearTimeout(timer);
  });
}

// Reads each HTTP/1.1 request whole (headers, then Content-Length bytes of body) and answers it with
// `status`, as a sink would that is up but refuses the work. Keeps the connection, as a server would.
function answerEveryRequest(client: net.Socket, status: number, counted: () => void): void {
  let buffer = Buffer.alloc(0);
  client.on('error', () => client.destroy());
  client.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headEnd = buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(
        /\r\ncontent-length:\s*(\d+)/i.exec(buffer.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0,
      );
      if (buffer.length < headEnd + 4 + length) return;
      buffer = buffer.subarray(headEnd + 4 + length);
      counted();
      const body = JSON.stringify({ error: 'unavailable', reason: `fault proxy answers ${status}` });
      client.write(
        `HTTP/1.1 ${status} Fault\r\nContent-Type: application/json\r\nRetry-After: 1\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    }
  });
}
