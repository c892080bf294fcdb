// The sink behind nginx (TLS at nginx, plain HTTP on loopback behind it, as in docs/operations.md): the
// agent's HTTP client and codec upload through it, the columnar negotiation survives the proxy (nginx
// passes Accept-Post and the request's Content-Type and Content-Encoding through), and readings are stored.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NegotiatedCodec } from '../../agent/transport/codec.js';
import { encodeUpload, HttpClient } from '../../agent/transport/http-client.js';
import { until } from '../../lab/poll.js';
import { container, measure, T0 } from './containers.js';
import { startInProcessSink, type InProcessSink } from './harness.js';
import { needsProgram } from '../support/outside-program.js';
import { makeCa, makeLeaf, writePair, type CertPair } from '../support/tls-certs.js';

const check = needsProgram('nginx', ['-v'], 'the sink behind nginx', 'apt-get install nginx-light');

let dir: string;
let sink: InProcessSink;
let nginx: ChildProcess;
let ca: CertPair;
let port: number;

/** A free loopback port for nginx to listen on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: p } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return p;
}

describe.skipIf(check.skip)(check.name, () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nginx-'));
    sink = await startInProcessSink();
    ca = await makeCa();
    const { certFile, keyFile } = writePair(dir, 'sink', await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1'] }));
    port = await freePort();
    const upstream = new URL(sink.url).port;
    // The configuration of docs/operations.md, with test paths and ports.
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  upstream dsp_sink { server 127.0.0.1:${upstream}; keepalive 16; }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ssl_session_cache shared:dsp:1m;
    ssl_session_timeout 1h;
    keepalive_timeout 65s;
    client_max_body_size 16m;
    location / {
      proxy_pass http://dsp_sink;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`,
    );
    // Its own process group: nginx forks workers, and the whole group is killed at the end.
    nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: 'ignore',
      detached: true,
    });
    const listening = { ok: false };
    await until(
      () => {
        if (!listening.ok) {
          const socket = net.connect(port, '127.0.0.1');
          socket.on('connect', () => {
            listening.ok = true;
            socket.destroy();
          });
          socket.on('error', () => socket.destroy());
        }
        return listening.ok;
      },
      10_000,
      'nginx listening',
    );
  });

  afterAll(async () => {
    if (nginx?.pid !== undefined) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      process.kill(-nginx.pid, 'SIGKILL');
      await exited;
    }
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes uploads through nginx over TLS, and the agent negotiates the columnar encoding through it', async () => {
    const token = await sink.addGateway('gw1');
    const http = new HttpClient({ connectTimeoutMs: 5000, requestTimeoutMs: 10_000, tls: { ca: ca.cert } });
    const codec = new NegotiatedCodec();
    const url = `https://127.0.0.1:${port}/transportDspMessages`;
    try {
      for (let k = 0; k < 3; k++) {
        const upload = await encodeUpload(
          codec.encode(container('gw1', [measure(1 + k * 60, T0 + k * 60_000, 60)])),
          true,
        );
        const result = await http.send(url, token, upload);
        expect(result.kind).toBe('ok');
        if (result.kind === 'ok') codec.learn(result.acceptPost);
        expect(codec.encoding).toBe('columnar');
      }
    } finally {
      await http.close();
    }
    const res = await sink.api('/api/gateways');
    const { gateways } = (await res.json()) as { gateways: { id: string; readingsStored: number }[] };
    expect(gateways.find((g) => g.id === 'gw1')?.readingsStored).toBe(180);
  });
});
