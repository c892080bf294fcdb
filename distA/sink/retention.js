import { monthOf } from './store/postgres-partitions.js';
const EVERY_MS = 3_600_000;
/** The first instant kept: the start of the month `months` months before the current one (UTC). */
export function retentionCutoff(now, months) {
    return monthOf(now, -months).from;
}
/** Starts the hourly pass; answers the function that stops it. */
export function startRetention(store, months, logger, clock = Date.now) {
    const pass = () => {
        const before = retentionCutoff(clock(), months);
        store.dropReadingsBefore(before).then((dropped) => {
            if (dropped.length > 0)
                logger.info('retention dropped old readings', { before, partitions: dropped });
        }, (error) => logger.warn('retention failed, tried again in an hour', { err: error.message }));
    };
    pass();
    const timer = setInterval(pass, EVERY_MS);
    timer.unref();
    return () => clearInterval(timer);
}
//# sourceMappingURL=retention.js.map