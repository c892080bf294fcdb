// Which PostgreSQL failures mean "the database cannot be reached now" (the server stopped, restarting, the
// network gone): those become StoreUnavailableError, a 503 with Retry-After, and the pool reconnects by itself.
/** SQLSTATE classes and codes of a lost or refused connection. */
const CONNECTION_STATES = /^(08|57P0[1-3]|53300)/; // connection exception; admin/crash shutdown, cannot connect now; too many connections
const NODE_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
]);
/** pg's own errors carry no code. */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;
export function isConnectionFailure(error) {
    const code = error?.code;
    if (typeof code === 'string' && (NODE_CODES.has(code) || CONNECTION_STATES.test(code)))
        return true;
    return error instanceof Error && PG_MESSAGES.test(error.message);
}
//# sourceMappingURL=postgres-errors.js.map