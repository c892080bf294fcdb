// The gateway's data plan: the bytes its link may carry per day or month. The agent counts what each
// exchange costs on the link (bodies both ways plus an estimate of what a connection adds: TLS handshake,
// HTTP headers, TCP/IP; bench/link-bytes.ts measured about 3 KB per upload on a new TLS connection), and
// near the budget it widens its upload interval, so that the same readings go in fewer, larger uploads
// (the per-upload cost is what dominates). Readings are never dropped for it: they wait in the queue.
import { existsSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { writeFileAtomic } from '../../common/atomic-file.js';
/** Usage shares of the budget at which the interval widens, and by how much. */
export const WIDENING_STEPS = [
    { share: 0.95, factor: 16 },
    { share: 0.8, factor: 4 },
];
const StoredUsage = v.strictObject({
    periodStart: v.pipe(v.number(), v.integer(), v.minValue(0)),
    usedBytes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
});
export class DataPlan {
    o;
    periodStart;
    used = 0;
    now;
    constructor(o) {
        this.o = o;
        this.now = o.now ?? Date.now;
        this.periodStart = this.currentPeriodStart();
        const stored = existsSync(o.file) ? v.safeParse(StoredUsage, safeJson(readFileSync(o.file, 'utf8'))) : undefined;
        // A file from another period, or one that does not read, counts nothing: the period starts afresh.
        if (stored?.success && stored.output.periodStart === this.periodStart)
            this.used = stored.output.usedBytes;
    }
    /**
     * Counts one exchange (the request and response bodies, plus the configured per-exchange overhead) at
     * once, then saves the count.
     */
    async record(bodyBytes) {
        this.rollOver();
        this.used += bodyBytes + this.o.overheadBytes;
        await writeFileAtomic(this.o.file, JSON.stringify({ periodStart: this.periodStart, usedBytes: this.used }));
    }
    factor() {
        this.rollOver();
        const share = this.used / this.o.budgetBytes;
        return WIDENING_STEPS.find((step) => share >= step.share)?.factor ?? 1;
    }
    usage() {
        const factor = this.factor();
        return {
            period: this.o.period,
            periodStart: new Date(this.periodStart).toISOString(),
            usedBytes: this.used,
            budgetBytes: this.o.budgetBytes,
            uploadIntervalFactor: factor,
        };
    }
    rollOver() {
        const start = this.currentPeriodStart();
        if (start !== this.periodStart) {
            this.periodStart = start;
            this.used = 0;
        }
    }
    /** Periods start at UTC midnight, or on the first of the month (carriers differ; UTC is predictable). */
    currentPeriodStart() {
        const d = new Date(this.now());
        return this.o.period === 'day'
            ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
            : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=data-plan.js.map