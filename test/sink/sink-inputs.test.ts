// The real dsp-sink process refusing bad settings at start (exit 2, the field named, what was expected and
// what was given), database locations it does not support, and a --db typo in the gateway commands; and the
// modes of the files it creates.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { container, measure } from './containers.js';
import { runSinkCli, spawnSink, type SinkProcess } from '../../lab/sink-process.js';
import { encodeContainer } from '../../protocol/index.js';

let dir: string;
let db: string;
const running: SinkProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sink-inputs-'));
  db = path.join(dir, 'data', 'sink.db');
});
afterEach(async () => {
  for (const sink of running.splice(0)) {
    sink.process.kill('SIGKILL');
    await sink.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Starts dsp-sink with `settings` as its config file; a config it accepts fails on the bad --port instead. */
async function startWith(settings: unknown): Promise<{ code: number; stderr: string }> {
  const file = path.join(dir, 'sink.json');
  writeFileSync(file, JSON.stringify(settings));
  return runSinkCli(['--db', db, '--port', 'not-a-port', '--config', file]);
}

describe('dsp-sink config file', () => {
  it.each([
    [{ openDataApi: 'false' }, /openDataApi: expected true or false.*, got "false"/],
    [{ retryAfterS: -3 }, /retryAfterS: expected an integer 1-3600, got -3/],
    [{ maxCommandsPerResponse: 'ten' }, /maxCommandsPerResponse: expected an integer 1-1000, got "ten"/],
    [{ commandTtlS: -5 }, /commandTtlS: expected an integer 1-31622400, got -5/],
    [{ operatorToken: 1234567890123456 }, /operatorToken: expected a string of 16-512 characters.*, got a number/],
    [{ limits: { maxSseClient: 5 } }, /limits\.maxSseClient: expected one of .*maxSseClients.* \(unknown key\)/],
    [{ limits: { maxBodyByte: 5 } }, /limits\.maxBodyByte: expected one of maxBodyBytes, .* \(unknown key\)/],
    [{ opendataapi: true }, /opendataapi: expected one of .*openDataApi.* \(unknown key\)/],
    [{ limits: 5 }, /limits: expected Object, got 5/],
    [{ postgres: { ssl: 'on' } }, /postgres\.ssl: expected one of off, require, verify-full, got "on"/],
    [{ postgres: { poolSize: 0 } }, /postgres\.poolSize: expected an integer 1-1000, got 0/],
    [{ postgres: { pool: 5 } }, /postgres\.pool: expected one of poolSize, .*caFile \(unknown key\)/],
    [{ db: 'mysql://u:hunter2@h/db' }, /db: expected a path to a SQLite file or a postgres:\/\/ URL .*, got a string/],
  ])('refuses %j with exit 2, naming the field', async (settings, message) => {
    const { code, stderr } = await startWith(settings);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/--port/); // refused for the setting, not for the bad port after it
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(stderr).not.toContain('hunter2'); // a database URL is never repeated
  });

  it('never repeats a secret it refuses', async () => {
    const { code, stderr } = await startWith({ operatorToken: 'short secret!' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/operatorToken: expected a string of 16-512 characters/);
    expect(stderr).not.toContain('short secret');
  });

  it('lists every bad field at once', async () => {
    const { stderr } = await startWith({ retryAfterS: 0, logLevel: 'loud', legacy: { '10.0.0.1': 'bad id!' } });
    expect(stderr).toMatch(/retryAfterS: /);
    expect(stderr).toMatch(/logLevel: expected one of debug, info, warn, error, got "loud"/);
    expect(stderr).toMatch(/legacy\.10\.0\.0\.1: expected a gateway id/);
  });
});

describe('dsp-sink --db', () => {
  it.each(['mysql://dsp:secret@h/dsp', 'sqlite:///x.db', 'file:sink.db'])(
    'refuses the database URL %s with exit 2 and creates nothing',
    async (url) => {
      const scheme = url.slice(0, url.indexOf(':'));
      const serve = await runSinkCli(['--db', url, '--port', '0'], {}, dir);
      const list = await runSinkCli(['gateway', 'list', '--db', url, '--create'], {}, dir);
      for (const run of [serve, list]) {
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(
          `expected a path to a SQLite file or a postgres:// URL (database URLs such as ${scheme}: are not supported)`,
        );
        expect(run.stderr).not.toContain('secret');
      }
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('gateway commands refuse a database that does not exist unless --create is given', async () => {
    for (const args of [['add', 'bay-1'], ['list'], ['revoke', 'bay-1']]) {
      const run = await runSinkCli(['gateway', ...args, '--db', db]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('add --create to make a new one');
      expect(run.stdout).toBe(''); // no token for a database nobody will read
    }
    expect(existsSync(path.dirname(db))).toBe(false);
    const add = await runSinkCli(['gateway', 'add', 'bay-1', '--db', db, '--create']);
    expect(add.code).toBe(0);
    // The file exists now: no --create needed.
    expect((await runSinkCli(['gateway', 'list', '--db', db])).stdout).toMatch(/^bay-1\tactive/);
  });
});

describe('dsp-sink files', () => {
  it('creates its data directory 0700 and the database, -wal and -shm files 0600', async () => {
    const token = (await runSinkCli(['gateway', 'add', 'gw1', '--db', db, '--create'])).stdout.trim();
    const sink = await spawnSink(db, [], { DSP_OPERATOR_TOKEN: 'operator-token-for-input-tests' });
    running.push(sink);
    const res = await fetch(`${sink.url}/transportDspMessages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
      body: encodeContainer(container('gw1', [measure(1)])),
    });
    expect(res.status).toBe(200);
    const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);
    expect(mode(path.dirname(db))).toBe('700');
    expect(readdirSync(path.dirname(db)).sort()).toEqual(['sink.db', 'sink.db-shm', 'sink.db-wal']);
    for (const file of ['sink.db', 'sink.db-shm', 'sink.db-wal']) {
      expect([file, mode(path.join(path.dirname(db), file))]).toEqual([file, '600']);
    }
  });
});
