import { LOCK_SPACE, PARTITION_LOCK } from './postgres-schema.js';
const PARTITION_NAME = /^readings_(\d{4})_(\d{2})$/;
/** Drops the partitions ending at or before `before`; answers their names. */
export async function dropReadingsBefore(pool, before) {
    const client = await pool.connect();
    let broken;
    try {
        await client.query('BEGIN');
        // The same lock as partition creation: no sink makes a month while it is being dropped.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, PARTITION_LOCK]);
        const { rows } = await client.query(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'readings'::regclass`);
        const dropped = [];
        for (const { name } of rows) {
            const match = PARTITION_NAME.exec(name);
            if (!match)
                continue; // readings_other
            const end = Date.UTC(Number(match[1]), Number(match[2]), 1); // month index is 0-based: this is the next month
            if (end > before)
                continue;
            await client.query(`DROP TABLE ${name}`);
            dropped.push(name);
        }
        await client.query('DELETE FROM readings_other WHERE time_ms < $1', [before]);
        await client.query('COMMIT');
        return dropped.sort();
    }
    catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
    }
    finally {
        client.release(broken);
    }
}
//# sourceMappingURL=postgres-retention.js.map