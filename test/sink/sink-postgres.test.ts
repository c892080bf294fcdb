// dsp-sink as a real process on a PostgreSQL URL: what only a database server brings. A database that does not
// exist, TLS settings, the password, which appears nowhere (not in logs, errors, --help or /metrics), and
// PostgreSQL stopped during ingest: 503 + Retry-After, /healthz says so, the sink reconnects by itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../../lab/cli-process.js';
import { pollUntil } from '../../lab/poll.js';
import { runSinkCli, SINK_CLI } from '../../lab/sink-process.js';
import { encodeContainer } from '../../protocol/index.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { container, measure } from './containers.js';

const OPERATOR = 'operator-token-for-postgres-tests';
let server: PostgresServer;
let dir: string;
const running: CliProcess[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sink-pg-'));
});
afterEach(async () => {
  for (const sink of running.splice(0)) {
    sink.child.kill('SIGKILL');
    await sink.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The URL's password (the test server's, random per machine). */
const passwordOf = (url: string): string => decodeURIComponent(new URL(url).password);

describe('dsp-sink --db postgres://', () => {
  it('refuses a database that does not exist, naming the database and not the URL', async () => {
    const url = server.url('no_such_db');
    const port = new URL(url).port;
    const runs = [
      await runSinkCli(['gateway', 'add', 'bay-1', '--db', url, '--create']),
      await runSinkCli(['gateway', 'list', '--db', url]),
      await runSinkCli(['--db', url.replace('postgres://', 'postgresql://'), '--port', '0']),
    ];
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`there is no PostgreSQL database "no_such_db" on 127.0.0.1:${port}`);
      expect(run.stderr).not.toContain(passwordOf(url));
      expect(run.stderr).not.toMatch(/postgres(ql)?:\/\//);
      expect(run.stdout).toBe(''); // no token for a database nobody will read
    }
  });

  it('takes TLS to the database from the config: ssl require refuses a server without TLS', async () => {
    const url = await server.createDatabase();
    const config = path.join(dir, 'sink.json');
    writeFileSync(config, JSON.stringify({ postgres: { ssl: 'require' } }));
    const run = await runSinkCli(['gateway', 'list', '--db', url, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not support SSL/);
    writeFileSync(config, JSON.stringify({ postgres: { ssl: 'off', poolSize: 2 } }));
    expect((await runSinkCli(['gateway', 'list', '--db', url, '--config', config])).code).toBe(0);
  });

  it('serves on PostgreSQL; the password is in no log line, error, --help or /metrics', async () => {
    const url = await server.createDatabase();
    const password = passwordOf(url);
    const add = await runSinkCli(['gateway', 'add', 'bay-1', '--db', url]);
    expect(add.code).toBe(0);
    const token = add.stdout.trim();
    const logFile = path.join(dir, 'sink.log');
    const sink = await startCli(SINK_CLI, ['--db', url, '--port', '0', '--host', '127.0.0.1'], {
      readyMsg: 'listening',
      env: { DSP_OPERATOR_TOKEN: OPERATOR },
      logFile,
    });
    running.push(sink);
    const sinkUrl = String(sink.ready.url);
    const res = await fetch(`${sinkUrl}/transportDspMessages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
      body: encodeContainer(container('bay-1', [measure(1)])),
    });
    expect(res.status).toBe(200);

    // Make it log errors: PostgreSQL ends every connection of the sink (an administrator, a failover).
    const admin = new pg.Client(server.url('postgres'));
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        new URL(url).pathname.slice(1),
      ]);
    } finally {
      await admin.end();
    }
    await pollUntil(
      () => sink.logs,
      (logs) => logs.some((l) => l.level === 'warn' && l.msg === 'postgres connection lost'),
    );
    const metrics = await (
      await fetch(`${sinkUrl}/metrics`, { headers: { Authorization: `Bearer ${OPERATOR}` } })
    ).text();
    expect(metrics).toContain('dsp_sink_readings_stored_total 1');
    const help = await runSinkCli(['--help']);
    expect(help.stdout).toContain('postgres://');
    expect(await sink.stop()).toBe(0);

    const output = readFileSync(logFile, 'utf8');
    expect(output).toContain('"msg":"listening"');
    expect(output).toContain('postgres://dsp_test:***@');
    for (const text of [output, metrics, help.stdout, help.stderr, add.stderr]) expect(text).not.toContain(password);
  });

  it('answers 503 while PostgreSQL is stopped, says so in /healthz, and reconnects by itself: nothing lost or doubled', async () => {
    const url = await server.createDatabase();
    const token = (await runSinkCli(['gateway', 'add', 'bay-1', '--db', url])).stdout.trim();
    const logFile = path.join(dir, 'sink.log');
    const sink = await startCli(SINK_CLI, ['--db', url, '--port', '0', '--host', '127.0.0.1'], {
      readyMsg: 'listening',
      env: { DSP_OPERATOR_TOKEN: OPERATOR },
      logFile,
    });
    running.push(sink);
    const sinkUrl = String(sink.ready.url);
    const post = (c: ReturnType<typeof container>) =>
      fetch(`${sinkUrl}/transportDspMessages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
        body: encodeContainer(c),
      });
    const health = async () => {
      const res = await fetch(`${sinkUrl}/healthz`);
      return { status: res.status, body: (await res.json()) as { status: string } };
    };
    // 4 containers of 10 readings: sequences 1..40.
    const containers = [1, 11, 21, 31].map((first) => container('bay-1', [measure(first, undefined, 10)]));
    expect((await post(containers[0]!)).status).toBe(200);
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', pendingContainers: 0 } });

    await server.pause();
    try {
      expect(await health()).toEqual({ status: 503, body: { status: 'database_unreachable', pendingContainers: 0 } });
      const data = await fetch(`${sinkUrl}/api/gateways`, { headers: { Authorization: `Bearer ${OPERATOR}` } });
      expect([data.status, data.headers.get('retry-after')]).toEqual([503, '5']);
      for (const c of containers.slice(1)) {
        const res = await post(c);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
      }
    } finally {
      await server.resume();
    }
    await pollUntil(health, (h) => h.status === 200);
    // The agent resends what was not acknowledged, and (to show dedupe) the first container once more.
    for (const c of [...containers.slice(1), containers[0]!]) expect((await post(c)).status).toBe(200);

    const auth = { headers: { Authorization: `Bearer ${OPERATOR}` } };
    const readings = (await (await fetch(`${sinkUrl}/api/readings?gateway=bay-1`, auth)).json()) as Array<{
      sequence: number;
    }>;
    expect(readings.map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const { gateways } = (await (await fetch(`${sinkUrl}/api/gateways`, auth)).json()) as {
      gateways: Array<{ acknowledgeUntil: number; readingsStored: number }>;
    };
    expect(gateways[0]).toMatchObject({ acknowledgeUntil: 40, readingsStored: 40 });
    const metrics = await (await fetch(`${sinkUrl}/metrics`, auth)).text();
    expect(await sink.stop()).toBe(0);
    const output = readFileSync(logFile, 'utf8');
    expect(output).toContain('"msg":"postgres connection lost"');
    for (const text of [output, metrics]) expect(text).not.toContain(passwordOf(url));
  });
});
