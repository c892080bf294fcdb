// End to end over real processes: simulated sonde on a pty cable, dsp-agent on the other end through the
// real serialport binding, the fault proxy, dsp-sink with its SQLite file (the steady state also on PostgreSQL). Each scenario ends with the
// oracle check (lab/oracle.ts): every row the sonde printed is at the sink exactly once, in
// order, values intact, or reported lost in a GapReport exactly where it is missing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OracleReport } from '../../lab/oracle.js';
import { pollUntil } from '../../lab/poll.js';
import { systemPerTest } from '../support/e2e/system-per-test.js';
import { STORE_BACKENDS } from '../support/store-backends.js';

const start = systemPerTest({ samplingS: 0.25 });

function expectClean(report: OracleReport & { agentExitCode: number | null }, minStored: number): void {
  expect(report.problems).toEqual([]);
  expect(report.agentExitCode).toBe(0);
  expect(report.stored).toBeGreaterThanOrEqual(minStored);
  expect(report.reportedLost).toBe(0);
}

describe.each(STORE_BACKENDS)('end to end on $name', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('steady state: every printed row is stored once, in order, values intact (garbage lines on the wire)', async () => {
    const s = await start({ sondeFaults: 'garbage=0.05', db: (await backend.fresh()).location });
    await s.untilStored(20);
    const report = await s.finish();
    expectClean(report, 20);
    expect(report.stored).toBe(report.mustArrive);
  }, 60_000);
});

describe('end to end: link faults', () => {
  it('rows still on the serial line when the sonde stops are stored before the check (finish waits for them)', async () => {
    const s = await start();
    await s.untilStored(4);
    s.link.hold();
    await s.untilEmitted(s.sonde.emitted().length + 2);
    const finishing = s.finish();
    // The sonde has stopped and the agent, which has not seen the held rows, is drained (or already stopped).
    await pollUntil(
      async () =>
        (s.sonde.child.exitCode !== null || s.sonde.child.signalCode !== null) && (await s.drained().catch(() => true)),
      (ready) => ready,
      20_000,
      20,
    );
    const held = s.link.heldBytes;
    s.link.release();
    const report = await finishing;
    expect(held).toBeGreaterThan(0);
    expectClean(report, 6);
    expect(report.stored).toBe(report.mustArrive);
  }, 60_000);

  it('link outage of several upload intervals: nothing arrives meanwhile, then the backlog drains', async () => {
    const s = await start();
    await s.untilStored(4);
    s.proxy.set({ refuse: true });
    // Two refused attempts: the upload that was on its way when the link went down has ended.
    await pollUntil(
      () => s.proxy.stats.refused,
      (n) => n >= 2,
      10_000,
      20,
    );
    const during = await s.stored();
    await s.untilEmitted(s.sonde.emitted().length + 16); // 4 s of rows
    expect(await s.stored()).toBe(during);
    expect(s.proxy.stats.refused).toBeGreaterThan(0);
    s.proxy.heal();
    await s.untilStored(during + 16); // the 4 s backlog
    expectClean(await s.finish(), during + 16);
  }, 60_000);

  it('sink answering 503 and then 500 for a while: retried with the same sequences, nothing lost or doubled', async () => {
    const s = await start();
    await s.untilStored(4);
    s.proxy.set({ respondWith: 503 });
    await pollUntil(
      () => s.proxy.stats.answered,
      (n) => n >= 2,
      10_000,
      20,
    );
    await s.untilEmitted(s.sonde.emitted().length + 8);
    s.proxy.set({ respondWith: 500 });
    await pollUntil(
      () => s.proxy.stats.answered,
      (n) => n >= 4,
      10_000,
      20,
    );
    await s.untilEmitted(s.sonde.emitted().length + 8);
    s.proxy.heal();
    expectClean(await s.finish(), 20);
  }, 60_000);

  it('slow link (2 kB/s, 150 ms latency): readings keep arriving, late but complete', async () => {
    const s = await start();
    await s.untilStored(4);
    s.proxy.set({ bytesPerSecond: 2000, delayMs: 150 });
    s.proxy.disconnectAll();
    const before = await s.stored();
    await s.untilStored(before + 12, 15_000);
    s.proxy.heal();
    expectClean(await s.finish(), before + 12);
  }, 60_000);

  it('queue overflow during an outage: the oldest readings are dropped and reported as a gap exactly where they are missing', async () => {
    const s = await start({ agentConfig: { queue: { max_messages: 10 } } });
    await s.untilStored(4);
    s.proxy.set({ refuse: true });
    await s.untilEmitted(s.sonde.emitted().length + 24); // 24 rows into a queue of 10
    s.proxy.heal();
    const report = await s.finish();
    expect(report.problems).toEqual([]);
    expect(report.agentExitCode).toBe(0);
    expect(report.reportedLost).toBeGreaterThanOrEqual(8);
    expect(report.stored + report.reportedLost).toBe(report.mustArrive);
    const { gaps } = await s.api<{ gaps: Array<{ kind: string; reason?: string }> }>(`/api/gateways/${s.gateway}/gaps`);
    expect(gaps.filter((g) => g.kind === 'reported').length).toBeGreaterThan(0);
  }, 60_000);

  it('a remote Update of SAMPLING_FREQUENCY round-trips through the sink while the link flaps', async () => {
    const s = await start();
    await s.untilStored(4);
    const command = await s.api<{ id: string }>(`/api/gateways/${s.gateway}/commands`, {
      method: 'POST',
      body: { kind: 'update', properties: { SAMPLING_FREQUENCY: 0.5 } },
    });
    let down = false;
    const flapping = setInterval(() => s.proxy.set({ refuse: (down = !down) }), 700);
    try {
      await pollUntil(
        () =>
          s.api<{ commands: Array<{ id: string; state: string; result?: Record<string, string> }> }>(
            `/api/gateways/${s.gateway}/commands`,
          ),
        (l) => l.commands.some((c) => c.id === command.id && c.state === 'succeeded'),
        30_000,
        200,
      );
    } finally {
      clearInterval(flapping);
      s.proxy.heal();
    }
    expect((await s.agentStatus()).sonde.intervalS).toBe(0.5);
    const { commands } = await s.api<{ commands: Array<{ id: string; result?: Record<string, string> }> }>(
      `/api/gateways/${s.gateway}/commands`,
    );
    expect(commands.find((c) => c.id === command.id)?.result).toMatchObject({
      RESULT: 'applied',
      SAMPLING_FREQUENCY: '0.5',
    });
    await s.untilEmitted(s.sonde.emitted().length + 5); // rows at the new interval for the check below
    const report = await s.finish();
    expectClean(report, 10);
    // The sonde itself now prints every 0.5 s (the oracle's timestamps).
    const last = s.sonde.emitted().slice(-4);
    for (let i = 1; i < last.length; i++) expect(last[i]!.emittedAt - last[i - 1]!.emittedAt).toBeGreaterThan(400);
  }, 60_000);
});
