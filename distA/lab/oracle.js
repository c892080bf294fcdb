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
/** A printed row as the sonde's clock and values identify it (backfilled readings are matched so). */
function timeAndValues(sondeTime, values) {
    return `${sondeTime}|${JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}
export function checkDelivery(input) {
    const { emitted } = input;
    const blind = (r) => input.blindWindows.some((w) => r.emittedAt >= w.from && r.emittedAt <= w.to);
    const mustArrive = (r) => r.delivered && !r.damaged && !blind(r);
    const byRaw = new Map();
    emitted.forEach((r, i) => byRaw.set(r.raw, [...(byRaw.get(r.raw) ?? []), i]));
    const byTimeAndValues = new Map();
    emitted.forEach((r, i) => {
        const key = timeAndValues(r.sondeTime, r.values);
        byTimeAndValues.set(key, [...(byTimeAndValues.get(key) ?? []), i]);
    });
    const matchedIndexes = new Set();
    // Stored readings in sequence order, each matched to the earliest unmatched printed row with its text.
    const readings = [...input.readings].sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
    const matchedRaw = new Set();
    const placed = [];
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
                if (candidates.length > 0)
                    duplicates++;
                else
                    unknown++; // a time or a value the sonde never printed
                continue;
            }
            matchedIndexes.add(index);
            continue;
        }
        const raw = reading.raw ?? '';
        let index = byRaw.get(raw)?.shift();
        while (index !== undefined && matchedIndexes.has(index))
            index = byRaw.get(raw)?.shift();
        if (index === undefined) {
            if (byRaw.has(raw))
                duplicates++; // printed, but every printing of it is matched already
            else
                unknown++;
            continue;
        }
        matchedIndexes.add(index);
        matchedRaw.add(raw);
        if (index < previous)
            outOfOrder++;
        previous = index;
        placed.push({ index, sequence: reading.sequence ?? 0 });
        const printed = emitted[index];
        if (!printed.damaged && Object.entries(printed.values).some(([k, v]) => reading.values[k] !== v))
            valueMismatches++;
    }
    duplicates += readings.length - new Set(readings.map((r) => r.sequence)).size;
    // Sequence accounting: readings, other messages, reported gaps.
    const readingSeqs = new Set(readings.map((r) => r.sequence).filter((s) => s !== undefined));
    const messageSeqs = new Set(input.messages.map((m) => m.sequence).filter((s) => s !== undefined));
    const reported = new Set();
    for (const g of input.gaps.filter((g) => g.kind === 'reported')) {
        for (let s = g.fromSequence; s <= g.toSequence; s++)
            if (!readingSeqs.has(s) && !messageSeqs.has(s))
                reported.add(s);
    }
    const highest = Math.max(0, ...readingSeqs, ...messageSeqs, ...reported);
    const unaccountedSequences = [];
    for (let s = 1; s <= highest; s++)
        if (!readingSeqs.has(s) && !messageSeqs.has(s) && !reported.has(s))
            unaccountedSequences.push(s);
    // Between two stored neighbours (in printing order), the rows missing must match the sequences reported
    // lost between their sequences: at least the must-arrive ones, at most those plus the blind ones.
    const placedIndexes = matchedIndexes;
    const bounds = [
        { index: -1, sequence: 0 },
        ...[...placed].sort((a, b) => a.index - b.index),
        { index: emitted.length, sequence: highest + 1 },
    ];
    let lost = 0;
    let overReported = 0;
    let blindMissing = 0;
    for (let k = 1; k < bounds.length; k++) {
        const a = bounds[k - 1];
        const b = bounds[k];
        let must = 0;
        let maybe = 0;
        for (let i = a.index + 1; i < b.index; i++) {
            if (placedIndexes.has(i))
                continue;
            const row = emitted[i];
            if (mustArrive(row))
                must++;
            else if (row.delivered && !row.damaged)
                maybe++;
        }
        let gapSeqs = 0;
        for (let s = a.sequence + 1; s < b.sequence; s++)
            if (reported.has(s))
                gapSeqs++;
        if (must > gapSeqs)
            lost += must - gapSeqs;
        if (gapSeqs > must + maybe)
            overReported += gapSeqs - must - maybe;
        blindMissing += Math.max(0, maybe - Math.max(0, gapSeqs - must));
    }
    const report = {
        emitted: emitted.length,
        mustArrive: emitted.filter(mustArrive).length,
        stored: readings.length,
        backfilled,
        duplicates,
        unknown,
        outOfOrder,
        valueMismatches,
        lost,
        reportedLost: reported.size,
        overReported,
        blindMissing,
        unaccountedSequences,
        problems: [],
    };
    const problem = (count, what) => count > 0 && report.problems.push(`${count} ${what}`);
    problem(duplicates, 'readings stored twice');
    problem(unknown, 'stored readings the sonde never printed');
    problem(outOfOrder, 'readings whose sequence order differs from the printing order');
    problem(valueMismatches, 'readings with values other than printed');
    problem(lost, 'readings lost without a gap report');
    problem(overReported, 'readings reported lost beyond those missing');
    problem(unaccountedSequences.length, `sequences neither stored nor reported lost (${unaccountedSequences.slice(0, 10).join(', ')})`);
    return report;
}
//# sourceMappingURL=oracle.js.map