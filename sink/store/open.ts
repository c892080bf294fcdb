// The one place that turns a --db value into a store: a postgres:// or postgresql:// URL opens PostgreSQL,
// anything else is the path of a SQLite file.
import { PostgresStore, type PostgresStoreOptions } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

export async function openStore(location: string, postgres: Omit<PostgresStoreOptions, 'url'> = {}): Promise<Store> {
  return isPostgresUrl(location) ? PostgresStore.open({ ...postgres, url: location }) : new SqliteStore(location);
}
