// The status listener, on localhost only by default: GET /healthz (liveness and a one-line verdict),
// GET /metrics (Prometheus text), GET /status (the JSON that `dsp-agent status` prints for a person).

import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, type Registry } from '../../common/metrics.js';
import type { AgentStatus } from './agent-status.js';

export interface StatusSource {
  /** Everything a person asks first: driver, queues, last contact, overrides. */
  status(): AgentStatus;
  registry: Registry;
}

const JSON_TYPE = 'application/json';

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** The whole answer as a string, so that nothing is written before it is known to succeed. */
function route(url: string, source: StatusSource): Reply {
  if (url === '/metrics') return { status: 200, type: PROMETHEUS_CONTENT_TYPE, body: source.registry.render() };
  if (url === '/healthz') {
    const { health } = source.status();
    const body = JSON.stringify({ status: health.ok ? 'ok' : 'degraded', problems: health.problems }) + '\n';
    return { status: 200, type: JSON_TYPE, body };
  }
  if (url === '/status') return { status: 200, type: JSON_TYPE, body: JSON.stringify(source.status(), null, 2) + '\n' };
  return { status: 404, type: JSON_TYPE, body: '{"error":"not_found"}\n' };
}

export class StatusServer {
  private constructor(private readonly server: Server) {}

  /** `onError` hears a handler's failure (the agent logs it); the client only gets a 500. */
  static async start(listen: string, source: StatusSource, onError: (err: unknown) => void): Promise<StatusServer> {
    const at = listen.lastIndexOf(':');
    const host = listen.slice(0, at).replace(/^\[|\]$/g, '');
    const port = Number(listen.slice(at + 1));
    const server = createServer((req, res) => {
      if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
      let reply: Reply;
      try {
        reply = route((req.url ?? '/').split('?')[0]!, source);
      } catch (err) {
        // The body is built before any header is written, so a failing handler can still answer 500.
        // The error goes to the log, never to the client (no stack, no path).
        onError(err);
        reply = { status: 500, type: JSON_TYPE, body: '{"error":"internal"}\n' };
      }
      res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return new StatusServer(server);
  }

  get address(): string {
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
