export const REFUSAL_LOG_WINDOW_MS = 10_000;
export class RefusalLog {
    logger;
    windowMs;
    kinds = new Map();
    constructor(logger, windowMs = REFUSAL_LOG_WINDOW_MS) {
        this.logger = logger;
        this.windowMs = windowMs;
    }
    refused(fields) {
        const key = `${fields.status} ${fields.error}`;
        let kind = this.kinds.get(key);
        if (!kind) {
            kind = { suppressed: 0, last: fields };
            this.kinds.set(key, kind);
        }
        kind.last = fields;
        if (kind.timer) {
            kind.suppressed++;
            return;
        }
        this.logger.info('request refused', fields);
        this.openWindow(key, kind);
    }
    /** Logs what was suppressed and stops the timers (at shutdown). */
    close() {
        for (const kind of this.kinds.values()) {
            clearTimeout(kind.timer);
            this.flush(kind);
        }
        this.kinds.clear();
    }
    openWindow(key, kind) {
        kind.timer = setTimeout(() => {
            kind.timer = undefined;
            if (this.flush(kind))
                this.openWindow(key, kind);
            else
                this.kinds.delete(key);
        }, this.windowMs);
        kind.timer.unref();
    }
    /** true when a line was written. */
    flush(kind) {
        if (kind.suppressed === 0)
            return false;
        this.logger.info('requests refused', { ...kind.last, count: kind.suppressed, windowS: this.windowMs / 1000 });
        kind.suppressed = 0;
        return true;
    }
}
//# sourceMappingURL=refusal-log.js.map