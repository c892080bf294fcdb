import { COPY_TABLES, GATEWAY_CENSUS_SQL, censusFromRows, columnIndex, keyOf, } from './copy-tables.js';
import { BYTEWISE } from './postgres-ingest.js';
import { redactError, redactUrl } from './postgres-url.js';
/** The array type a column's values travel in to unnest (JSON travels as text and is cast after). */
const PG_ARRAY_TYPE = {
    text: 'text',
    bigint: 'bigint',
    double: 'double precision',
    json: 'text',
};
export class PostgresCopyEndpoint {
    store;
    description;
    constructor(store) {
        this.store = store;
        this.description = `PostgreSQL database ${redactUrl(store.url)}`;
    }
    /** Runs `work` on one connection in a transaction; errors come back without the password. */
    async transaction(work) {
        let client;
        let broken;
        try {
            client = await this.store.pool.connect();
            await client.query('BEGIN');
            const result = await work(client);
            await client.query('COMMIT');
            return result;
        }
        catch (error) {
            broken = redactError(error, this.store.url);
            await client?.query('ROLLBACK').catch(() => undefined);
            throw broken;
        }
        finally {
            client?.release(broken);
        }
    }
    async query(text, values = []) {
        try {
            return (await this.store.pool.query(text, values)).rows;
        }
        catch (error) {
            throw redactError(error, this.store.url);
        }
    }
    async networkId() {
        const [row] = await this.query('SELECT id FROM network');
        return row.id;
    }
    async holdsData() {
        for (const t of COPY_TABLES) {
            if ((await this.query(`SELECT 1 FROM ${t.name} LIMIT 1`)).length > 0)
                return true;
        }
        return false;
    }
    async adoptNetwork(id) {
        await this.transaction(async (client) => {
            await client.query('UPDATE network SET id = $1', [id]);
            await client.query('DELETE FROM copy_progress');
        });
    }
    async progress(table) {
        const [row] = await this.query('SELECT last_key FROM copy_progress WHERE table_name = $1', [
            table.name,
        ]);
        return row ? JSON.parse(row.last_key) : undefined;
    }
    async readRows(table, after, limit) {
        const columns = table.columns.map(([name]) => name).join(', ');
        const key = table.key
            .map((k) => (table.columns[columnIndex(table, k)][1] === 'text' ? `${k} ${BYTEWISE}` : k))
            .join(', ');
        const where = after === undefined ? '' : `WHERE (${key}) > (${table.key.map((_, i) => `$${i + 2}`).join(', ')})`;
        try {
            const result = await this.store.pool.query({
                text: `SELECT ${columns} FROM ${table.name} ${where} ORDER BY ${key} LIMIT $1`,
                values: [limit, ...(after ?? [])],
                rowMode: 'array',
            });
            return result.rows;
        }
        catch (error) {
            throw redactError(error, this.store.url);
        }
    }
    async writeRows(table, rows) {
        const last = rows.at(-1);
        if (last === undefined)
            return;
        if (table.name === 'readings') {
            const time = columnIndex(table, 'time_ms');
            await this.store.partitions.ensure(rows.map((r) => r[time]));
        }
        const names = table.columns.map(([name]) => name);
        const arrays = table.columns.map((_, i) => rows.map((r) => r[i]));
        const unnest = table.columns.map(([, type], i) => `$${i + 1}::${PG_ARRAY_TYPE[type]}[]`);
        const select = table.columns.map(([name, type]) => (type === 'json' ? `${name}::json` : name));
        // gap_events.id is GENERATED ALWAYS: the copied ids are kept on purpose.
        const overriding = table.name === 'gap_events' ? 'OVERRIDING SYSTEM VALUE' : '';
        await this.transaction(async (client) => {
            await client.query(`INSERT INTO ${table.name} (${names.join(', ')}) ${overriding}
         SELECT ${select.join(', ')} FROM unnest(${unnest.join(', ')}) AS t(${names.join(', ')})
         ON CONFLICT DO NOTHING`, arrays);
            if (table.name === 'readings') {
                await client.query(`INSERT INTO reading_sequences (gateway, sequence)
           SELECT * FROM unnest($1::text[], $2::bigint[]) AS t(gateway, sequence) WHERE sequence IS NOT NULL
           ON CONFLICT DO NOTHING`, [arrays[columnIndex(table, 'gateway')], arrays[columnIndex(table, 'sequence')]]);
            }
            await client.query(`INSERT INTO copy_progress (table_name, last_key) VALUES ($1, $2::json)
         ON CONFLICT (table_name) DO UPDATE SET last_key = excluded.last_key`, [table.name, JSON.stringify(keyOf(table, last))]);
        });
    }
    async finish() {
        // New readings and gap events take ids after the copied ones (ids grow with storage order: the live stream).
        await this.query("SELECT setval('readings_id_seq', GREATEST((SELECT MAX(id) FROM readings), 0) + 1, false)");
        await this.query("SELECT setval(pg_get_serial_sequence('gap_events', 'id'), GREATEST((SELECT MAX(id) FROM gap_events), 0) + 1, false)");
    }
    async census() {
        const tables = {};
        for (const t of COPY_TABLES) {
            tables[t.name] = (await this.query(`SELECT COUNT(*) AS n FROM ${t.name}`))[0].n;
        }
        const [seq] = await this.query('SELECT COUNT(*) AS n FROM reading_sequences');
        return censusFromRows(tables, seq.n, await this.query(GATEWAY_CENSUS_SQL));
    }
    async close() {
        await this.store.close();
    }
}
//# sourceMappingURL=copy-postgres.js.map