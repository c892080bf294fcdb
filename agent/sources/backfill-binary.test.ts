// The backfill with `sonde.upload_format = "binary"` over a real serial line (a pty cable, the simulated sonde
// pacing its UART at 9600 baud): the window's readings arrive as the sonde's PC6000 file over Kermit, are
// queued once, flagged backfilled, the readings the agent already had (streamed live) are not queued again,
// and repeating the backfill of the window queues nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { until } from '../../lab/poll.js';
import { PtyCable } from '../../lab/pty-cable.js';
import { runSimulatorOnDevice } from '../../drivers/simulator/serial-host.js';
import { SondeDriver } from '../../drivers/sonde-driver.js';
import type { SondeReading } from '../../protocol/model.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { Backfill, readingKey } from './backfill.js';
import { BACKFILL_MARK_FILE, BackfillMarkFile } from './backfill-mark.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('binary backfill over a pty', () => {
  it('fills a window from the PC6000 file sent over Kermit; repeating it adds nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'backfill-binary-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { logger, lines } = memoryLogger();
    const cable = await PtyCable.plug(dir);
    cleanup.unshift(() => cable.close());
    const sonde = runSimulatorOnDevice(
      cable.sondePath,
      { intervalS: 1, seed: 3, logging: true, stabilizeS: 0 },
      logger,
    );
    cleanup.unshift(() => sonde.close());
    const sim = sonde.simulator;
    const driver = new SondeDriver({
      path: cable.gatewayPath,
      intervalS: 1,
      logToMemory: true,
      uploadFormat: 'binary',
      commandTimeoutMs: 1000,
      logger,
    });
    cleanup.unshift(() => driver.stop());
    const queued: SondeReading[] = [];
    const backfill = new Backfill({
      readLog: (from, to) => driver.readLog(from, to),
      queue: async (readings) => void queued.push(...readings),
      mark: new BackfillMarkFile(path.join(dir, BACKFILL_MARK_FILE), logger),
      metrics: new AgentMetrics(),
      logger,
    });
    // What the agent received live is known to the backfill (as SondeSource notes every reading it queues).
    const live: SondeReading[] = [];
    driver.on('reading', (r) => {
      live.push(r);
      backfill.note(r);
    });
    await driver.start();
    await until(() => live.length >= 2, 30_000, 'rows streaming');
    // Half an hour at 1 minute that the sonde logged while no gateway listened, an hour ago.
    const now = Date.now();
    const missed = sim.logHistory(now - 3_600_000, now - 1_800_000, 60);
    sim.memory.rows.sort((a, b) => a.seconds - b.seconds);
    const second = (t: number) => Math.floor(t / 1000) * 1000;
    const from = second(missed[0]!.emittedAt);
    const to = Date.now();

    const first = await backfill.fill(from, to);
    // Exactly the rows the gateway missed: the live ones in the window were known already.
    const expected = missed.map((m) => readingKey({ sampledAt: second(m.emittedAt), values: m.values }));
    expect(queued.map(readingKey)).toEqual(expected);
    expect(queued.every((r) => r.flags?.includes('backfilled'))).toBe(true);
    expect(first.read).toBeGreaterThan(missed.length); // the window also holds rows that streamed live
    expect(first.queued).toBe(missed.length);
    expect(lines().some((l) => l.msg === 'sonde file received by Kermit')).toBe(true);

    const again = await backfill.fill(from, Date.now());
    expect(again.queued).toBe(0);
    expect(again.read).toBeGreaterThanOrEqual(first.read);
    expect(queued).toHaveLength(missed.length);
  }, 90_000);
});
