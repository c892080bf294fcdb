// dsp-sink as a real process, on each store backend (a SQLite file, a PostgreSQL URL): the command-line
// contract, and SIGKILL in the middle of ingest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeContainer, decodeContainer } from '../../protocol/index.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { container, measure } from './containers.js';
import { runSinkCli, spawnSink, type SinkProcess } from '../../lab/sink-process.js';
import { STORE_BACKENDS, type Storage } from '../support/store-backends.js';

const OPERATOR = 'operator-token-for-process-tests';
/** How long after the 3rd answer the kill comes: the next containers are then being decoded or committed. */
const KILL_DELAY_MS = 20;

describe.each(STORE_BACKENDS)('dsp-sink on $name', (backend) => {
  let dir: string;
  /** --db: a SQLite file path or a PostgreSQL URL. */
  let db: string;
  let storage: Storage;
  const running: SinkProcess[] = [];

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sink-proc-'));
    storage = await backend.fresh();
    db = storage.location;
  });
  afterEach(async () => {
    for (const sink of running.splice(0)) {
      sink.process.kill('SIGKILL');
      await sink.exited;
    }
    await storage.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(args: string[] = []): Promise<SinkProcess> {
    const sink = await spawnSink(db, args, { DSP_OPERATOR_TOKEN: OPERATOR });
    running.push(sink);
    return sink;
  }

  function post(url: string, token: string, c: MessagesContainer, body = encodeContainer(c)): Promise<Response> {
    return fetch(`${url}/transportDspMessages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
      body,
    });
  }

  describe('dsp-sink command line', () => {
    it('adds, lists and revokes gateways; add prints only the token', async () => {
      const add = await runSinkCli(['gateway', 'add', 'bay-1', '--db', db, '--create']);
      expect(add.code).toBe(0);
      expect(add.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
      expect((await runSinkCli(['gateway', 'add', 'bay-1', '--db', db])).code).not.toBe(0);
      expect((await runSinkCli(['gateway', 'add', 'bad id!', '--db', db])).code).not.toBe(0);

      const list = await runSinkCli(['gateway', 'list', '--db', db]);
      expect(list.stdout).toMatch(/^bay-1\tactive\t/m);

      const token = add.stdout.trim();
      const sink = await start();
      expect((await post(sink.url, token, container('bay-1', [measure(1)]))).status).toBe(200);

      expect((await runSinkCli(['gateway', 'revoke', 'bay-1', '--db', db])).code).toBe(0);
      // Revocation reaches the running server at once: tokens are checked against the file per request.
      expect((await post(sink.url, token, container('bay-1', [measure(2)]))).status).toBe(401);
      expect((await runSinkCli(['gateway', 'list', '--db', db])).stdout).toMatch(/^bay-1\trevoked\t/m);
    });

    it('sets the station metadata given to gateway add, checked as the API checks it', async () => {
      const add = await runSinkCli([
        'gateway',
        'add',
        'bay-1',
        '--db',
        db,
        '--create',
        '--name',
        'Pier 7',
        '--lat',
        '37.81',
        // A negative number is written --lon=-122.41 (after a space it reads as an option).
        '--lon=-122.41',
      ]);
      expect(add.code).toBe(0);
      const bad = await runSinkCli(['gateway', 'add', 'bay-2', '--db', db, '--lat', '91', '--lon', '0']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/latitude: expected degrees from -90 to 90/);
      expect((await runSinkCli(['gateway', 'add', 'bay-3', '--db', db, '--lat', '10'])).stderr).toMatch(
        /latitude and longitude: expected both/,
      );
      expect((await runSinkCli(['gateway', 'list', '--db', db, '--name', 'x'])).code).toBe(2);
      const store = await storage.open();
      try {
        expect((await store.getGateway('bay-1'))?.station).toEqual({
          name: 'Pier 7',
          latitude: 37.81,
          longitude: -122.41,
        });
        // A refused add registers nothing.
        expect(await store.getGateway('bay-2')).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('prints usage with --help and refuses bad options with exit code 2', async () => {
      const help = await runSinkCli(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('dsp-sink gateway add ID --db DB');
      const bad = await runSinkCli(['--db', db, '--port', 'many']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--port/);
      expect((await runSinkCli(['--bogus'])).code).toBe(2);
    });

    it('reads a config file and --legacy mappings, and logs JSON lines', async () => {
      const config = path.join(dir, 'sink.json');
      writeFileSync(config, JSON.stringify({ openDataApi: true, maxCommandsPerResponse: 3 }));
      const sink = await start(['--config', config, '--legacy', '127.0.0.1=old-gumstix']);
      const res = await fetch(`${sink.url}/api/gateways`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ gateways: [{ id: 'old-gumstix', hasToken: false }] });
      expect(sink.logs.find((l) => l.msg === 'listening')).toMatchObject({
        level: 'info',
        component: 'dsp-sink',
        legacyAddresses: 1,
      });
    });

    it('decodes on worker threads, refusals included', async () => {
      const token = (await runSinkCli(['gateway', 'add', 'gw1', '--db', db, '--create'])).stdout.trim();
      const sink = await start();
      expect(sink.logs.find((l) => l.msg === 'listening')?.decodeThreads).toBeGreaterThanOrEqual(
        availableParallelism() > 1 ? 1 : 0,
      );
      const send = (body: Buffer | string, headers: Record<string, string> = {}) =>
        fetch(`${sink.url}/transportDspMessages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}`, ...headers },
          body,
        });
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
      expect((await send(bomb, { 'Content-Encoding': 'gzip' })).status).toBe(413);
      const doctype = await send('<!DOCTYPE x [<!ENTITY a "b">]><MessagesContainer/>');
      expect(await doctype.json()).toMatchObject({ error: 'doctype_forbidden' });
      const ok = await send(gzipSync(encodeContainer(container('gw1', [measure(1, undefined, 60)]))), {
        'Content-Encoding': 'gzip',
      });
      expect(decodeContainer(await ok.text()).acknowledgeUntil).toBe(60);
    });

    it('stops cleanly on SIGTERM', async () => {
      const sink = await start();
      sink.process.kill('SIGTERM');
      expect(await sink.exited).toBe(0);
      running.splice(0);
    });
  });

  describe('dsp-sink killed with SIGKILL during ingest', () => {
    it('keeps every container whole or absent, and the retry completes it exactly once', async () => {
      const token = (await runSinkCli(['gateway', 'add', 'gw1', '--db', db, '--create'])).stdout.trim();
      // Large containers make each commit long, so the kill most likely lands inside a transaction.
      const containers = Array.from({ length: 16 }, (_, c) =>
        container(
          'gw1',
          Array.from({ length: 2 }, (_, m) => measure((c * 2 + m) * 1000 + 1, undefined, 1000)),
        ),
      );
      const readingsPer = 2000;
      const bodies = new Map(containers.map((c) => [c.id, encodeContainer(c)]));
      const sink = await start();

      // 6 requests in flight at any time; SIGKILL after the 3rd acknowledgement.
      const acknowledged = new Set<string>();
      let next = 0;
      let killed = false;
      const worker = async (): Promise<void> => {
        while (!killed && next < containers.length) {
          const c = containers[next++]!;
          try {
            const res = await post(sink.url, token, c, bodies.get(c.id));
            if (res.status === 200 && decodeContainer(await res.text()).acknowledgedContainer === c.id)
              acknowledged.add(c.id);
          } catch {
            return; // connection cut by the kill
          }
          if (acknowledged.size >= 3 && !killed) {
            killed = true;
            // A little later than the answer, while the next containers are being stored.
            await new Promise((resolve) => setTimeout(resolve, KILL_DELAY_MS));
            sink.process.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      expect(killed).toBe(true);
      await sink.exited;
      running.splice(0);
      expect(acknowledged.size).toBeLessThan(containers.length);

      // Restart on the same file: every container is complete or absent, every acknowledged one complete.
      const restarted = await start();
      const counts = await readingsPerContainer(restarted.url, containers);
      for (const c of containers) {
        const n = counts.get(c.id) ?? 0;
        expect([0, readingsPer]).toContain(n);
        if (acknowledged.has(c.id)) expect(n).toBe(readingsPer);
      }

      // The agent retries everything it has no acknowledgement for (here: everything, to show dedupe too).
      const retries = await Promise.all(containers.map((c) => post(restarted.url, token, c, bodies.get(c.id))));
      expect(retries.map((r) => r.status)).toEqual(containers.map(() => 200));
      const after = await readingsPerContainer(restarted.url, containers);
      expect([...after.values()].every((n) => n === readingsPer)).toBe(true);
      const gateways = (await (await api(restarted.url, '/api/gateways')).json()) as {
        gateways: Array<{ acknowledgeUntil: number; readingsStored: number }>;
      };
      expect(gateways.gateways[0]).toMatchObject({
        acknowledgeUntil: containers.length * readingsPer,
        readingsStored: containers.length * readingsPer,
      });
      // 64,000 readings stored and 32,000 read back twice: well over the default 30 s on a loaded 2-core machine.
    }, 60_000);
  });
});

function api(url: string, route: string): Promise<Response> {
  return fetch(`${url}${route}`, { headers: { Authorization: `Bearer ${OPERATOR}` } });
}

async function readingsPerContainer(url: string, containers: MessagesContainer[]): Promise<Map<string, number>> {
  const containerOf = new Map<string, string>();
  for (const c of containers) for (const m of c.messages) containerOf.set(m.messageId, c.id);
  const readings = (await (await api(url, '/api/readings?gateway=gw1')).json()) as Array<{ messageId: string }>;
  const counts = new Map<string, number>();
  for (const r of readings) {
    const id = containerOf.get(r.messageId) ?? 'unknown';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
