// Sink ingest throughput: readings durably stored per second when 1, 100 and 1,000 gateways post gzip'd
// containers of 60 readings at once to a real dsp-sink process, against a bare better-sqlite3 insert loop
// of the same rows (same schema, WAL, synchronous=FULL, one transaction per container: the durability
// every acknowledgement needs) measured in the same run. Also the p99 request latency at 1,000 gateways,
// against the time the bare loop needs to store one container from each of those gateways (the wait a
// request would see if the sink were nothing but SQLite).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { decodeContainer, encodeContainer } from '../protocol/index.js';
import type { SondeReading } from '../protocol/model.js';
import { openSchema } from '../sink/store/sqlite-schema.js';
import { SqliteStore } from '../sink/store/sqlite.js';
import { generateToken, hashToken } from '../sink/tokens.js';
import { makeFigure, type BenchOptions, type Figure } from './figure.js';
import { measureContainer, sondeSample } from './sonde-sample.js';

interface Level {
  gateways: number;
  /** Containers each gateway posts, one after the other. */
  containers: number;
}

interface LevelResult {
  readings: number;
  readingsPerS: number;
  p99Ms: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Compiled CLI: next to this file when it runs from dist/bench, in dist/ when it runs as TypeScript. */
const SINK_CLI = existsSync(path.join(HERE, '../sink/cli.js')) ? path.join(HERE, '../sink/cli.js') : path.join(HERE, '../dist/sink/cli.js');

export async function run(options: BenchOptions): Promise<Figure[]> {
  const perContainer = options.quick ? 10 : 60;
  const levels: Level[] = options.quick
    ? [{ gateways: 1, containers: 2 }, { gateways: 3, containers: 1 }, { gateways: 5, containers: 1 }]
    : [{ gateways: 1, containers: 100 }, { gateways: 100, containers: 10 }, { gateways: 1000, containers: 3 }];
  const sample = sondeSample(perContainer);
  const template = containerTemplate(sample.readings);

  const figures: Figure[] = [];
  const [one, hundred, thousand] = levels;
  const names = ['sink_ingest_1_gateway', 'sink_ingest_100_gateways', 'sink_ingest_1000_gateways'];
  let latency: { p99Ms: number; roundMs: number } | undefined;
  for (const [i, level] of [one!, hundred!, thousand!].entries()) {
    const result = await measureSink(level, template, perContainer);
    const bare = bareInsertLoop(sample.readings, level.gateways * level.containers, level.gateways);
    figures.push(
      makeFigure({
        name: names[i]!,
        value: result.readingsPerS,
        unit: 'readings/s',
        baseline: bare.readingsPerS,
        baselineName: 'bare better-sqlite3 insert loop, same rows, one fsync per 60-row container',
        // Per reading the sink also inflates, parses XML, and writes a dedupe row besides the reading row:
        // about four times the bare loop's work. One gateway is bound by round trips: no target.
        target: i === 0 ? { none: true } : { ratioAtLeast: 0.25 },
      }),
    );
    if (i === 2) latency = { p99Ms: result.p99Ms, roundMs: bare.roundMs };
  }
  figures.push(
    makeFigure({
      name: 'sink_p99_latency_ms',
      value: latency!.p99Ms,
      unit: 'ms',
      baseline: latency!.roundMs,
      baselineName: 'bare insert loop storing one container from each of the 1,000 gateways',
      // A container that arrives with 999 others waits for them: one round at the sink's speed (>= 1/4 bare).
      target: { ratioAtMost: 4 },
    }),
  );
  return figures;
}

/** The encoded container with placeholders, so thousands of distinct containers cost no encoding time. */
function containerTemplate(readings: SondeReading[]): string {
  // As the agent sends them: the 60 readings coalesced into one MeasureMessage (docs/protocol.md §5.1).
  const c = measureContainer(readings, 1, readings.length);
  c.id = 'CONTAINER-ID';
  c.gatewayId = 'GATEWAY-ID';
  c.messages.forEach((m, i) => (m.messageId = `MSG-${i}`));
  return encodeContainer(c);
}

function containerFor(template: string, gateway: string, index: number, perContainer: number): string {
  return template
    .replace('uudi="CONTAINER-ID"', `uudi="${randomUUID()}"`)
    .replace('gatewayId="GATEWAY-ID"', `gatewayId="${gateway}"`)
    .replace(' sequence="1"', ` sequence="${index * perContainer + 1}"`)
    .replaceAll('messageID="MSG-', `messageID="${gateway}-${index}-`);
}

async function measureSink(level: Level, template: string, perContainer: number): Promise<LevelResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sink-'));
  const db = path.join(dir, 'sink.db');
  const gateways = await createGateways(db, level.gateways);
  const bodies = gateways.map(({ id }) =>
    Array.from({ length: level.containers }, (_, k) => gzipSync(containerFor(template, id, k, perContainer))),
  );
  // The placeholders must have turned into a valid, distinct container.
  const check = decodeContainer(containerFor(template, 'check', 2, perContainer));
  if (check.messages[0]?.sequence !== 2 * perContainer + 1 || check.messages[0].messageId !== 'check-2-0') {
    throw new Error('bench container template did not substitute');
  }

