// The end-to-end oracle: the simulated sonde's record of every row it printed, held against what the
// sink stored. Every row that reached a running agent is at the sink exactly once, in sampling order by
// sequence, with its values as printed; a row that is not there is covered by a GapReport at exactly its
// place in the sequence (queue overflow); every sequence the agent used is a reading, another message or
// reported lost.
//
// Rows are matched by their text (`raw`): below a 1 s interval several rows share a sonde time. Rows
// printed while no agent was running ("blind" windows: from 1 s before a SIGKILL until the restarted agent
// has the serial port open, plus 250 ms) may or may not arrive: they must not arrive twice, and their loss
// is not a failure.
//
// Readings flagged `backfilled` were read back from the sonde's memory in another format (an ASCII upload):
// their text is not the row's, so they are matched by the sonde's time and every value, which checks both
// against the simulator's record; they come later in sequence than the rows printed after them, so they are
// left out of the order check and of the sequence bounds between neighbours.
//
// With `sondeLogs` (the agent has the sonde log what it streams, and reads missed windows back), a blind row
// the sonde logged must arrive too, live or backfilled: one missing is a problem (loggedMissing).
//
// A lost store (a power cut, then the queue's store gone) is reported by the agent as store_lost for the
// numbers its sequence file says were issued, and sequences_skipped for the rest of the reserved block: after
// an unclean stop the file's issuedUntil is older than the last number used, so some skipped numbers may
// have held readings. Skipped numbers are therefore accounted for and may cover rows missing where they
// sit, but are never counted as readings reported lost (nor as reported beyond those missing).

import type { SimulatedReading } from '../drivers/simulator/sonde-simulator.js';

export interface StoredReadingView {
  sequence?: number;
  raw?: string;
  sondeTime?: string;
  flags?: string[];
  values: Record<string, number | null>;
}

export interface StoredMessageView {
  sequence?: number;
  kind: string;
  contentType?: string;
}

export interface GapView {
  kind: string;
  fromSequence: number;
  toSequence: number;
  /** `line`: rows printed but never received (no sequence, 0..0), read back from the sonde's memory. */
  reason?: string;
  firstSampledAt?: number;
  lastSampledAt?: number;
}

export interface OracleInput {
  /** Named in the problems (several gateways may share a sink). */
  gateway?: string;
  emitted: SimulatedReading[];
  blindWindows: Array<{ from: number; to: number }>;
  readings: StoredReadingView[];
  messages: StoredMessageView[];
  gaps: GapView[];
  /** The sonde logs what it streams and the agent reads missed windows back: logged blind rows must arrive. */
  sondeLogs?: boolean;
}

export interface OracleReport {
  emitted: number;
  /** Rows that reached a running agent: each must be stored or reported lost. */
  mustArrive: number;
  stored: number;
  /** Stored readings read back from the sonde's memory, each matched to a printed row by time and values. */
  backfilled: number;
  duplicates: number;
  /** Stored readings that match no printed row. */
  unknown: number;
  outOfOrder: number;
  valueMismatches: number;
  /** Must-arrive rows neither stored nor reported in a gap. */
  lost: number;
  /** What the simulator recorded of the rows missing where too few were reported lost (at most 10). */
  lostRows: LostRow[];
  /** Sequences reported lost in GapReports (not stored). */
  reportedLost: number;
  /** Reported lost but more than went missing at that place. */
  overReported: number;
  /** Blind-window rows that did not arrive (allowed unless the sonde logged them and `sondeLogs`). */
  blindMissing: number;
  /** Of blindMissing, the rows the sonde had logged to its memory (a backfill could have read them). */
  loggedMissing: number;
  /** Sequences reported skipped (sequences_skipped gaps: reserved numbers, possibly used by lost readings). */
  skipped: number;
  /** Sequences up to the highest one that are neither stored nor reported lost. */
  unaccountedSequences: number[];
  problems: string[];
}

/** A must-arrive row missing without a gap report, with what tells why it could be missing. */
export interface LostRow {
  /** Its place in the simulator's record (0 = first row printed). */
  index: number;
  sondeTime: string;
  raw: string;
  emittedAt: number;
  /** The stored sequences it should sit between (by printing order); `after` null: no stored row follows it. */
  after: number;
  before: number | null;
  /** A backfilled reading of the same sonde second is stored (the read-back ran over it). */
  backfilledSameSecond: boolean;
  /** A line gap's window (its estimated times, 2 s either side) covers it: the backfill was to read it back. */
  inLineGap: boolean;
}

/** How far around a line gap's estimated times a row counts as one the backfill was to read back. */
const LINE_GAP_SLACK_MS = 2000;

