// What a TLS upload costs on the link, counted at the socket (a TCP relay on loopback; TCP/IP headers not
// included): the first upload pays the full handshake, the next one reuses the connection (node's
// https.Agent keep-alive), and a new connection beside it resumes the TLS session (its session cache) instead of a
// full handshake. Figures in docs/operations.md.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../lab/fault-proxy.js';
import { until } from '../../lab/poll.js';
import { makeCa, makeLeaf, type CertPair } from '../../test/support/tls-certs.js';
import { HttpClient } from './http-client.js';

let ca: CertPair;
let server: Server;
let proxy: FaultProxy;
let client: HttpClient;
let url: string;
const handshakes = { full: 0, resumed: 0 };

beforeAll(async () => {
  ca = await makeCa();
  const pair = await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1'] });
  // An RSA-free chain of one certificate: the handshake here is smaller than with a public CA's chain.
  server = createServer({ cert: pair.cert, key: pair.key }, (req, res) => {
    req.resume();
    req.on('end', () => res.end('<ok/>'));
  });
  server.on('secureConnection', (socket) => (socket.isSessionReused() ? handshakes.resumed++ : handshakes.full++));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy = new FaultProxy({ targetPort: (server.address() as AddressInfo).port });
  url = `https://127.0.0.1:${await proxy.start()}/transportDspMessages`;
  client = new HttpClient({ connectTimeoutMs: 5000, requestTimeoutMs: 5000, tls: { ca: ca.cert } });
});
afterAll(async () => {
  await client.close();
  await proxy.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Bytes both ways on the link for one upload of a fixed 2 KiB body. */
async function upload(): Promise<number> {
  const before = proxy.stats.bytesUp + proxy.stats.bytesDown;
  const result = await client.send(url, 'token-token-token', { body: Buffer.alloc(2048, 'a'), compressed: false });
  expect(result.kind).toBe('ok');
  return proxy.stats.bytesUp + proxy.stats.bytesDown - before;
}

describe('TLS cost per upload', () => {
  it('reuses the connection, and resumes the session on a new one', async () => {
    const first = await upload();
    // Uploads are an interval apart: the next one starts once the connection went back to the pool.
    await until(() => client.idleConnections(url) === 1, 5000, 'the connection back in the pool');
    const reused = await upload();
    expect(proxy.stats.connections).toBe(1);
    // The sink (or a NAT) closed the idle connection: the next upload opens a new one.
    await until(() => client.idleConnections(url) === 1, 5000, 'the connection back in the pool');
    // Two uploads at once (upload.max_in_flight): the second opens a new connection, which resumes the session.
    const before = proxy.stats.bytesUp + proxy.stats.bytesDown;
    await Promise.all([upload(), upload()]);
    const resumed = proxy.stats.bytesUp + proxy.stats.bytesDown - before - reused;
    expect(proxy.stats.connections).toBe(2);
    expect(handshakes).toEqual({ full: 1, resumed: 1 });
    console.log(JSON.stringify({ tlsUploadBytes: { first, reused, resumed } }));
    // A reused connection carries no handshake; a resumed one carries no certificate.
    expect(reused).toBeLessThan(first - 500);
    expect(resumed).toBeLessThan(first);
  });
});
