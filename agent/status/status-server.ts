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

export class StatusServer {
  private constructor(private readonly server: Server) {}

  static async start(listen: string, source: StatusSource): Promise<StatusServer> {
    const at = listen.lastIndexOf(':');
    const host = listen.slice(0, at).replace(/^\[|\]$/g, '');
    const port = Number(listen.slice(at + 1));
    const server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
      try {
        if (url === '/metrics')
          return void res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(source.registry.render());
        if (url === '/healthz') {
          const { health } = source.status();
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: health.ok ? 'ok' : 'degraded', problems: health.problems }) + '\n');
        }
        if (url === '/status')
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(source.status(), null, 2) + '\n');
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}\n');
      } catch {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}\n');
      }
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
