// What the backfill remembers having queued is bounded (MAX_KNOWN readings): once full, the oldest seconds
// go in one step and become the floor (read back, they count as known), the recent ones stay known, and a
// full memory costs no pass over every second per reading (issue 17).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

describe('the readings the backfill knows', () => {
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
