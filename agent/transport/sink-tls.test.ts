// The agent's HTTPS client against a real HTTPS server on loopback with certificates made here: each way a
// sink certificate can be wrong is refused with its own words, a CA file, a pin and a client certificate work.
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, makeLeaf, type CertPair } from '../../test/support/tls-certs.js';
import { HttpClient, type Exchange } from './http-client.js';
import { spkiSha256, type SinkTlsOptions } from './sink-tls.js';

const DAY_MS = 24 * 3600 * 1000;
let ca: CertPair;
let good: CertPair;
const servers: Server[] = [];
const clients: HttpClient[] = [];

beforeAll(async () => {
  ca = await makeCa();
  good = await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1', 'localhost'] });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that answers 200 with the CN of the client certificate (or "anonymous"). */
async function serve(pair: CertPair, requestCert = false): Promise<string> {
  const server = createServer(
    { cert: pair.cert, key: pair.key, requestCert, rejectUnauthorized: false, ...(requestCert ? { ca: ca.cert } : {}) },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(peer.subject?.CN ?? 'anonymous');
    },
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/transportDspMessages`;
}

function send(url: string, tls?: SinkTlsOptions): Promise<Exchange> {
  const client = new HttpClient({ connectTimeoutMs: 5000, requestTimeoutMs: 5000, tls });
  clients.push(client);
  return client.send(url, 'token-token-token', { body: Buffer.from('<x/>'), compressed: false });
}

function expectTlsProblem(result: Exchange, problem: string): void {
  expect(result.kind).toBe('retry');
  expect(result.kind === 'retry' && result.tlsProblem).toBe(problem);
}

describe('the agent checks the sink certificate', () => {
  it('trusts a sink signed by the CA file and refuses it with the system CAs only', async () => {
    const url = await serve(good);
    expect(await send(url, { ca: ca.cert })).toMatchObject({ kind: 'ok' });
    expectTlsProblem(await send(url), 'sink certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
  });

  it('refuses an expired certificate and one for another host', async () => {
    const expired = await makeLeaf(ca, {
      cn: 'sink',
      hosts: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 30 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    expectTlsProblem(await send(await serve(expired), { ca: ca.cert }), 'sink certificate expired (CERT_HAS_EXPIRED)');
    const elsewhere = await makeLeaf(ca, { cn: 'sink', hosts: ['sink.example.org'] });
    expectTlsProblem(
      await send(await serve(elsewhere), { ca: ca.cert }),
      'sink certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)',
    );
  });

  it('accepts the pinned public key and refuses a trusted certificate with another key', async () => {
    const url = await serve(good);
    expect(await send(url, { ca: ca.cert, pinnedPubkeys: [spkiSha256(good.cert)] })).toMatchObject({ kind: 'ok' });
    const other = await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1'] });
    expectTlsProblem(
      await send(url, { ca: ca.cert, pinnedPubkeys: [spkiSha256(other.cert)] }),
      'sink public key does not match pinned_pubkey (ERR_DSP_PIN_MISMATCH)',
    );
  });

  it('shows a client certificate when given one', async () => {
    const url = await serve(good, true);
    const client = await makeLeaf(ca, { cn: 'gw-7', client: true });
    const shown = await send(url, { ca: ca.cert, cert: client.cert, key: client.key });
    expect(shown.kind === 'ok' && Buffer.from(shown.body).toString()).toBe('gw-7');
    const anonymous = await send(url, { ca: ca.cert });
    expect(anonymous.kind === 'ok' && Buffer.from(anonymous.body).toString()).toBe('anonymous');
  });
});
