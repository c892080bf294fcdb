// The oracle must catch what it is there to catch: doubles, losses, reordering, altered values, holes in
// the sequences, and gap reports that do not sit where rows are missing.
import { describe, expect, it } from 'vitest';
import type { SimulatedReading } from '../drivers/simulator/sonde-simulator.js';
import { checkDelivery, type OracleInput, type StoredReadingView } from './oracle.js';

const rows: SimulatedReading[] = Array.from({ length: 10 }, (_, i) => ({
  sondeTime: `t${i}`,
  values: { Temp: 10 + i },
  raw: `row ${i}`,
  damaged: false,
  delivered: true,
  emittedAt: 1000 * i,
}));
const stored = (i: number, sequence = i + 1): StoredReadingView => ({
  sequence,
  raw: `row ${i}`,
  values: { Temp: 10 + i },
});
const all = rows.map((_, i) => stored(i));
const input = (o: Partial<OracleInput>): OracleInput => ({
  emitted: rows,
  blindWindows: [],
  readings: all,
  messages: [],
  gaps: [],
  ...o,
});

/** Row i read back from the sonde's memory (another text), queued later under `sequence`. */
const backfilled = (i: number, sequence: number, values = { Temp: 10 + i }): StoredReadingView => ({
  sequence,
  raw: `upload ${i}`,
  sondeTime: `t${i}`,
  flags: ['backfilled'],
  values,
});

