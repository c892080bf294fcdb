// Where the sink keeps its data: `--db` names a SQLite file. A backend for another database (PostgreSQL is
// planned) plugs in here: it claims a URL scheme in BACKENDS and returns a Store; nothing else changes.
import { existsSync } from 'node:fs';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** `--db` or the config's `db` names something this sink cannot open. */
export class StoreLocationError extends Error {
  override readonly name = 'StoreLocationError';
}

type Backend = (url: string, options: OpenOptions) => Store;

/** URL scheme -> backend. Empty until a server database is supported; paths go to SQLite. */
const BACKENDS: Record<string, Backend> = {};

/** `scheme:` then `//` or more text. A one-letter scheme is a Windows drive (C:\data), not a URL. */
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

export interface OpenOptions {
  /** false: a SQLite file that does not exist is an error (a typo must not create an empty database). */
  create: boolean;
}

/** Why `location` cannot be opened, or undefined when it can be tried. Used by the config schema too. */
export function unsupportedLocation(location: string): string | undefined {
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme in BACKENDS) return undefined;
  return `a path to a SQLite file (database URLs such as ${scheme}:// are not supported)`;
}

export function openStore(location: string, options: OpenOptions): Store {
  const unsupported = unsupportedLocation(location);
  if (unsupported !== undefined) throw new StoreLocationError(`--db: expected ${unsupported}`);
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  const backend = scheme === undefined ? undefined : BACKENDS[scheme];
  if (backend) return backend(location, options);
  if (!options.create && !existsSync(location)) {
    throw new StoreLocationError(`--db: no database at ${location} (add --create to make a new one)`);
  }
  return new SqliteStore(location);
}
