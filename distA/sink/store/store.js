// The storage interface of the sink. The HTTP layer and the ingest pipeline only see this interface, so a
// PostgreSQL backend can replace the embedded SQLite one without touching them. Every method is async for
// that reason, even though better-sqlite3 answers synchronously.
export const COMMAND_STATES = ['queued', 'delivered', 'succeeded', 'failed', 'expired'];
/** A store refused or failed a write: the client should retry later (503), nothing was stored. */
export class StoreUnavailableError extends Error {
    name = 'StoreUnavailableError';
}
/** A gateway id that already exists with an active token, or similar operator mistakes. */
export class StoreConflictError extends Error {
    name = 'StoreConflictError';
}
//# sourceMappingURL=store.js.map