/** A printed row as the sonde's clock and values identify it (backfilled readings are matched so). */
export function timeAndValues(sondeTime: string, values: Record<string, number | null>): string {
  return `${sondeTime}|${JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}

/** A row that reached a running agent: it must be stored or reported lost. */
export function isMustArrive(r: SimulatedReading, blindWindows: OracleInput['blindWindows']): boolean {
  return r.delivered && !r.damaged && !blindWindows.some((w) => r.emittedAt >= w.from && r.emittedAt <= w.to);
}

/** Whether a stored reading is that printed row: by its text, or read back from memory by time and values. */
export function isStoredRow(reading: StoredReadingView, row: SimulatedReading): boolean {
  if (reading.flags?.includes('backfilled'))
    return timeAndValues(reading.sondeTime ?? '', reading.values) === timeAndValues(row.sondeTime, row.values);
  return reading.raw === row.raw;
}

export function checkDelivery(input: OracleInput): OracleReport {
  const { emitted } = input;
  const mustArrive = (r: SimulatedReading) => isMustArrive(r, input.blindWindows);

  const byRaw = new Map<string, number[]>();
  emitted.forEach((r, i) => byRaw.set(r.raw, [...(byRaw.get(r.raw) ?? []), i]));
  const byTimeAndValues = new Map<string, number[]>();
  emitted.forEach((r, i) => {
    const key = timeAndValues(r.sondeTime, r.values);
    byTimeAndValues.set(key, [...(byTimeAndValues.get(key) ?? []), i]);
  });
  const matchedIndexes = new Set<number>();

  // Stored readings in sequence order, each matched to the earliest unmatched printed row with its text.
  const readings = [...input.readings].sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  const matchedRaw = new Set<string>();
  const placed: Array<{ index: number; sequence: number }> = [];
  let duplicates = 0;
  let unknown = 0;
  let outOfOrder = 0;
  let valueMismatches = 0;
  let previous = -1;
  let backfilled = 0;
  for (const reading of readings) {
    if (reading.flags?.includes('backfilled')) {
      backfilled++;
      const key = timeAndValues(reading.sondeTime ?? '', reading.values);
      const candidates = byTimeAndValues.get(key) ?? [];
      const index = candidates.find((i) => !matchedIndexes.has(i));
      if (index === undefined) {
        if (candidates.length > 0) duplicates++;
        else unknown++; // a time or a value the sonde never printed
        continue;
      }
      matchedIndexes.add(index);
      continue;
    }
    const raw = reading.raw ?? '';
    let index = byRaw.get(raw)?.shift();
    while (index !== undefined && matchedIndexes.has(index)) index = byRaw.get(raw)?.shift();
    if (index === undefined) {
      if (byRaw.has(raw))
        duplicates++; // printed, but every printing of it is matched already
      else unknown++;
      continue;
    }
    matchedIndexes.add(index);
    matchedRaw.add(raw);
    if (index < previous) outOfOrder++;
    previous = index;
    placed.push({ index, sequence: reading.sequence ?? 0 });
    const printed = emitted[index]!;
    if (!printed.damaged && Object.entries(printed.values).some(([k, v]) => reading.values[k] !== v)) valueMismatches++;
  }
  duplicates += readings.length - new Set(readings.map((r) => r.sequence)).size;

  // Sequence accounting: readings, other messages, reported gaps.
  const readingSeqs = new Set(readings.map((r) => r.sequence).filter((s): s is number => s !== undefined));
  const messageSeqs = new Set(input.messages.map((m) => m.sequence).filter((s): s is number => s !== undefined));
  const reported = new Set<number>();
  const skipped = new Set<number>();
  for (const g of input.gaps.filter((g) => g.kind === 'reported')) {
    // A line gap's report covers no sequence (0..0): its rows never had one.
    const into = g.reason === 'sequences_skipped' ? skipped : reported;
    for (let s = Math.max(1, g.fromSequence); s <= g.toSequence; s++)
      if (!readingSeqs.has(s) && !messageSeqs.has(s)) into.add(s);
  }
  for (const s of reported) skipped.delete(s);
  const highest = Math.max(0, ...readingSeqs, ...messageSeqs, ...reported, ...skipped);
  const unaccountedSequences: number[] = [];
  for (let s = 1; s <= highest; s++)
    if (!readingSeqs.has(s) && !messageSeqs.has(s) && !reported.has(s) && !skipped.has(s)) unaccountedSequences.push(s);

  // Between two stored neighbours (in printing order), the rows missing must match the sequences reported
  // lost between their sequences: at least the must-arrive ones, at most those plus the blind ones.
  const placedIndexes = matchedIndexes;
  const bounds = [
    { index: -1, sequence: 0 },
    ...[...placed].sort((a, b) => a.index - b.index),
    { index: emitted.length, sequence: highest + 1 },
  ];
  let lost = 0;
  const lostRows: LostRow[] = [];
  const lineGaps = input.gaps.filter((g) => g.reason === 'line' && g.firstSampledAt !== undefined);
  const backfilledSeconds = new Set(
    readings.filter((r) => r.flags?.includes('backfilled')).map((r) => r.sondeTime ?? ''),
  );
  const describeLost = (i: number, after: number, before: number | null): LostRow => {
    const row = emitted[i]!;
    return {
      index: i,
      sondeTime: row.sondeTime,
      raw: row.raw,
      emittedAt: row.emittedAt,
      after,
      before,
      backfilledSameSecond: backfilledSeconds.has(row.sondeTime),
      inLineGap: lineGaps.some(
        (g) =>
          row.emittedAt >= g.firstSampledAt! - LINE_GAP_SLACK_MS &&
          row.emittedAt <= (g.lastSampledAt ?? g.firstSampledAt!) + LINE_GAP_SLACK_MS,
      ),
    };
  };
  let overReported = 0;
  let blindMissing = 0;
  let loggedMissing = 0;
  for (let k = 1; k < bounds.length; k++) {
    const a = bounds[k - 1]!;
    const b = bounds[k]!;
    const missing: number[] = [];
    let maybe = 0;
    let maybeLogged = 0;
    for (let i = a.index + 1; i < b.index; i++) {
      if (placedIndexes.has(i)) continue;
      const row = emitted[i]!;
      if (mustArrive(row)) missing.push(i);
      else if (row.delivered && !row.damaged) {
        maybe++;
        if (row.logged) maybeLogged++;
      }
    }
    const must = missing.length;
    let gapSeqs = 0;
    let skippedSeqs = 0;
    for (let s = a.sequence + 1; s < b.sequence; s++) {
      if (reported.has(s)) gapSeqs++;
      else if (skipped.has(s)) skippedSeqs++;
    }
    if (must > gapSeqs + skippedSeqs) {
      lost += must - gapSeqs - skippedSeqs;
      const before = k === bounds.length - 1 ? null : b.sequence;
      for (const i of missing.slice(0, Math.max(0, 10 - lostRows.length)))
        lostRows.push(describeLost(i, a.sequence, before));
    }
    if (gapSeqs > must + maybe) overReported += gapSeqs - must - maybe;
    // Numbers left after the must-arrive rows cover blind rows, those the sonde did not log first.
    const spare = Math.max(0, gapSeqs + skippedSeqs - must);
    blindMissing += Math.max(0, maybe - spare);
    loggedMissing += Math.max(0, maybeLogged - Math.max(0, spare - (maybe - maybeLogged)));
  }

  const report: OracleReport = {
    emitted: emitted.length,
    mustArrive: emitted.filter(mustArrive).length,
    stored: readings.length,
    backfilled,
    duplicates,
    unknown,
    outOfOrder,
    valueMismatches,
    lost,
    lostRows,
    reportedLost: reported.size,
    overReported,
    blindMissing,
    loggedMissing,
    skipped: skipped.size,
    unaccountedSequences,
    problems: [],
  };
  const problem = (count: number, what: string) => count > 0 && report.problems.push(`${count} ${what}`);
  problem(duplicates, 'readings stored twice');
  problem(unknown, 'stored readings the sonde never printed');
  problem(outOfOrder, 'readings whose sequence order differs from the printing order');
  problem(valueMismatches, 'readings with values other than printed');
  problem(
    lost,
    `readings lost without a gap report${input.gateway ? ` (gateway ${input.gateway})` : ''}: ${lostRows
      .slice(0, 3)
      .map(lostRowText)
      .join('; ')}`,
  );
  problem(overReported, 'readings reported lost beyond those missing');
  if (input.sondeLogs) problem(loggedMissing, 'rows the sonde logged, missing around kills (not read back)');
  problem(
    unaccountedSequences.length,
    `sequences neither stored nor reported lost (${unaccountedSequences.slice(0, 10).join(', ')})`,
  );
  return report;
}

/** One lost row as a failure message shows it: enough to tell a tail race from a backfill's edge. */
function lostRowText(r: LostRow): string {
  const place =
    r.before === null
      ? `after the last stored row (sequence ${r.after})`
      : `between sequences ${r.after} and ${r.before}`;
  return (
    `row #${r.index} printed ${new Date(r.emittedAt).toISOString()} (sonde time ${r.sondeTime}, ${JSON.stringify(r.raw)}), ` +
    `${place}, backfilled reading of its second stored: ${r.backfilledSameSecond ? 'yes' : 'no'}, ` +
    `in a line gap's window: ${r.inLineGap ? 'yes' : 'no'}`
  );
}
