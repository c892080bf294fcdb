// The one place that turns a --db value into a store: a postgres:// or postgresql:// URL opens PostgreSQL,
// a path a SQLite file. Any other URL is refused: it must not become a SQLite file in a directory named
// after its scheme. Another backend claims its scheme here; nothing else changes.
import { existsSync } from 'node:fs';
import { PostgresStore, type PostgresStoreOptions } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** `--db` or the config's `db` names something this sink cannot open. */
export class StoreLocationError extends Error {
  override readonly name = 'StoreLocationError';
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** `scheme:`. A one-letter scheme is a Windows drive (C:\data), not a URL. */
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/** Why `location` cannot be opened, or undefined when it can be tried. The config schema uses it too. */
export function unsupportedLocation(location: string): string | undefined {
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined || isPostgresUrl(location)) return undefined;
  return `a path to a SQLite file or a postgres:// URL (database URLs such as ${scheme}: are not supported)`;
}

/**
 * What the command line cannot open (yet): PostgreSQL (docs/postgres.md) and any other URL. The config
 * schema and the gateway commands check `--db` with it; enabling PostgreSQL there is removing one clause.
 */
export function commandLineLocationProblem(location: string): string | undefined {
  if (isPostgresUrl(location)) {
    return 'a path to a SQLite file (the command line does not open PostgreSQL yet: docs/postgres.md)';
  }
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return undefined;
  return `a path to a SQLite file (database URLs such as ${scheme}: are not supported)`;
}

export interface OpenOptions extends Omit<PostgresStoreOptions, 'url'> {
  /**
   * SQLite only. false: a file that does not exist is an error (a typo must not create an empty database
   * and print a token for it). A PostgreSQL database is never created here.
   */
  create?: boolean;
}

export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  const unsupported = unsupportedLocation(location);
  if (unsupported !== undefined) throw new StoreLocationError(`--db: expected ${unsupported}`);
  const { create = true, ...postgres } = options;
  if (isPostgresUrl(location)) return PostgresStore.open({ ...postgres, url: location });
  if (!create && !existsSync(location)) {
    throw new StoreLocationError(`--db: no database at ${location} (add --create to make a new one)`);
  }
  return new SqliteStore(location);
}
