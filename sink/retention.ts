// retentionMonths: once at start and every hour, readings of months that ended more than that many whole
// months ago are dropped (PostgreSQL drops their partitions). A failure is logged and tried again next hour.
import type { Logger } from '../common/log.js';
import { monthOf } from './store/postgres-partitions.js';
import type { Store } from './store/store.js';

const EVERY_MS = 3_600_000;

/** The first instant kept: the start of the month `months` months before the current one (UTC). */
export function retentionCutoff(now: number, months: number): number {
  return monthOf(now, -months).from;
}

/** Starts the hourly pass; answers the function that stops it. */
export function startRetention(store: Store, months: number, logger: Logger, clock = Date.now): () => void {
  const pass = (): void => {
    const before = retentionCutoff(clock(), months);
    store.dropReadingsBefore(before).then(
      (dropped) => {
        if (dropped.length > 0) logger.info('retention dropped old readings', { before, partitions: dropped });
      },
      (error: unknown) => logger.warn('retention failed, tried again in an hour', { err: (error as Error).message }),
    );
  };
  pass();
  const timer = setInterval(pass, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