describe('checkDelivery', () => {
  it('matches backfilled readings by sonde time and values, out of sequence order, and none is missing', () => {
    // Rows 3..5 were printed while the agent was down (blind); they came back later, backfilled.
    const live = all.filter((_, i) => i < 3 || i > 5).map((r, k) => ({ ...r, sequence: k + 1 }));
    const report = checkDelivery(
      input({
        blindWindows: [{ from: 3000, to: 5000 }],
        readings: [...live, backfilled(3, 8), backfilled(4, 9), backfilled(5, 10)],
      }),
    );
    expect(report).toMatchObject({ problems: [], backfilled: 3, blindMissing: 0, outOfOrder: 0, duplicates: 0 });
  });

  it('finds a backfilled reading whose value or time the sonde never printed, and one stored twice', () => {
    expect(checkDelivery(input({ readings: [...all, backfilled(3, 11, { Temp: 99 })] })).unknown).toBe(1);
    // Rows 3..5 blind and read back: one at a time the sonde never gave it, one with a value it never printed.
    const live = all.filter((_, i) => i < 3 || i > 5).map((r, k) => ({ ...r, sequence: k + 1 }));
    const readBack = (row3: StoredReadingView) =>
      checkDelivery(
        input({
          blindWindows: [{ from: 3000, to: 5000 }],
          readings: [...live, row3, backfilled(4, 9), backfilled(5, 10)],
        }),
      );
    expect(readBack(backfilled(3, 8)).problems).toEqual([]);
    expect(readBack({ ...backfilled(3, 8), sondeTime: 't9' }).unknown).toBe(1); // row 3's values, shifted
    expect(readBack(backfilled(3, 8, { Temp: 99 })).unknown).toBe(1);
    expect(checkDelivery(input({ readings: [...all, backfilled(3, 11)] })).duplicates).toBe(1);
    const first = all.filter((_, i) => i !== 3).map((r, k) => ({ ...r, sequence: k + 1 }));
    expect(
      checkDelivery(input({ readings: [...first, backfilled(3, 10), { ...stored(3), sequence: 11 }] })).duplicates,
    ).toBe(1);
  });

  it('passes when every row is stored once, in order, with its values', () => {
    const report = checkDelivery(input({}));
    expect(report).toMatchObject({ problems: [], stored: 10, mustArrive: 10, lost: 0 });
  });

  it('finds a row stored twice under another sequence', () => {
    expect(checkDelivery(input({ readings: [...all, stored(3, 11)] })).duplicates).toBe(1);
  });

  it('finds a lost row, and a hole in the sequences', () => {
    const report = checkDelivery(input({ readings: all.filter((_, i) => i !== 4) }));
    expect(report.lost).toBe(1);
    expect(report.unaccountedSequences).toEqual([5]);
  });

  it('names a lost row in its message: where it was printed, between which sequences, backfill or not', () => {
    const lineGap = {
      kind: 'reported',
      fromSequence: 0,
      toSequence: 0,
      reason: 'line',
      firstSampledAt: 4000,
      lastSampledAt: 4000,
    };
    const middle = checkDelivery(input({ gateway: 'gw-x', readings: all.filter((_, i) => i !== 4), gaps: [lineGap] }));
    expect(middle.lostRows).toMatchObject([{ index: 4, sondeTime: 't4', after: 4, before: 6, inLineGap: true }]);
    expect(middle.problems[0]).toContain('1 readings lost without a gap report (gateway gw-x): row #4 printed');
    expect(middle.problems[0]).toContain('between sequences 4 and 6');
    const tail = checkDelivery(input({ readings: all.filter((_, i) => i !== 9) }));
    expect(tail.lostRows).toMatchObject([
      { index: 9, after: 9, before: null, inLineGap: false, backfilledSameSecond: false },
    ]);
    expect(tail.problems[0]).toContain('after the last stored row (sequence 9)');
  });

  it('takes a line gap report (sequences 0..0: its rows never had one) for no lost sequence', () => {
    const lineGap = { kind: 'reported', fromSequence: 0, toSequence: 0, reason: 'line', firstSampledAt: 4000 };
    expect(checkDelivery(input({ gaps: [lineGap] }))).toMatchObject({ problems: [], reportedLost: 0 });
  });

  it('accepts a row missing inside a blind window (agent killed), but not one outside it', () => {
    const readings = all.filter((_, i) => i !== 4).map((r, k) => ({ ...r, sequence: k + 1 }));
    expect(checkDelivery(input({ readings, blindWindows: [{ from: 3500, to: 4500 }] })).problems).toEqual([]);
    expect(checkDelivery(input({ readings, blindWindows: [{ from: 5500, to: 6500 }] })).lost).toBe(1);
  });

  it('finds readings out of order and values that changed', () => {
    const swapped = all.map((r) =>
      r.sequence === 3 ? { ...r, sequence: 4 } : r.sequence === 4 ? { ...r, sequence: 3 } : r,
    );
    expect(checkDelivery(input({ readings: swapped })).outOfOrder).toBe(1);
    const altered = all.map((r, i) => (i === 2 ? { ...r, values: { Temp: 99 } } : r));
    expect(checkDelivery(input({ readings: altered })).valueMismatches).toBe(1);
  });

  it('accepts missing rows reported as a gap exactly where they are missing, and refuses a misplaced gap', () => {
    // Rows 3..5 dropped (sequences 4..6), the gap report itself is sequence 11.
    const readings = all.filter((_, i) => i < 3 || i > 5);
    const messages = [{ sequence: 11, kind: 'EventMessage' }];
    expect(
      checkDelivery(input({ readings, messages, gaps: [{ kind: 'reported', fromSequence: 4, toSequence: 6 }] })),
    ).toMatchObject({ problems: [], reportedLost: 3 });
    const misplaced = checkDelivery(
      input({
        readings: all.filter((_, i) => i < 2 || i > 4),
        messages,
        gaps: [{ kind: 'reported', fromSequence: 4, toSequence: 6 }],
      }),
    );
    expect(misplaced.problems).not.toEqual([]);
  });

  it('with the sonde logging, a blind row it logged must arrive; one it did not log may be missing', () => {
    const readings = all.filter((_, i) => i !== 4).map((r, k) => ({ ...r, sequence: k + 1 }));
    const blindWindows = [{ from: 3500, to: 4500 }];
    const logged = rows.map((r) => ({ ...r, logged: true }));
    const report = checkDelivery(input({ emitted: logged, readings, blindWindows, sondeLogs: true }));
    expect(report).toMatchObject({ blindMissing: 1, loggedMissing: 1 });
    expect(report.problems).not.toEqual([]);
    expect(checkDelivery(input({ emitted: logged, readings, blindWindows })).problems).toEqual([]);
    const notLogged = checkDelivery(input({ readings, blindWindows, sondeLogs: true }));
    expect(notLogged).toMatchObject({ problems: [], blindMissing: 1, loggedMissing: 0 });
  });

  it('a lost store: skipped numbers account for the rows lost with it, never as readings reported lost', () => {
    // Rows 3..5 (sequences 4..6) were in the lost store; the agent went on above its reserved mark, 20.
    const readings = [...all.slice(0, 3), ...all.slice(6).map((r, k) => ({ ...r, sequence: 21 + k }))];
    const skippedGap = { kind: 'reported', reason: 'sequences_skipped', fromSequence: 4, toSequence: 20 };
    const report = checkDelivery(input({ readings, gaps: [skippedGap] }));
    expect(report).toMatchObject({ problems: [], reportedLost: 0, skipped: 17, lost: 0 });
    // The agent that reused numbers (its sequence file lost too): the sink dropped rows 6.. as duplicates.
    const reused = checkDelivery(input({ readings: all.slice(0, 3) }));
    expect(reused.lost).toBe(7);
  });
});
