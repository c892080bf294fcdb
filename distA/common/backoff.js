// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
// the n-th retry waits a uniform random time in [0, min(cap, base * 2^n)]. Full jitter spreads a
// fleet of gateways that lost the link at the same moment, so they do not all return at once.
export class Backoff {
    options;
    attempt = 0;
    random;
    constructor(options) {
        this.options = options;
        if (!(options.baseMs > 0) || !(options.capMs >= options.baseMs)) {
            throw new RangeError(`backoff needs 0 < baseMs <= capMs (got ${options.baseMs}, ${options.capMs})`);
        }
        this.random = options.random ?? Math.random;
    }
    /** The delay before the next attempt; each call counts one more failure. */
    next() {
        const ceiling = Math.min(this.options.capMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
        this.attempt++;
        return Math.floor(this.random() * ceiling);
    }
    /** Failures counted since the last success. */
    get failures() {
        return this.attempt;
    }
    reset() {
        this.attempt = 0;
    }
}
//# sourceMappingURL=backoff.js.map