// dsp-sink serving HTTPS itself: real certificates made here, the real sink and agent processes, a SIGHUP
// reload seen by new connections while an open keep-alive connection goes on with the old certificate.
import { X509Certificate } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSinkCli, spawnSink, type SinkProcess } from '../../lab/sink-process.js';
import { queuedSequences, startAgent, writeAgentConfig, type RunningAgent } from '../../lab/agent-process.js';
import type { AgentStatus } from '../../agent/status/agent-status.js';
import { pollUntil, until } from '../../lab/poll.js';
import { encodeContainer } from '../../protocol/index.js';
import { container, measure } from './containers.js';
import { makeCa, makeLeaf, writePair, type CertPair } from '../support/tls-certs.js';

const OPERATOR = 'operator-token-for-tls-tests';
let ca: CertPair;
let dir: string;
let db: string;
let caFile: string;
const sinks: SinkProcess[] = [];
const agents: RunningAgent[] = [];

beforeAll(async () => {
  ca = await makeCa();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sink-tls-'));
  db = path.join(dir, 'sink.db');
  caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, ca.cert);
});
afterEach(async () => {
  for (const a of agents.splice(0)) {
    a.child.kill('SIGKILL');
    await a.exited;
  }
  for (const s of sinks.splice(0)) {
    s.process.kill('SIGKILL');
    await s.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** One GET over `agent`: status, the certificate the server showed, and the socket it went over. */
function get(url: string, agent: Agent): Promise<{ status: number; fingerprint: string; socket: TLSSocket }> {
  const options: RequestOptions = { agent, ca: ca.cert, headers: { authorization: `Bearer ${OPERATOR}` } };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, options, (res) => {
      const socket = res.socket as TLSSocket;
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint, socket }));
    });
    req.on('error', reject);
    req.end();
  });
}

const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

