// Readings lost on the serial line, told by the sonde's own clock. The sonde samples every interval and
// prints each row once; if the agent does not read them (frozen process, full kernel buffer, a line that
// drops bytes), the rows are gone and nothing else would say so. Their sampled times show it: the next row
// that does arrive is later than one interval after the last one.
//
// When is a jump a loss? The sonde prints whole seconds, so two rows one interval apart differ by
// interval +- 1 s of rounding; its own timing adds far less than that. A loss is reported when the step
// exceeds 1.5 intervals + 1 s: half an interval above the largest regular step. So a regular stream never
// reports, whatever the interval; the price is that single lost rows at intervals of 2 s or less are not
// seen (the rounding hides them), while at 60 s every lost row is.
//
// Only within one sampling run at a known interval: a break-in or a new interval restarts sampling (the
// sonde takes nothing meanwhile), so the caller resets the detector then, and a reading without a sampled
// time (unknown clock) resets it too. A clock that goes backwards restarts it as well.
/** The sonde's clock prints whole seconds. */
export const SONDE_TIME_RESOLUTION_MS = 1000;
/** The largest step between two sampled times that is not a loss (see the comment at the top). */
export function lossThresholdMs(intervalMs, resolutionMs = SONDE_TIME_RESOLUTION_MS) {
    return 1.5 * intervalMs + resolutionMs;
}
export class LineGapDetector {
    resolutionMs;
    last;
    intervalMs = 0;
    constructor(resolutionMs = SONDE_TIME_RESOLUTION_MS) {
        this.resolutionMs = resolutionMs;
    }
    /** A new sampling run (break-in, new interval): the next reading is the first of it. */
    reset(intervalS) {
        this.last = undefined;
        this.intervalMs = intervalS * 1000;
    }
    /** Feeds one reading, in arrival order; returns the gap in front of it, if the step shows one. */
    observe(sampledAt) {
        const last = this.last;
        this.last = sampledAt;
        if (sampledAt === undefined || last === undefined || this.intervalMs <= 0)
            return undefined;
        const step = sampledAt - last;
        if (step <= lossThresholdMs(this.intervalMs, this.resolutionMs))
            return undefined;
        const missed = Math.max(1, Math.round(step / this.intervalMs) - 1);
        return {
            missed,
            firstSampledAt: Math.round(last + this.intervalMs),
            lastSampledAt: Math.round(last + missed * this.intervalMs),
        };
    }
}
//# sourceMappingURL=line-gap.js.map