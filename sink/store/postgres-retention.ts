// Retention on PostgreSQL: whole monthly partitions of readings are dropped once they end at or before the
// cutoff (DROP TABLE: no row-by-row DELETE, no bloat), and rows older than it in the default partition are
// deleted. reading_sequences keeps the dropped readings' sequences: the dedupe key and the acknowledgement
// watermark stay right (a gateway that resends an old reading gets it acknowledged, not stored again).
// The dashboard's summaries of those times (series_minutes, reading_hours) go in the same transaction, so no
// aggregate outlives its readings.
import type pg from 'pg';
import { LOCK_SPACE, PARTITION_LOCK } from './postgres-schema.js';

const PARTITION_NAME = /^readings_(\d{4})_(\d{2})$/;

/** Drops the partitions ending at or before `before`; answers their names. */
export async function dropReadingsBefore(pool: pg.Pool, before: number): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
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
    const other = await client.query('DELETE FROM readings_other WHERE time_ms < $1', [before]);
    // After the drops: a drop waits for ingests writing to that month, so their summaries go too. Only when
    // readings went: most hourly passes drop nothing, and series_minutes has no index led by the minute.
    if (dropped.length > 0 || (other.rowCount ?? 0) > 0) await dropSummariesBefore(client, before);
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
 * holds only readings before it), not only of the months dropped now. Plain DELETEs: the summary tables are not
 * partitioned.
 */
async function dropSummariesBefore(client: pg.PoolClient, before: number): Promise<void> {
  await client.query('DELETE FROM series_minutes WHERE minute_ms < $1', [before]);
  await client.query('DELETE FROM reading_hours WHERE hour_ms < $1', [before]);
}
