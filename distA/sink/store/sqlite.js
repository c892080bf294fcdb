// The embedded SQLite backend (better-sqlite3): one file, WAL, every commit fsync'd.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSchema } from './sqlite-schema.js';
import { keysetScan } from './keyset.js';
import { SqliteIngestOps } from './sqlite-ingest.js';
import { ingestContainer, runSync } from './ingest-steps.js';
import { GATEWAY_SELECT, commandFromRow, gapFromRow, gatewayFromRow, messageFromRow, minuteFromRow, newCommandValues, parameterFromRow, readingFromRow, valueKeyNeedle, stationAssignments, } from './rows.js';
import { COMMAND_STATES, StoreConflictError, StoreUnavailableError, } from './store.js';
export class SqliteStore {
    file;
    /** Read directly by dsp-sink copy (copy-sqlite.ts), which moves rows as they are. */
    db;
    ops;
    ingestOne;
    ingestBatch;
    constructor(file) {
        this.file = file;
        // Readings and token hashes are for the owner only: directories made here are 0700, a new file 0600.
        // SQLite gives the -wal and -shm files the mode of the database file.
        mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
        closeSync(openSync(file, 'a', 0o600));
        this.db = new Database(file);
        openSchema(this.db);
        this.ops = new SqliteIngestOps(this.db);
        // Nested better-sqlite3 transactions are savepoints: a container that fails rolls back alone,
        // while the batch shares one COMMIT (one fsync) with the others.
        const one = this.db.transaction((req) => runSync(ingestContainer(this.ops, req)));
        this.ingestOne = (req) => {
            try {
                return one(req);
            }
            catch (error) {
                // Some errors (disk full, I/O) make SQLite roll the whole transaction back: abort the batch.
                if (!this.db.inTransaction)
                    throw error;
                return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
            }
        };
        this.ingestBatch = this.db.transaction((batch) => batch.map(this.ingestOne));
    }
    async addGateway(id, tokenHash, now) {
        const existing = this.db.prepare('SELECT * FROM gateways WHERE id = ?').get(id);
        if (existing && existing.token_hash !== null && existing.revoked_at === null) {
            throw new StoreConflictError(`gateway ${id} already exists; revoke it first to issue a new token`);
        }
        this.db
            .prepare(`INSERT INTO gateways (id, token_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL`)
            .run(id, tokenHash, now);
    }
    async ensureGateway(id, now) {
        this.db.prepare('INSERT OR IGNORE INTO gateways (id, created_at) VALUES (?, ?)').run(id, now);
    }
    async revokeGateway(id, now) {
        const r = this.db
            .prepare('UPDATE gateways SET revoked_at = ?, token_hash = NULL WHERE id = ? AND revoked_at IS NULL')
            .run(now, id);
        return r.changes > 0;
    }
    async gatewayForTokenHash(tokenHash) {
        const row = this.db
            .prepare('SELECT id, token_hash FROM gateways WHERE token_hash = ? AND revoked_at IS NULL')
            .get(tokenHash);
        return row ? { id: row.id, tokenHash: row.token_hash } : undefined;
    }
    async listGateways() {
        return this.db.prepare(`${GATEWAY_SELECT} ORDER BY g.id`).all().map(gatewayFromRow);
    }
    async getGateway(id) {
        const row = this.db.prepare(`${GATEWAY_SELECT} WHERE g.id = ?`).get(id);
        return row ? gatewayFromRow(row) : undefined;
    }
    async ingest(batch) {
        try {
            return this.ingestBatch(batch);
        }
        catch (error) {
            // The COMMIT itself failed (disk full, I/O error): nothing of the batch is stored.
            throw new StoreUnavailableError(`store commit failed: ${error.message}`);
        }
    }
    async addCommand(command) {
        this.db
            .prepare(`INSERT INTO commands (id, gateway, kind, consumer, properties, state, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`)
            .run(...newCommandValues(command));
        return { ...command, state: 'queued' };
    }
    async listCommands(gateway, now) {
        this.db
            .prepare("UPDATE commands SET state = 'expired' WHERE gateway = ? AND state = 'queued' AND expires_at <= ?")
            .run(gateway, now);
        return this.db
            .prepare('SELECT * FROM commands WHERE gateway = ? ORDER BY created_at, id')
            .all(gateway)
            .map(commandFromRow);
    }
    async *readings(query) {
        const where = query.gateway === undefined ? '' : 'gateway = @gateway AND';
        const chunk = this.db.prepare(`SELECT * FROM readings WHERE ${where} (time_ms, id) > (@time, @id) AND time_ms < @to
       ORDER BY time_ms, id LIMIT @limit`);
        const to = query.to ?? Number.MAX_SAFE_INTEGER;
        const from = query.from ?? Number.MIN_SAFE_INTEGER;
        const rows = keysetScan((cursor, limit) => chunk.all({ gateway: query.gateway, ...cursor, to, limit }), from, query.limit);
        for await (const row of rows)
            yield readingFromRow(row);
    }
    async *readingTimes(gateway, from, to) {
        const chunk = this.db.prepare(`SELECT time_ms, id FROM readings WHERE gateway = @gateway AND (time_ms, id) > (@time, @id) AND time_ms < @to
       ORDER BY time_ms, id LIMIT @limit`);
        for await (const row of keysetScan((cursor, limit) => chunk.all({ gateway, ...cursor, to, limit }), from))
            yield row.time_ms;
    }
    async latestReading(gateway) {
        const row = this.db
            .prepare('SELECT * FROM readings WHERE gateway = ? ORDER BY time_ms DESC, id DESC LIMIT 1')
            .get(gateway);
        return row ? readingFromRow(row) : undefined;
    }
    async *readingsNewestFirst(query) {
        const where = query.gateway === undefined ? '' : 'gateway = @gateway AND';
        const chunk = this.db.prepare(`SELECT * FROM readings WHERE ${where} (time_ms, id) < (@time, @id) AND time_ms >= @from
       ORDER BY time_ms DESC, id DESC LIMIT @limit`);
        const from = query.from ?? Number.MIN_SAFE_INTEGER;
        // The cursor starts at (to, -1): every row strictly before `to`.
        const rows = keysetScan((cursor, limit) => chunk.all({ gateway: query.gateway, ...cursor, from, limit }), query.to ?? Number.MAX_SAFE_INTEGER, query.limit);
        for await (const row of rows)
            yield readingFromRow(row);
    }
    async readingBySequence(gateway, sequence) {
        const row = this.db
            .prepare('SELECT * FROM readings WHERE gateway = ? AND sequence = ?')
            .get(gateway, sequence);
        return row ? readingFromRow(row) : undefined;
    }
    async countReadingsCarrying(query) {
        const conditions = ['time_ms >= @from', 'time_ms < @to'];
        if (query.gateway !== undefined)
            conditions.push('gateway = @gateway');
        if (query.key !== undefined)
            conditions.push('instr(data, @needle) > 0');
        const row = this.db
            .prepare(`SELECT COUNT(*) AS n FROM readings WHERE ${conditions.join(' AND ')}`)
            .get({
            gateway: query.gateway,
            from: query.from ?? Number.MIN_SAFE_INTEGER,
            to: query.to ?? Number.MAX_SAFE_INTEGER,
            needle: valueKeyNeedle(query.key),
        });
        return row?.n ?? 0;
    }
    async readingsStoredAfter(afterId, gateway, limit) {
        const rows = gateway === undefined
            ? this.db
                .prepare('SELECT * FROM readings WHERE id > ? ORDER BY id LIMIT ?')
                .all(afterId, limit)
            : this.db
                .prepare('SELECT * FROM readings WHERE gateway = ? AND id > ? ORDER BY id LIMIT ?')
                .all(gateway, afterId, limit);
        return rows.map(readingFromRow);
    }
    async gaps(gateway) {
        const rows = gateway === undefined
            ? this.db.prepare('SELECT * FROM gap_events ORDER BY id').all()
            : this.db.prepare('SELECT * FROM gap_events WHERE gateway = ? ORDER BY id').all(gateway);
        return rows.map(gapFromRow);
    }
    async messages(gateway, limit) {
        const rows = this.db
            .prepare('SELECT * FROM messages WHERE gateway = ? ORDER BY received_at DESC LIMIT ?')
            .all(gateway, limit);
        return rows.map(messageFromRow);
    }
    async messagesOfContentType(contentType) {
        const rows = this.db
            .prepare("SELECT * FROM messages WHERE content_type = ? AND content_type <> 'org.netbeams.dsp.ysi.SondeDataContainer' ORDER BY gateway, created_at")
            .all(contentType);
        return rows.map(messageFromRow);
    }
    async commandCounts() {
        const counts = Object.fromEntries(COMMAND_STATES.map((s) => [s, 0]));
        const rows = this.db
            .prepare('SELECT state, COUNT(*) AS n FROM commands GROUP BY state')
            .all();
        for (const r of rows)
            counts[r.state] = r.n;
        return counts;
    }
    async updateStation(id, patch) {
        const assignments = stationAssignments(patch);
        if (assignments.length > 0) {
            this.db
                .prepare(`UPDATE gateways SET ${assignments.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`)
                .run(...assignments.map(([, value]) => value), id);
        }
        return this.getGateway(id);
    }
    async gatewayParameters(gateway) {
        return this.db
            .prepare('SELECT * FROM gateway_parameters WHERE gateway = ? ORDER BY parameter')
            .all(gateway)
            .map(parameterFromRow)
            .map(({ gateway: _, ...p }) => p);
    }
    async latestParameterValues(parameter) {
        return this.db
            .prepare('SELECT * FROM gateway_parameters WHERE parameter = ? ORDER BY gateway')
            .all(parameter)
            .map(parameterFromRow);
    }
    async readingHours(from, to) {
        return this.db
            .prepare('SELECT gateway, hour_ms, readings FROM reading_hours WHERE hour_ms >= ? AND hour_ms < ?')
            .all(from, to)
            .map((r) => ({ gateway: r.gateway, hour: r.hour_ms, readings: r.readings }));
    }
    async countReadings(gateway, from, to, atMost) {
        const row = this.db
            .prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM readings WHERE gateway = ? AND time_ms >= ? AND time_ms < ? LIMIT ?)`)
            .get(gateway, from, to, atMost);
        return row?.n ?? 0;
    }
    async seriesMinutes(gateway, parameter, from, to) {
        return this.db
            .prepare(`SELECT * FROM series_minutes WHERE gateway = ? AND parameter = ? AND minute_ms >= ? AND minute_ms < ?
         ORDER BY minute_ms`)
            .all(gateway, parameter, from, to)
            .map(minuteFromRow);
    }
    async watchReadings() {
        // One sink per file: every reading is published by the process that stored it.
        return async () => undefined;
    }
    async dropReadingsBefore() {
        throw new StoreConflictError('retention needs PostgreSQL: SQLite keeps every reading (they are its dedupe key)');
    }
    async ping() {
        // A file on a local disk: reachable while open.
    }
    async close() {
        if (this.db.open)
            this.db.close();
    }
}
//# sourceMappingURL=sqlite.js.map