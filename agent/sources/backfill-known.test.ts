// What the backfill remembers having queued is bounded (MAX_KNOWN readings): once full, the oldest seconds
// go in one step and become the floor (read back, they count as known), the recent ones stay known, and a
// full memory costs no pass over every second per reading (issue 17).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import type { SondeReading } from '../../protocol/model.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { Backfill } from './backfill.js';
import { BACKFILL_MARK_FILE, BackfillMarkFile } from './backfill-mark.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 1);
const at = (i: number, value = i): SondeReading => ({
  sondeTime: new Date(T0 + i * 1000).toISOString(),
  sampledAt: T0 + i * 1000,
  values: { temp_c: value },
});

function backfillIn(dir: string, readLog: () => SondeReading[], queued: SondeReading[]): Backfill {
  const { logger } = memoryLogger();
  return new Backfill({
    readLog: () => Promise.resolve({ readings: readLog(), rejected: 0, bytes: 0, uploadMs: 0, pausedMs: 0 }),
    queue: async (readings) => {
      queued.push(...readings);
    },
    mark: new BackfillMarkFile(path.join(dir, BACKFILL_MARK_FILE), logger),
    metrics: new AgentMetrics(),
    logger,
  });
}

/** A reading with a real sonde's twelve values (its key is some 170 characters). */
const sondeReading = (i: number): SondeReading => ({
  sondeTime: new Date(T0 + i * 1000).toISOString(),
  sampledAt: T0 + i * 1000,
  values: {
    Temp: 14.7 + (i % 100) / 100,
    SpCond: 43532 + i,
    Cond: 34970,
    Sal: 27.86,
    Press: 3.018,
    Depth: 2.122,
    pH: 7.9,
    phmV: -53.1,
    ODOSat: 94.3,
    ODOConc: 8.11,
    Turbid: 6.9,
    Battery: 12.1,
  },
});

describe('the readings the backfill knows', () => {
  it("a full memory (MAX_KNOWN readings, 55 hours at 1 Hz) holds about 13 MiB, not the 43 of the readings' keys", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'backfill-known-'));
    dirs.push(dir);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    let log: SondeReading[] = [];
    const queued: SondeReading[] = [];
    const backfill = backfillIn(dir, () => log, queued);
    gc();
    const before = process.memoryUsage().heapUsed;
    const n = 200_000;
    for (let i = 0; i < n; i++) backfill.note(sondeReading(i));
    gc();
    const grown = (process.memoryUsage().heapUsed - before) / 1024 ** 2;
    // Fingerprints: 13.4 MiB measured (the Map's entries and boxed numbers); the keys themselves: 43.5 MiB.
    expect(grown).toBeLessThan(20);
    // Still what it knows: a reading seen is known, the same second with other values is not.
    log = [sondeReading(n - 1), { ...sondeReading(n - 1), values: { ...sondeReading(n - 1).values, Temp: -1 } }];
    await backfill.fill(T0 + (n - 1) * 1000, T0 + n * 1000);
    expect(queued.map((r) => r.values.Temp)).toEqual([-1]);
  });

  it('past MAX_KNOWN the oldest seconds are forgotten at once: older than the floor and recent both count as known', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'backfill-known-'));
    dirs.push(dir);
    const { logger } = memoryLogger();
    let log: SondeReading[] = [];
    const queued: SondeReading[] = [];
    const backfill = new Backfill({
      readLog: () => Promise.resolve({ readings: log, rejected: 0, bytes: 0, uploadMs: 0, pausedMs: 0 }),
      queue: async (readings) => {
        queued.push(...readings);
      },
      mark: new BackfillMarkFile(path.join(dir, BACKFILL_MARK_FILE), logger),
      metrics: new AgentMetrics(),
      logger,
    });
    const n = 250_000; // past MAX_KNOWN (200,000)
    const started = performance.now();
    for (let i = 0; i < n; i++) backfill.note(at(i));
    // A pass over every known second per reading once full took minutes (or overflowed the stack).
    expect(performance.now() - started).toBeLessThan(20_000);

    log = [at(0), at(n - 1), at(n - 1, -1), at(n - 2, -2)];
    const outcome = await backfill.fill(T0, T0 + n * 1000);
    // at(0) is below the floor and at(n - 1) is known: only the two readings never seen are queued.
    expect(queued.map((r) => r.values.temp_c)).toEqual([-1, -2]);
    expect(outcome.queued).toBe(2);
  });
});
