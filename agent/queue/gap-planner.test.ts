import { describe, expect, it } from 'vitest';
import type { DspMessage } from '../../protocol/model.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { addGap, addRange, gapOf, gapsOfRows, missingRuns, planDrops, subtractRanges } from './gap-planner.js';
import type { Row } from './queue-entries.js';

function row(seq: number, kind: 'reading' | 'gap' = 'reading'): Row {
  const m = readingMessage(seq);
  const message = {
    ...m,
    sequence: seq,
    messageId: `sink-${seq}`,
    ...(kind === 'gap' ? { body: { type: 'GapReport', gap: gapOf(1, 1, { readings: 1 }, 'overflow') } } : {}),
  } as DspMessage;
  return { seq, key: `m:${seq}`, bytes: 10, message, enqueuedAt: 0 };
}

async function* rows(list: Row[]): AsyncIterable<Row> {
  yield* list;
}

describe('gap planner (no store)', () => {
  it('drop_oldest takes queued readings first, never other messages, and leaves the fill within bounds', async () => {
    const fill = { count: 6, bytes: 60 };
    const older = [row(1, 'gap'), row(2), row(3)];
    const incoming = [row(4), row(5), row(6)];
    const dropped = await planDrops(fill, { maxMessages: 4, maxBytes: 1e9, overflow: 'drop_oldest' }, incoming, () =>
      rows(older),
    );
    expect(dropped.map((r) => r.seq)).toEqual([2, 3]);
    expect(fill).toEqual({ count: 4, bytes: 40 });
  });

  it('drop_newest takes the newest incoming readings; within bounds nothing is dropped', async () => {
    const limits = { maxMessages: 4, maxBytes: 1e9, overflow: 'drop_newest' as const };
    const fill = { count: 6, bytes: 60 };
    const dropped = await planDrops(fill, limits, [row(4), row(5), row(6)], () => rows([]));
    expect(dropped.map((r) => r.seq)).toEqual([5, 6]);
    expect(await planDrops({ count: 4, bytes: 40 }, limits, [row(4)], () => rows([]))).toEqual([]);
  });

  it('merges consecutive gaps of one reason, keeps others apart, and spans the sampling times', () => {
    let gaps = gapsOfRows([], [row(2), row(3)], 'overflow');
    gaps = addGap(gaps, gapOf(4, 4, { readings: 1 }, 'rejected_by_sink'));
    gaps = gapsOfRows(gaps, [row(6)], 'overflow');
    expect(gaps.map((g) => [g.fromSequence, g.toSequence, g.readings, g.reason])).toEqual([
      [2, 3, 2, 'overflow'],
      [4, 4, 1, 'rejected_by_sink'],
      [6, 6, 1, 'overflow'],
    ]);
    expect(gaps[0]!.lastSampledAt! - gaps[0]!.firstSampledAt!).toBe(1000);
  });

  it('finds the runs of missing sequences, and leaves out the numbers absent on purpose', () => {
    const runs = missingRuns(1, 12, [1, 2, 5, 6, 9]);
    expect(runs).toEqual([
      { from: 3, to: 4 },
      { from: 7, to: 8 },
      { from: 10, to: 12 },
    ]);
    let absent = addRange([], 7, 7);
    absent = addRange(absent, 8, 8);
    absent = addRange(absent, 11, 20);
    expect(absent).toEqual([
      [7, 8],
      [11, 20],
    ]);
    expect(subtractRanges(runs, absent)).toEqual([
      { from: 3, to: 4 },
      { from: 10, to: 10 },
    ]);
  });
});
