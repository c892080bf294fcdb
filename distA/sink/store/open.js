// The one place that turns a --db value into a store: a postgres:// or postgresql:// URL opens PostgreSQL,
// a path a SQLite file. Any other URL is refused: it must not become a SQLite file in a directory named
// after its scheme. Another backend claims its scheme here; nothing else changes.
import { existsSync } from 'node:fs';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
/** `--db` or the config's `db` names something this sink cannot open. */
export class StoreLocationError extends Error {
    name = 'StoreLocationError';
}
export function isPostgresUrl(location) {
    return /^postgres(?:ql)?:\/\//i.test(location);
}
/** `scheme:`. A one-letter scheme is a Windows drive (C:\data), not a URL. */
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;
/** Why `location` cannot be opened, or undefined when it can be tried. The config schema and the gateway commands check `--db` with it. */
export function unsupportedLocation(location) {
    const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
    if (scheme === undefined || isPostgresUrl(location))
        return undefined;
    return `a path to a SQLite file or a postgres:// URL (database URLs such as ${scheme}: are not supported)`;
}
/** `name` on `host:port` of a PostgreSQL URL: what a message may say of it (never the URL, which holds the password). */
export function describePostgresDatabase(location) {
    try {
        const url = new URL(location);
        const name = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || '(default)';
        return `PostgreSQL database "${name}" on ${url.host || 'localhost'}`;
    }
    catch {
        return 'the PostgreSQL database of --db (the URL does not parse)';
    }
}
/** PostgreSQL's SQLSTATE for "database does not exist". */
const INVALID_CATALOG_NAME = '3D000';
export async function openStore(location, options = {}) {
    const unsupported = unsupportedLocation(location);
    if (unsupported !== undefined)
        throw new StoreLocationError(`--db: expected ${unsupported}`);
    const { create = true, ...postgres } = options;
    if (isPostgresUrl(location)) {
        try {
            return await PostgresStore.open({ ...postgres, url: location });
        }
        catch (error) {
            // dsp-sink makes its tables, not the database: that takes rights a sink should not hold (docs/postgres.md).
            if (error.code === INVALID_CATALOG_NAME) {
                throw new StoreLocationError(`--db: there is no ${describePostgresDatabase(location)} (create it first: createdb, or CREATE DATABASE)`);
            }
            throw error;
        }
    }
    if (!create && !existsSync(location)) {
        throw new StoreLocationError(`--db: no database at ${location} (add --create to make a new one)`);
    }
    return new SqliteStore(location);
}
//# sourceMappingURL=open.js.map