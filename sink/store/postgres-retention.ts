// Retention on PostgreSQL: whole monthly partitions of readings are dropped once they end at or before the
// cutoff (DROP TABLE: no row-by-row DELETE, no bloat), and rows older than it in the default partition are
// deleted. reading_sequences keeps the dropped readings' sequences: the dedupe key and the acknowledgement
// watermark stay right (a gateway that resends an old reading gets it acknowledged, not stored again).
// The dashboard's summaries of those times (series_minutes, reading_hours) go right after, and a pass that could
// not finish them finishes them next time, so no aggregate outlives its readings for longer than that. Nothing in
// a pass may stop ingest for long: the DROPs' transaction holds the lock every ingest needs, so it does nothing
// else and gives up (to try again at the next pass) when that lock is not there within RETENTION_LOCK_WAIT_MS.
import type pg from 'pg';
import { LOCK_SPACE, PARTITION_LOCK } from './postgres-schema.js';

const PARTITION_NAME = /^readings_(\d{4})_(\d{2})$/;

/**
 * How long a pass waits for the locks its DROP needs (ACCESS EXCLUSIVE on `readings`). Behind a long reader of
 * `readings` (an export), a DROP waiting for its lock makes every ingest queue behind it: the pass gives up
 * after this instead, and the next hour's pass tries again.
 */
export const RETENTION_LOCK_WAIT_MS = 1000;

/** Drops the partitions ending at or before `before`, then the summaries before it; answers the partitions' names. */
export async function dropReadingsBefore(pool: pg.Pool, before: number): Promise<string[]> {
  const dropped = await dropPartitionsBefore(pool, before);
  await dropSummariesBefore(pool, before);
  return dropped;
}

/**
 * The partitions and the default partition's old rows, in one short transaction: it holds ACCESS EXCLUSIVE on
 * `readings` from its first DROP to its COMMIT, which stops every ingest meanwhile, so nothing else is done in it.
 */
async function dropPartitionsBefore(pool: pg.Pool, before: number): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN; SET LOCAL lock_timeout = ${RETENTION_LOCK_WAIT_MS}`);
    // The same lock as partition creation: no sink makes a month while it is being dropped.
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, PARTITION_LOCK]);
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'readings'::regclass`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const match = PARTITION_NAME.exec(name);
      if (!match) continue; // readings_other
      const end = Date.UTC(Number(match[1]), Number(match[2]), 1); // month index is 0-based: this is the next month
      if (end > before) continue;
      await client.query(`DROP TABLE ${name}`);
      dropped.push(name);
    }
    await client.query('DELETE FROM readings_other WHERE time_ms < $1', [before]);
    await client.query('COMMIT');
    return dropped.sort();
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Deletes the summaries of every minute and hour before `before` (the start of a month: such a minute or hour
 * holds only readings before it), not only of the months dropped now: gateway by gateway, each DELETE a short
 * transaction of its own on the tables' primary keys (led by the gateway), after the partitions' transaction.
 * In that transaction one DELETE over all of series_minutes (which has no index led by the minute) kept every
 * ingest waiting on `readings` for as long as it scanned. A gateway's hours go after its minutes, so a pass
 * that stops half way leaves hours before the cut-off, which the next pass finds (an index probe on hour_ms).
 */
async function dropSummariesBefore(pool: pg.Pool, before: number): Promise<void> {
  const { rows } = await pool.query<{ gateway: string }>(
    'SELECT DISTINCT gateway FROM reading_hours WHERE hour_ms < $1',
    [before],
  );
  for (const { gateway } of rows) {
    await pool.query('DELETE FROM series_minutes WHERE gateway = $1 AND minute_ms < $2', [gateway, before]);
    await pool.query('DELETE FROM reading_hours WHERE gateway = $1 AND hour_ms < $2', [gateway, before]);
  }
}
