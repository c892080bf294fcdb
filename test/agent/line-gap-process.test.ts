// Attack 10 (issue 10): the agent frozen (SIGSTOP) while the sonde keeps printing. A real serial port
// overruns while no one reads it: the rows are gone. The agent must tell the sink, from the sonde's own
// clock jumping, how many readings were lost and when. The line here is two ptys joined by this test; while
// the agent is stopped the join drops what the sonde prints, as a UART with nobody reading does.
//
// Real processes: the simulated sonde (`dsp-sonde sim`, its record is the oracle), the agent, the sink.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSondeDate, parseSondeTime, wallClockToUtc } from '../../drivers/sonde-time.js';
import type { GapReport, SondeReading } from '../../protocol/model.js';
import { startAgent, writeAgentConfig } from '../../lab/agent-process.js';
import { TestSink } from '../support/agent/test-sink.js';
import { pollUntil } from '../../lab/poll.js';
import { PtyCable } from '../../lab/pty-cable.js';
import { startSondeProcess } from '../../lab/sonde-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'line-gap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The simulated sonde's printed time (m/d/y, UTC by default) as epoch ms. */
function sampledAt(sondeTime: string): number {
  const [date, time] = sondeTime.split(' ');
  return wallClockToUtc({ ...parseSondeDate(date!, 'mdy')!, ...parseSondeTime(time!)! }, 'UTC');
}

function readingsAtSink(sink: TestSink): SondeReading[] {
  return [...sink.readings.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
}
function lineGaps(sink: TestSink): GapReport[] {
  return [...sink.messages.values()].flatMap((m) => (m.body.type === 'GapReport' ? [m.body.gap] : []));
}

describe('the agent frozen while the sonde prints', () => {
  it('reports the rows the line dropped as a line gap matching the sonde record', async () => {
    const line = await PtyCable.plug(dir);
    const sonde = startSondeProcess({
      port: line.sondePath,
      recordFile: path.join(dir, 'record.jsonl'),
      intervalS: 1,
      seed: 7,
    });
    const sink = await TestSink.start('tok', 'gw-freeze');
    const config = path.join(dir, 'agent.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'data'),
      sinkUrl: sink.url,
      gatewayId: 'gw-freeze',
      token: 'tok',
      sections: { sonde: { simulate: false, port: line.gatewayPath, interval_s: 1 } },
    });
    const agent = await startAgent(config);
    try {
      await pollUntil(
        async () => sink.readings.size,
        (n) => n >= 3,
        20_000,
      );
      agent.child.kill('SIGSTOP');
      line.cut = true;
      const printedBefore = sonde.emitted().length;
      await pollUntil(
        async () => sonde.emitted().length,
        (n) => n >= printedBefore + 6,
        15_000,
      );
      line.cut = false;
      agent.child.kill('SIGCONT');
      await pollUntil(
        async () => lineGaps(sink).length,
        (n) => n > 0,
        15_000,
      );
      // A few rows after it, so that what was received on both sides of the gap is known.
      const seen = sink.readings.size;
      await pollUntil(
        async () => sink.readings.size,
        (n) => n >= seen + 2,
        15_000,
      );
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
      await sonde.stop();
      await sink.close();
      await line.close();
    }

    const received = new Set(readingsAtSink(sink).map((r) => r.raw));
    const printed = sonde.emitted();
    const firstMissing = printed.findIndex(
      (row, i) => i > 0 && !received.has(row.raw) && received.has(printed[i - 1]!.raw),
    );
    const lost = printed.slice(firstMissing).findIndex((row) => received.has(row.raw));
    expect(firstMissing).toBeGreaterThan(0);
    expect(lost).toBeGreaterThanOrEqual(6);
    const gaps = lineGaps(sink);
    expect(gaps).toHaveLength(1);
    // The sonde prints whole seconds: at a 1 s interval the count is known to within one reading.
    expect(Math.abs(gaps[0]!.readings - lost)).toBeLessThanOrEqual(1);
    expect(gaps[0]).toMatchObject({ reason: 'line', fromSequence: 0, toSequence: 0 });
    const first = sampledAt(printed[firstMissing]!.sondeTime);
    const last = sampledAt(printed[firstMissing + lost - 1]!.sondeTime);
    expect(Math.abs(gaps[0]!.firstSampledAt! - first)).toBeLessThanOrEqual(1000);
    expect(Math.abs(gaps[0]!.lastSampledAt! - last)).toBeLessThanOrEqual(1000);
  });
});