  const sink = await startSinkProcess(db);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const latencies: number[] = [];
  try {
    const started = performance.now();
    await Promise.all(
      gateways.map(async ({ token }, g) => {
        for (const body of bodies[g]!) latencies.push(await postUntilStored(sink.url, token, body, agent));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const readings = level.gateways * level.containers * perContainer;
    latencies.sort((a, b) => a - b);
    return {
      readings,
      readingsPerS: readings / seconds,
      p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!,
    };
  } finally {
    agent.destroy();
    sink.process.kill('SIGTERM');
    await new Promise((resolve) => sink.process.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createGateways(db: string, count: number): Promise<Array<{ id: string; token: string }>> {
  const store = new SqliteStore(db);
  const gateways = Array.from({ length: count }, (_, i) => ({ id: `gw-${String(i).padStart(4, '0')}`, token: generateToken() }));
  for (const g of gateways) await store.addGateway(g.id, hashToken(g.token), Date.now());
  await store.close();
  return gateways;
}

/** One request's latency in ms; a 503 waits Retry-After and counts the wait, as the agent would. */
async function postUntilStored(url: string, token: string, body: Buffer, agent: Agent): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { status, retryAfterS } = await post(url, token, body, agent);
    if (status === 200) return performance.now() - started;
    if (status !== 503) throw new Error(`sink answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, retryAfterS * 1000));
  }
}

function post(url: string, token: string, body: Buffer, agent: Agent): Promise<{ status: number; retryAfterS: number }> {
  const target = new URL('/transportDspMessages', url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/xml',
          'Content-Encoding': 'gzip',
          'Content-Length': body.length,
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, retryAfterS: Number(res.headers['retry-after'] ?? 1) }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

async function startSinkProcess(db: string): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [SINK_CLI, '--db', db, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DSP_OPERATOR_TOKEN: 'bench-operator-token-0123456789' },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`dsp-sink exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening') resolve({ process: child, url: entry.url! });
    });
  });
}

/**
 * The baseline: the same readings inserted with better-sqlite3 straight into the sink's schema, one
 * transaction (one fsync) per container. Returns readings/s and the time for `round` containers.
 */
function bareInsertLoop(readings: SondeReading[], containers: number, round: number): { readingsPerS: number; roundMs: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bare-'));
  const db = new Database(path.join(dir, 'bare.db'));
  try {
    openSchema(db);
    const insert = db.prepare(
      `INSERT INTO readings (gateway, message_id, producer, sequence, time_ms, sampled_at, sonde_time, received_at, data, flags, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    const rows = readings.map((r) => [JSON.stringify({ values: r.values, units: r.units }), r] as const);
    const storeContainer = db.transaction((k: number) => {
      rows.forEach(([data, r], i) => {
        const sequence = k * rows.length + i + 1;
        insert.run('gw-bare', `bare-${sequence}`, 'SondeProducer', sequence, r.sampledAt, r.sampledAt, r.sondeTime, Date.now(), data, r.raw);
      });
    });
    const started = performance.now();
    let roundMs = 0;
    for (let k = 0; k < containers; k++) {
      storeContainer(k);
      if (k === round - 1) roundMs = performance.now() - started;
    }
    const seconds = (performance.now() - started) / 1000;
    return { readingsPerS: (containers * rows.length) / seconds, roundMs };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