describe('dsp-sink over HTTPS', () => {
  it('takes an upload from the real agent and reloads its certificate on SIGHUP without dropping connections', async () => {
    const first = await makeLeaf(ca, { cn: 'sink one', hosts: ['127.0.0.1', 'localhost'] });
    const files = writePair(dir, 'server', first);
    const added = await runSinkCli(['gateway', 'add', 'gw-tls', '--db', db, '--create']);
    expect(added.code).toBe(0);
    const sink = await spawnSink(db, ['--tls-cert', files.certFile, '--tls-key', files.keyFile], {
      DSP_OPERATOR_TOKEN: OPERATOR,
    });
    sinks.push(sink);
    expect(sink.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    // The real agent, trusting the test CA the way an operator's system store would.
    const config = path.join(dir, 'agent.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'agent'),
      sinkUrl: `${sink.url}/transportDspMessages`,
      gatewayId: 'gw-tls',
      token: added.stdout.trim(),
    });
    agents.push(await startAgent(config, { NODE_EXTRA_CA_CERTS: caFile }));
    const readings = await pollUntil(
      async () => {
        const res = await fetchJson(sink.url, '/api/readings?gateway=gw-tls&format=json&limit=1000');
        return res as unknown[];
      },
      (r) => r.length >= 3,
    );
    expect(readings.length).toBeGreaterThanOrEqual(3);

    // A keep-alive connection opened with the first certificate.
    const keptAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await get(sink.url, keptAlive);
    expect(before.status).toBe(200);
    expect(before.fingerprint).toBe(fingerprintOf(first.cert));

    const second = await makeLeaf(ca, { cn: 'sink two', hosts: ['127.0.0.1', 'localhost'] });
    writePair(dir, 'server', second);
    const reloads = (): number => sink.logs.filter((l) => l.msg === 'tls reloaded').length;
    sink.process.kill('SIGHUP');
    await until(() => reloads() === 1, 10_000, 'the "tls reloaded" log line');

    const fresh = new Agent({ keepAlive: false });
    const after = await get(sink.url, fresh);
    expect(after.status).toBe(200);
    expect(after.fingerprint).toBe(fingerprintOf(second.cert));
    // The old connection is still open and still answers, over the same socket and the old certificate.
    const again = await get(sink.url, keptAlive);
    expect(again.status).toBe(200);
    expect(again.socket).toBe(before.socket);
    expect(again.fingerprint).toBe(fingerprintOf(first.cert));
    keptAlive.destroy();
    fresh.destroy();

    // A bad pair on SIGHUP is refused and the sink keeps serving the last good one.
    writeFileSync(files.keyFile, (await makeLeaf(ca, { cn: 'other', hosts: ['127.0.0.1'] })).key, { mode: 0o600 });
    sink.process.kill('SIGHUP');
    await until(() => sink.logs.some((l) => l.msg === 'tls reload refused, the old certificate stays'), 10_000);
    const stillServing = new Agent({ keepAlive: false });
    expect((await get(sink.url, stillServing)).fingerprint).toBe(fingerprintOf(second.cert));
    stillServing.destroy();
  });

  it('an agent that does not trust the sink says so, keeps queueing, and drains all once given the CA file', async () => {
    const files = writePair(dir, 'server', await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1'] }));
    const added = await runSinkCli(['gateway', 'add', 'gw-ca', '--db', db, '--create']);
    const sink = await spawnSink(db, ['--tls-cert', files.certFile, '--tls-key', files.keyFile], {
      DSP_OPERATOR_TOKEN: OPERATOR,
    });
    sinks.push(sink);
    const config = path.join(dir, 'agent.toml');
    const dataDir = path.join(dir, 'agent');
    writeAgentConfig(config, {
      dataDir,
      sinkUrl: `${sink.url}/transportDspMessages`,
      gatewayId: 'gw-ca',
      token: added.stdout.trim(),
    });
    const untrusting = await startAgent(config);
    agents.push(untrusting);
    const status = await pollUntil(
      async () => (await (await fetch(`${untrusting.statusUrl}/status`)).json()) as AgentStatus,
      (st) => st.destinations[0]!.queued >= 5 && st.destinations[0]!.tlsProblem !== null,
    );
    const problem = 'sink certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)';
    expect(status.destinations[0]!.tlsProblem).toBe(problem);
    expect(status.health.problems).toContain(`sink: ${problem}`);
    expect(untrusting.logs.some((l) => l.level === 'error' && l.reason === problem)).toBe(true);
    untrusting.child.kill('SIGKILL');
    await untrusting.exited;
    const { last } = await queuedSequences(dataDir);
    expect(last).toBeGreaterThanOrEqual(5);

    // The fix: the destination names the CA. Everything queued meanwhile reaches the sink, nothing lost.
    appendFileSync(config, `ca_file = "${caFile}"\n`);
    const trusting = await startAgent(config);
    agents.push(trusting);
    // Readings, and the sonde's description each agent start queues before its first reading (a message).
    const storedSequences = async (): Promise<Set<number>> => {
      const readings = (await fetchJson(sink.url, '/api/readings?gateway=gw-ca&format=json&limit=100000')) as Array<{
        sequence: number;
      }>;
      const { messages } = (await fetchJson(sink.url, '/api/gateways/gw-ca/messages?limit=1000')) as {
        messages: Array<{ sequence?: number }>;
      };
      return new Set([...readings, ...messages].flatMap((r) => (r.sequence === undefined ? [] : [r.sequence])));
    };
    const sequences = await pollUntil(
      storedSequences,
      (seen) => Array.from({ length: last }, (_, i) => i + 1).every((s) => seen.has(s)),
      30_000,
    );
    for (let s = 1; s <= last; s++) expect(sequences.has(s), `sequence ${s}`).toBe(true);
  });

  it('takes a gateway client certificate instead of the token (CN = gateway id) and refuses it once revoked', async () => {
    const server = writePair(dir, 'server', await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1'] }));
    const clientCa = await makeCa('gateway CA');
    const clientCaFile = path.join(dir, 'client-ca.pem');
    writeFileSync(clientCaFile, clientCa.cert);
    const config = path.join(dir, 'sink.json');
    writeFileSync(config, JSON.stringify({ tls: { ...server, clientCaFile } }));
    expect((await runSinkCli(['gateway', 'add', 'gw-m', '--db', db, '--create'])).code).toBe(0);
    const sink = await spawnSink(db, ['--config', config], { DSP_OPERATOR_TOKEN: OPERATOR });
    sinks.push(sink);

    const mine = await makeLeaf(clientCa, { cn: 'gw-m', client: true });
    const stranger = await makeLeaf(ca, { cn: 'gw-m', client: true }); // right name, CA the sink does not trust
    const unknown = await makeLeaf(clientCa, { cn: 'gw-nobody', client: true });
    const upload = (pair: CertPair | undefined, sequence: number) =>
      postWithCertificate(sink.url, pair, encodeContainer(container('gw-m', [measure(sequence)])));

    expect(await upload(mine, 1)).toBe(200);
    expect(await upload(undefined, 2)).toBe(401);
    expect(await upload(stranger, 3)).toBe(401);
    expect(await upload(unknown, 4)).toBe(401);

    // The real agent with that certificate and no token at all.
    writeFileSync(path.join(dir, 'gw.pem'), mine.cert);
    writeFileSync(path.join(dir, 'gw.key'), mine.key, { mode: 0o600 });
    const agentConfig = path.join(dir, 'agent.toml');
    writeAgentConfig(agentConfig, {
      dataDir: path.join(dir, 'agent'),
      sinkUrl: `${sink.url}/transportDspMessages`,
      gatewayId: 'gw-m',
      token: 'removed-below',
    });
    const toml = readFileSync(agentConfig, 'utf8').replace(/^token = .*\n/m, '');
    const tlsKeys = [`ca_file = "${caFile}"`, `client_cert_file = "${path.join(dir, 'gw.pem')}"`];
    writeFileSync(agentConfig, `${toml}${tlsKeys.join('\n')}\nclient_key_file = "${path.join(dir, 'gw.key')}"\n`);
    agents.push(await startAgent(agentConfig));
    await pollUntil(
      async () => (await fetchJson(sink.url, '/api/readings?gateway=gw-m&format=json&limit=1000')) as unknown[],
      (r) => r.length >= 3,
    );

    expect((await runSinkCli(['gateway', 'revoke', 'gw-m', '--db', db])).code).toBe(0);
    expect(await upload(mine, 5)).toBe(401);
  });

  it('refuses to start on a missing file, a non-PEM file, a key of another certificate or a readable key', async () => {
    const pair = writePair(dir, 'server', await makeLeaf(ca, { cn: 'sink', hosts: ['127.0.0.1'] }));
    const other = writePair(dir, 'other', await makeLeaf(ca, { cn: 'other', hosts: ['127.0.0.1'] }));
    const start = (cert: string, key: string) =>
      runSinkCli(['--db', db, '--port', '0', '--tls-cert', cert, '--tls-key', key]);

    const missing = await start(path.join(dir, 'nope.pem'), pair.keyFile);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/tls\.certFile .*nope\.pem cannot be read \(ENOENT\)/);

    const notPem = path.join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    const garbage = await start(notPem, pair.keyFile);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/tls\.certFile .* holds no PEM certificate/);

    const mismatched = await start(pair.certFile, other.keyFile);
    expect(mismatched.code).toBe(2);
    expect(mismatched.stderr).toMatch(/is not the key of the certificate/);

    chmodSync(pair.keyFile, 0o644);
    const readable = await start(pair.certFile, pair.keyFile);
    expect(readable.code).toBe(2);
    expect(readable.stderr).toMatch(/readable by its group and other users \(mode 0644\).*chmod 600/);

    const onlyCert = await runSinkCli(['--db', db, '--port', '0', '--tls-cert', pair.certFile]);
    expect(onlyCert.code).toBe(2);
    expect(onlyCert.stderr).toMatch(/tls\.keyFile/);
  });
});

/** POSTs a container over a fresh connection showing `pair` as the client certificate; the status. */
function postWithCertificate(base: string, pair: CertPair | undefined, body: string | Uint8Array): Promise<number> {
  const agent = new Agent({ keepAlive: false });
  return new Promise<number>((resolve, reject) => {
    const req = request(
      `${base}/transportDspMessages`,
      {
        method: 'POST',
        agent,
        ca: ca.cert,
        cert: pair?.cert,
        key: pair?.key,
        headers: { 'content-type': 'application/xml' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  }).finally(() => agent.destroy());
}

async function fetchJson(base: string, pathname: string): Promise<unknown> {
  const agent = new Agent({ keepAlive: false });
  try {
    return await new Promise((resolve, reject) => {
      const req = request(
        `${base}${pathname}`,
        { agent, ca: ca.cert, headers: { authorization: `Bearer ${OPERATOR}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  } finally {
    agent.destroy();
  }
}
