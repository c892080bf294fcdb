// An agent whose sink is http:// never loads node:https, node:tls or node:crypto (about 2 MiB resident on a
// small board, issue 17): they are loaded at the first https:// request. A fresh node process each time
// (vitest itself has them loaded), running the compiled client against a loopback sink.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distPath } from '../../lab/repo-root.js';

const TLS_MODULES = ['https', 'tls', 'crypto'];

/** Posts one body with a fresh HttpClient to a loopback HTTP server; the answer and which TLS modules loaded. */
function postInFreshNode(scheme: 'http' | 'https'): { kind: string; loaded: string[] } {
  const script = `
    import http from 'node:http';
    import { once } from 'node:events';
    const { HttpClient } = await import(process.argv[1]);
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('<ok/>')); });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = new HttpClient({ connectTimeoutMs: 5000, requestTimeoutMs: 5000 });
    const url = process.argv[2] + '://127.0.0.1:' + server.address().port + '/transportDspMessages';
    const answer = await client.send(url, 'token', { body: Buffer.from('<x/>'), compressed: false });
    const loaded = ${JSON.stringify(TLS_MODULES)}.filter((m) => process.moduleLoadList.includes('NativeModule ' + m));
    console.log(JSON.stringify({ kind: answer.kind, loaded }));
    await client.close();
    server.close();
  `;
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script, distPath('agent', 'transport', 'http-client.js'), scheme],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as { kind: string; loaded: string[] };
}

describe('HttpClient: the TLS modules', () => {
  it('are not loaded by an upload to an http:// sink', () => {
    expect(postInFreshNode('http')).toEqual({ kind: 'ok', loaded: [] });
  });

  it('are loaded by the first upload to an https:// sink (the check above sees them)', () => {
    // The loopback server speaks plain HTTP: the handshake fails, after node:https was loaded.
    expect(postInFreshNode('https')).toEqual({ kind: 'retry', loaded: TLS_MODULES });
  });
});
