/** Live readings more than this many usual spacings after the last point start after a gap. */
const GAP_FACTOR = 3;
export function fromSeries(parameter, s) {
    const t = s.t.map((ms) => ms / 1000);
    if (s.mode === 'raw') {
        const flagged = s.v.map((v, i) => ((s.flags[i]?.length ?? 0) > 0 ? v : null));
        return { parameter, unit: s.unit, mode: 'raw', t, lo: [...s.v], hi: [...s.v], flagged };
    }
    const flagged = s.max.map((v, i) => ((s.flagged[i] ?? 0) > 0 ? v : null));
    return { parameter, unit: s.unit, mode: 'buckets', t, lo: [...s.min], hi: [...s.max], flagged };
}
export function usualSpacing(t) {
    const steps = [];
    for (let i = Math.max(1, t.length - 50); i < t.length; i++)
        steps.push(t[i] - t[i - 1]);
    if (steps.length === 0)
        return undefined;
    steps.sort((a, b) => a - b);
    return steps[Math.floor(steps.length / 2)];
}
/** Adds a live reading at the end, after a gap marker when it comes much later than usual. */
export function appendReading(d, r, samplingS) {
    if (!(d.parameter in r.values))
        return false;
    const t = r.time / 1000;
    const last = d.t.at(-1);
    if (last !== undefined && t <= last)
        return false; // already shown (a replay) or out of order
    const spacing = samplingS ?? usualSpacing(d.t);
    if (last !== undefined && spacing !== undefined && spacing > 0 && t - last > GAP_FACTOR * spacing) {
        d.t.push(last + spacing);
        d.lo.push(null);
        d.hi.push(null);
        d.flagged.push(null);
    }
    const v = r.values[d.parameter] ?? null;
    const flags = [...(r.valueFlags?.[d.parameter] ?? []), ...(r.flags ?? [])];
    d.t.push(t);
    d.lo.push(v);
    d.hi.push(v);
    d.flagged.push(flags.length > 0 ? v : null);
    return true;
}
/**
 * What the plots show as CSV: one row per time (ISO 8601 UTC), one column per parameter for raw points, a
 * min and a max column for buckets. Gap markers are not rows.
 */
export function plotsCsv(plots, from, to) {
    const quote = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
    const name = (d) => (d.unit ? `${d.parameter} (${d.unit})` : d.parameter);
    const header = ['time'];
    for (const d of plots)
        header.push(...(d.mode === 'raw' ? [name(d)] : [`${name(d)} min`, `${name(d)} max`]));
    const rows = new Map();
    plots.forEach((d, column) => {
        d.t.forEach((t, i) => {
            if (d.lo[i] === null || t * 1000 < from || t * 1000 >= to)
                return;
            let row = rows.get(t);
            if (!row)
                rows.set(t, (row = []));
            row[column] = d.mode === 'raw' ? String(d.lo[i]) : `${String(d.lo[i])},${String(d.hi[i])}`;
        });
    });
    const empty = plots.map((d) => (d.mode === 'raw' ? '' : ','));
    const lines = [header.map(quote).join(',')];
    for (const t of [...rows.keys()].sort((a, b) => a - b)) {
        const row = rows.get(t);
        lines.push([new Date(t * 1000).toISOString(), ...plots.map((_, i) => row[i] ?? empty[i])].join(','));
    }
    return lines.join('\n') + '\n';
}
