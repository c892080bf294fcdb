// Monthly partitions of the readings table, created by the store itself: at open for this month and the next,
// and before an ingest for any month its readings fall in. Monthly, not daily: a month of a large network is
// tens of millions of rows, a size PostgreSQL indexes well, retention is counted in months or years, and a query
// over a year plans across 12 partitions instead of 365. Months outside [now - PAST_MONTHS, now + AHEAD_MONTHS]
// go to the default partition (readings_other) instead of creating one partition per wrong sonde clock.
import type pg from 'pg';
import { LOCK_SPACE, PARTITION_LOCK } from './postgres-schema.js';

/** Months after the current one that always have a partition. */
export const AHEAD_MONTHS = 1;
/** How far back a backlog still gets partitions of its own. */
export const PAST_MONTHS = 60;

export interface Month {
  /** Table name: readings_YYYY_MM */
  name: string;
  from: number;
  to: number;
}

/** The month (UTC) that holds the time `ms`, shifted by `offset` months. */
export function monthOf(ms: number, offset = 0): Month {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + offset;
  const from = Date.UTC(year, month, 1);
  const start = new Date(from);
  const name = `readings_${start.getUTCFullYear()}_${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name, from, to: Date.UTC(year, month + 1, 1) };
}

export class ReadingPartitions {
  /** Partitions known to exist (another sink may have made more: create() checks under its lock). */
  private readonly known = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => number,
  ) {}

  async load(): Promise<void> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'readings'::regclass`,
    );
    for (const r of rows) this.known.add(r.name);
  }

  /** Makes sure the months of `times` (within the window) and the months ahead have partitions. */
  async ensure(times: Iterable<number> = []): Promise<void> {
    const now = this.clock();
    const earliest = monthOf(now, -PAST_MONTHS).from;
    const horizon = monthOf(now, AHEAD_MONTHS).to;
    const wanted = new Map<string, Month>();
    for (let i = 0; i <= AHEAD_MONTHS; i++) {
      const m = monthOf(now, i);
      wanted.set(m.name, m);
    }
    // Most readings fall in the months made above: skip them without the date arithmetic (this runs per reading).
    const current = monthOf(now).from;
    for (const t of times) {
      if (t < earliest || t >= horizon || t >= current) continue;
      const m = monthOf(t);
      wanted.set(m.name, m);
    }
    for (const m of wanted.values()) if (!this.known.has(m.name)) await this.create(m);
  }

  /**
   * Creates one month's partition. Rows of that month already in the default partition move into it first
   * (ATTACH refuses a range the default partition holds rows of); the lock on the default partition keeps
   * concurrent ingest from adding more meanwhile. The advisory lock serialises sinks creating the same month.
   */
  private async create(m: Month): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, PARTITION_LOCK]);
      const exists = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [m.name]);
      if (!exists.rows[0]?.found) {
        await client.query('LOCK TABLE readings_other IN ACCESS EXCLUSIVE MODE');
        await client.query(`CREATE TABLE ${m.name} (LIKE readings INCLUDING DEFAULTS)`);
        const range = `time_ms >= ${m.from} AND time_ms < ${m.to}`;
        await client.query(`INSERT INTO ${m.name} SELECT * FROM readings_other WHERE ${range}`);
        await client.query(`DELETE FROM readings_other WHERE ${range}`);
        await client.query(`ALTER TABLE readings ATTACH PARTITION ${m.name} FOR VALUES FROM (${m.from}) TO (${m.to})`);
      }
      await client.query('COMMIT');
      this.known.add(m.name);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
