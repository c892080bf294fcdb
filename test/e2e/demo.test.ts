// `npm start`'s demo as a user runs it (the compiled entry start.mjs imports): readings flow to the sink,
// Ctrl-C (SIGINT) stops everything cleanly, and a second start continues with the same gateway and data.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../lab/poll.js';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/scripts/demo.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface DemoRun {
  output: () => string;
  sinkUrl: string;
  operatorToken: string;
  interrupt: () => Promise<number | null>;
}

async function startDemo(): Promise<DemoRun> {
  const child = spawn(process.execPath, [DEMO], {
    env: { ...process.env, PORT: '0', DSP_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await pollUntil(
    async () => /operator token (\S+)/.test(out) || child.exitCode !== null,
    (ok) => ok,
    20_000,
  );
  const sinkUrl = /sink API\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
  const operatorToken = /operator token (\S+)/.exec(out)?.[1];
  if (!sinkUrl || !operatorToken) throw new Error(`the demo did not start:\n${out}`);
  return {
    output: () => out,
    sinkUrl,
    operatorToken,
    interrupt: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

async function api<T>(demo: DemoRun, route: string): Promise<T> {
  const res = await fetch(`${demo.sinkUrl}${route}`, { headers: { authorization: `Bearer ${demo.operatorToken}` } });
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

const readings = (demo: DemoRun) =>
  api<Array<{ sequence: number; raw: string }>>(demo, '/api/readings?gateway=demo&limit=100000');

describe('npm start (the demo)', () => {
  it('shows readings flowing, stops on Ctrl-C and continues with the same data', async () => {
    const first = await startDemo();
    const before = await pollUntil(
      () => readings(first),
      (r) => r.length >= 3,
      20_000,
    );
    await pollUntil(
      async () => first.output(),
      (o) => /upload: \+\d+ readings, \d+ stored/.test(o),
      15_000,
    );
    expect(await first.interrupt()).toBe(0);
    expect(first.output()).toMatch(/stopped\n/);
    const token = readFileSync(path.join(dataDir, 'demo.token'), 'utf8');

    const second = await startDemo();
    expect(second.operatorToken).toBe(first.operatorToken); // kept in the data directory
    const after = await pollUntil(
      () => readings(second),
      (r) => r.length >= before.length + 3,
      20_000,
    );
    const { gateways } = await api<{ gateways: Array<{ id: string; readingsStored: number }> }>(
      second,
      '/api/gateways',
    );
    expect(await second.interrupt()).toBe(0);

    // Same gateway (registered once, same token), the first run's readings still there, none twice.
    expect(readFileSync(path.join(dataDir, 'demo.token'), 'utf8')).toBe(token);
    expect(gateways.map((g) => g.id)).toEqual(['demo']);
    const sequences = after.map((r) => r.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(new Set(after.map((r) => r.raw)).size).toBe(after.length);
    for (const r of before) expect(sequences).toContain(r.sequence);
    expect(Math.max(...sequences)).toBeGreaterThan(Math.max(...before.map((r) => r.sequence)));
  }, 90_000);
});
