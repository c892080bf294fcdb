// A benchmark figure: a value measured against a baseline measured in the same run, so that the ratio
// means the same on any machine. bench/results/latest.json holds a list of them (issue 6's contract).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
export function makeFigure(spec) {
    const ratio = spec.baseline === 0 ? Number.POSITIVE_INFINITY : spec.value / spec.baseline;
    const { text, met } = judge(spec.target, spec.value, ratio);
    return {
        name: spec.name,
        value: round(spec.value),
        unit: spec.unit,
        baseline: round(spec.baseline),
        baselineName: spec.baselineName,
        ratio: round(ratio),
        target: text,
        met,
    };
}
function judge(target, value, ratio) {
    if ('ratioAtMost' in target)
        return { text: `ratio <= ${target.ratioAtMost}`, met: ratio <= target.ratioAtMost };
    if ('ratioAtLeast' in target)
        return { text: `ratio >= ${target.ratioAtLeast}`, met: ratio >= target.ratioAtLeast };
    if ('valueAtMost' in target)
        return { text: `value <= ${target.valueAtMost}`, met: value <= target.valueAtMost };
    if ('valueAtLeast' in target)
        return { text: `value >= ${target.valueAtLeast}`, met: value >= target.valueAtLeast };
    return { text: 'none', met: true };
}
function round(value) {
    return Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
}
export function describeMachine() {
    const cpus = os.cpus();
    const gib = (os.totalmem() / 2 ** 30).toFixed(1);
    return `${cpus[0]?.model.trim() ?? 'unknown CPU'} x${cpus.length}, ${gib} GiB, ${os.platform()} ${os.arch()}, node ${process.version}`;
}
export function writeResults(figures, file) {
    const results = { machine: describeMachine(), date: new Date().toISOString(), figures };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    return results;
}
/** Seconds taken by `fn` (wall clock, high resolution). */
export async function timed(fn) {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e9;
}
//# sourceMappingURL=figure.js.map