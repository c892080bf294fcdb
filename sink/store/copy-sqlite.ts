// The SQLite side of dsp-sink copy (copy-endpoint.ts): rows read and written with prepared statements, a batch
// and its progress row in one transaction.
import type { CopyEndpoint } from './copy-endpoint.js';
import {
  COPY_TABLES,
  GATEWAY_CENSUS_SQL,
  censusFromRows,
  keyOf,
  type Census,
  type CopyTable,
  type GatewayCensusRow,
} from './copy-tables.js';
import type { SqliteStore } from './sqlite.js';

export class SqliteCopyEndpoint implements CopyEndpoint {
  readonly description: string;

  constructor(private readonly store: SqliteStore) {
    this.description = `SQLite file ${store.file}`;
  }

  private get db() {
    return this.store.db;
  }

  async networkId(): Promise<string> {
    return this.db.prepare<[], { id: string }>('SELECT id FROM network').get()!.id;
  }

  async holdsData(): Promise<boolean> {
    return COPY_TABLES.some((t) => this.db.prepare(`SELECT 1 FROM ${t.name} LIMIT 1`).get() !== undefined);
  }

  async adoptNetwork(id: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('UPDATE network SET id = ?').run(id);
      this.db.prepare('DELETE FROM copy_progress').run();
    })();
  }

  async progress(table: CopyTable): Promise<unknown[] | undefined> {
    const row = this.db
      .prepare<[string], { last_key: string }>('SELECT last_key FROM copy_progress WHERE table_name = ?')
      .get(table.name);
    return row ? (JSON.parse(row.last_key) as unknown[]) : undefined;
  }

  async readRows(table: CopyTable, after: unknown[] | undefined, limit: number): Promise<unknown[][]> {
    const columns = table.columns.map(([name]) => name).join(', ');
    const key = table.key.join(', ');
    const where = after === undefined ? '' : `WHERE (${key}) > (${table.key.map(() => '?').join(', ')})`;
    return this.db
      .prepare(`SELECT ${columns} FROM ${table.name} ${where} ORDER BY ${key} LIMIT ?`)
      .raw()
      .all(...(after ?? []), limit) as unknown[][];
  }

  async writeRows(table: CopyTable, rows: unknown[][]): Promise<void> {
    const last = rows.at(-1);
    if (last === undefined) return;
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO ${table.name} (${table.columns.map(([name]) => name).join(', ')})
       VALUES (${table.columns.map(() => '?').join(', ')})`,
    );
    const progress = this.db.prepare(
      `INSERT INTO copy_progress (table_name, last_key) VALUES (?, ?)
       ON CONFLICT (table_name) DO UPDATE SET last_key = excluded.last_key`,
    );
    this.db.transaction(() => {
      for (const row of rows) insert.run(...row);
      progress.run(table.name, JSON.stringify(keyOf(table, last)));
    })();
  }

  async finish(): Promise<void> {
    // INTEGER PRIMARY KEY ids continue after the largest one by themselves.
  }

  async census(): Promise<Census> {
    const tables = Object.fromEntries(
      COPY_TABLES.map((t) => [
        t.name,
        this.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${t.name}`).get()!.n,
      ]),
    );
    const sequences = this.db
      .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM readings WHERE sequence IS NOT NULL')
      .get()!.n;
    return censusFromRows(tables, sequences, this.db.prepare<[], GatewayCensusRow>(GATEWAY_CENSUS_SQL).all());
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
