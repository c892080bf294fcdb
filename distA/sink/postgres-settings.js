// The config's `postgres` block as the options of the PostgreSQL store. Read at start: a CA file that cannot be
// read stops the start (exit 2) rather than the first connection.
import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';
export function postgresStoreOptions(settings, logger) {
    const { poolSize, statementTimeoutMs, connectTimeoutMs } = settings;
    const ssl = sslOptions(settings);
    return { poolSize, statementTimeoutMs, connectTimeoutMs, ...(ssl === undefined ? {} : { ssl }), logger };
}
function sslOptions({ ssl, caFile }) {
    if (caFile !== undefined && ssl !== 'verify-full') {
        throw new ConfigError('postgres.caFile: expected together with postgres.ssl "verify-full"');
    }
    switch (ssl) {
        case undefined:
            return undefined; // the URL's sslmode decides
        case 'off':
            return false;
        case 'require':
            // Encrypted, but the server is not authenticated (libpq's sslmode=require).
            return { rejectUnauthorized: false };
        case 'verify-full':
            return { rejectUnauthorized: true, ...(caFile === undefined ? {} : { ca: readCa(caFile) }) };
    }
}
function readCa(file) {
    try {
        return readFileSync(file, 'utf8');
    }
    catch (error) {
        throw new ConfigError(`postgres.caFile: cannot read ${file}: ${error.code ?? 'error'}`);
    }
}
//# sourceMappingURL=postgres-settings.js.map