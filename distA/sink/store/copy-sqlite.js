import { COPY_TABLES, GATEWAY_CENSUS_SQL, censusFromRows, keyOf, } from './copy-tables.js';
export class SqliteCopyEndpoint {
    store;
    description;
    constructor(store) {
        this.store = store;
        this.description = `SQLite file ${store.file}`;
    }
    get db() {
        return this.store.db;
    }
    async networkId() {
        return this.db.prepare('SELECT id FROM network').get().id;
    }
    async holdsData() {
        return COPY_TABLES.some((t) => this.db.prepare(`SELECT 1 FROM ${t.name} LIMIT 1`).get() !== undefined);
    }
    async adoptNetwork(id) {
        this.db.transaction(() => {
            this.db.prepare('UPDATE network SET id = ?').run(id);
            this.db.prepare('DELETE FROM copy_progress').run();
        })();
    }
    async progress(table) {
        const row = this.db
            .prepare('SELECT last_key FROM copy_progress WHERE table_name = ?')
            .get(table.name);
        return row ? JSON.parse(row.last_key) : undefined;
    }
    async readRows(table, after, limit) {
        const columns = table.columns.map(([name]) => name).join(', ');
        const key = table.key.join(', ');
        const where = after === undefined ? '' : `WHERE (${key}) > (${table.key.map(() => '?').join(', ')})`;
        return this.db
            .prepare(`SELECT ${columns} FROM ${table.name} ${where} ORDER BY ${key} LIMIT ?`)
            .raw()
            .all(...(after ?? []), limit);
    }
    async writeRows(table, rows) {
        const last = rows.at(-1);
        if (last === undefined)
            return;
        const insert = this.db.prepare(`INSERT OR IGNORE INTO ${table.name} (${table.columns.map(([name]) => name).join(', ')})
       VALUES (${table.columns.map(() => '?').join(', ')})`);
        const progress = this.db.prepare(`INSERT INTO copy_progress (table_name, last_key) VALUES (?, ?)
       ON CONFLICT (table_name) DO UPDATE SET last_key = excluded.last_key`);
        this.db.transaction(() => {
            for (const row of rows)
                insert.run(...row);
            progress.run(table.name, JSON.stringify(keyOf(table, last)));
        })();
    }
    async finish() {
        // INTEGER PRIMARY KEY ids continue after the largest one by themselves.
    }
    async census() {
        const tables = Object.fromEntries(COPY_TABLES.map((t) => [
            t.name,
            this.db.prepare(`SELECT COUNT(*) AS n FROM ${t.name}`).get().n,
        ]));
        const sequences = this.db
            .prepare('SELECT COUNT(*) AS n FROM readings WHERE sequence IS NOT NULL')
            .get().n;
        return censusFromRows(tables, sequences, this.db.prepare(GATEWAY_CENSUS_SQL).all());
    }
    async close() {
        await this.store.close();
    }
}
//# sourceMappingURL=copy-sqlite.js.map