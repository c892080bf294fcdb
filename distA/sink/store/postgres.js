// The PostgreSQL backend (pg Pool): several sinks may share one database. Open with PostgresStore.open(); the
// schema is migrated at open (postgres-schema.ts), readings partitions are made ahead (postgres-partitions.ts).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ingestContainer, readingTime, runAsync } from './ingest-steps.js';
import { keysetScan } from './keyset.js';
import { ReadingPartitions } from './postgres-partitions.js';
import { BYTEWISE, PostgresIngestOps } from './postgres-ingest.js';
import { isConnectionFailure } from './postgres-errors.js';
import { migrate } from './postgres-schema.js';
import { dropReadingsBefore } from './postgres-retention.js';
import { noticePayloads, READINGS_CHANNEL, ReadingsListener } from './postgres-notify.js';
import { redact, redactError, redactUrl } from './postgres-url.js';
import { GATEWAY_SELECT, commandFromRow, gapFromRow, gatewayFromRow, messageFromRow, minuteFromRow, newCommandValues, parameterFromRow, readingFromRow, valueKeyNeedle, stationAssignments, } from './rows.js';
import { SchemaTooNewError } from './schema-version.js';
import { COMMAND_STATES, StoreConflictError, StoreUnavailableError, } from './store.js';
export const POSTGRES_DEFAULTS = { poolSize: 10, statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 };
const INT8 = 20;
const JSON_OID = 114;
/** bigint columns hold epoch ms, sequences and counts: all within Number's exact range. JSON stays text (rows.ts). */
const TYPES = {
    getTypeParser: ((oid, format) => {
        if (oid === INT8)
            return (value) => Number(value);
        if (oid === JSON_OID)
            return (value) => value;
        return pg.types.getTypeParser(oid, format);
    }),
};
export class PostgresStore {
    pool;
    partitions;
    url;
    connection;
    logger;
    constructor(
    /** Pool and partitions are used directly by dsp-sink copy (copy-postgres.ts), which moves rows as they are. */
    pool, partitions, url, connection, logger) {
        this.pool = pool;
        this.partitions = partitions;
        this.url = url;
        this.connection = connection;
        this.logger = logger;
    }
    /** Tells this store's notifications from other sinks' (postgres-notify.ts). */
    origin = randomUUID();
    static async open(options) {
        const { url } = options;
        const where = `PostgreSQL database ${redactUrl(url)}`;
        let pool;
        try {
            const connection = {
                connectionString: url,
                statement_timeout: options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs,
                connectionTimeoutMillis: options.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs,
                ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
                types: TYPES,
            };
            pool = new pg.Pool({ ...connection, max: options.poolSize ?? POSTGRES_DEFAULTS.poolSize });
            // An idle connection that breaks must not crash the process: the pool drops it and opens another.
            pool.on('error', (error) => options.logger?.warn('postgres connection lost', { err: redactError(error, url) }));
            await migrate(pool, where);
            const partitions = new ReadingPartitions(pool, options.clock ?? Date.now);
            await partitions.load();
            await partitions.ensure();
            return new PostgresStore(pool, partitions, url, connection, options.logger);
        }
        catch (error) {
            await pool?.end().catch(() => undefined);
            if (error instanceof SchemaTooNewError)
                throw new SchemaTooNewError(redact(error.message, url));
            throw redactError(error, url, `cannot open the store in ${where}`);
        }
    }
    /** Runs a query; a failure comes back with the password redacted. */
    async query(text, values = []) {
        try {
            return (await this.pool.query(text, values)).rows;
        }
        catch (error) {
            if (isConnectionFailure(error)) {
                throw new StoreUnavailableError(redact(`database unreachable: ${error.message}`, this.url));
            }
            throw redactError(error, this.url);
        }
    }
    async watchReadings(onReadings, onResync) {
        const listener = new ReadingsListener({
            connection: this.connection,
            url: this.url,
            origin: this.origin,
            logger: this.logger,
            onResync,
            onRanges: async (ranges) => {
                const rows = await this.query(`SELECT r.* FROM readings r JOIN unnest($1::bigint[], $2::bigint[]) AS t(lo, hi) ON r.id BETWEEN t.lo AND t.hi
           ORDER BY r.id`, [ranges.map((r) => r[0]), ranges.map((r) => r[1])]);
                if (rows.length > 0)
                    onReadings(rows.map(readingFromRow));
            },
        });
        await listener.start();
        return () => listener.close();
    }
    async dropReadingsBefore(before) {
        try {
            return await dropReadingsBefore(this.pool, before);
        }
        catch (error) {
            throw redactError(error, this.url);
        }
    }
    async ping() {
        await this.query('SELECT 1');
    }
    async addGateway(id, tokenHash, now) {
        // One statement: a token is only replaced on a revoked or token-less gateway, even with two admins at once.
        const rows = await this.query(`INSERT INTO gateways (id, token_hash, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL
       WHERE gateways.token_hash IS NULL OR gateways.revoked_at IS NOT NULL
       RETURNING 1`, [id, tokenHash, now]);
        if (rows.length === 0) {
            throw new StoreConflictError(`gateway ${id} already exists; revoke it first to issue a new token`);
        }
    }
    async ensureGateway(id, now) {
        await this.query('INSERT INTO gateways (id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, now]);
    }
    async revokeGateway(id, now) {
        const rows = await this.query('UPDATE gateways SET revoked_at = $1, token_hash = NULL WHERE id = $2 AND revoked_at IS NULL RETURNING 1', [now, id]);
        return rows.length > 0;
    }
    async gatewayForTokenHash(tokenHash) {
        const [row] = await this.query('SELECT id, token_hash FROM gateways WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
        return row ? { id: row.id, tokenHash: row.token_hash } : undefined;
    }
    async listGateways() {
        return (await this.query(`${GATEWAY_SELECT} ORDER BY g.id ${BYTEWISE}`)).map(gatewayFromRow);
    }
    async getGateway(id) {
        const [row] = await this.query(`${GATEWAY_SELECT} WHERE g.id = $1`, [id]);
        return row ? gatewayFromRow(row) : undefined;
    }
    /**
     * One transaction for the batch, a savepoint per container: a failing container rolls back alone, the others
     * share one COMMIT. Containers are stored in gateway order (results keep the batch's order), so two sinks
     * locking gateway rows in their batches always lock them in the same order and cannot deadlock.
     */
    async ingest(batch) {
        let client;
        let broken;
        try {
            await this.partitions.ensure(batch.flatMap(readingTimes));
            client = await this.pool.connect();
            const ops = new PostgresIngestOps(client);
            const order = batch.map((_, i) => i).sort((a, b) => compare(batch[a].gatewayId, batch[b].gatewayId));
            const outcomes = new Array(batch.length);
            await client.query('BEGIN');
            for (const i of order) {
                await client.query('SAVEPOINT container');
                try {
                    outcomes[i] = await runAsync(ingestContainer(ops, batch[i]));
                    await client.query('RELEASE SAVEPOINT container');
                }
                catch (error) {
                    // Fails too when the connection is gone: then the whole batch fails below.
                    await client.query('ROLLBACK TO SAVEPOINT container');
                    outcomes[i] = { ok: false, error: redactError(error, this.url) };
                }
            }
            // Delivered to the other sinks at COMMIT, and not at all if it fails.
            const ids = outcomes.flatMap((o) => (o.ok ? o.readings.map((r) => r.id) : []));
            for (const payload of noticePayloads(this.origin, ids)) {
                await client.query('SELECT pg_notify($1, $2)', [READINGS_CHANNEL, payload]);
            }
            await client.query('COMMIT');
            return outcomes;
        }
        catch (error) {
            broken = error instanceof Error ? error : new Error(String(error));
            await client?.query('ROLLBACK').catch(() => undefined);
            // Nothing of the batch is stored: the agents retry (503).
            throw new StoreUnavailableError(redact(`store commit failed: ${broken.message}`, this.url));
        }
        finally {
            // A connection that failed is closed rather than handed to the next batch in an unknown state.
            client?.release(broken);
        }
    }
    async addCommand(command) {
        await this.query(`INSERT INTO commands (id, gateway, kind, consumer, properties, state, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5::json, 'queued', $6, $7)`, newCommandValues(command));
        return { ...command, state: 'queued' };
    }
    async listCommands(gateway, now) {
        await this.query("UPDATE commands SET state = 'expired' WHERE gateway = $1 AND state = 'queued' AND expires_at <= $2", [gateway, now]);
        const rows = await this.query(`SELECT * FROM commands WHERE gateway = $1 ORDER BY created_at, id ${BYTEWISE}`, [gateway]);
        return rows.map(commandFromRow);
    }
    async *readings(query) {
        const to = query.to ?? Number.MAX_SAFE_INTEGER;
        const from = query.from ?? Number.MIN_SAFE_INTEGER;
        // time_ms >= $time repeats the row comparison's bound in a form the planner prunes partitions with.
        const fetch = query.gateway === undefined
            ? (c, limit) => this.query(`SELECT * FROM readings WHERE time_ms >= $1 AND (time_ms, id) > ($1, $2) AND time_ms < $3
               ORDER BY time_ms, id LIMIT $4`, [c.time, c.id, to, limit])
            : (c, limit) => this.query(`SELECT * FROM readings WHERE gateway = $5 AND time_ms >= $1 AND (time_ms, id) > ($1, $2) AND time_ms < $3
               ORDER BY time_ms, id LIMIT $4`, [c.time, c.id, to, limit, query.gateway]);
        for await (const row of keysetScan(fetch, from, query.limit))
            yield readingFromRow(row);
    }
    async *readingTimes(gateway, from, to) {
        const fetch = (c, limit) => this.query(`SELECT time_ms, id FROM readings WHERE gateway = $1 AND time_ms >= $2 AND (time_ms, id) > ($2, $3)
         AND time_ms < $4 ORDER BY time_ms, id LIMIT $5`, [gateway, c.time, c.id, to, limit]);
        for await (const row of keysetScan(fetch, from))
            yield row.time_ms;
    }
    async latestReading(gateway) {
        const [row] = await this.query('SELECT * FROM readings WHERE gateway = $1 ORDER BY time_ms DESC, id DESC LIMIT 1', [gateway]);
        return row ? readingFromRow(row) : undefined;
    }
    async *readingsNewestFirst(query) {
        const from = query.from ?? Number.MIN_SAFE_INTEGER;
        const gateway = query.gateway === undefined ? '' : 'gateway = $5 AND';
        const fetch = (c, limit) => this.query(`SELECT * FROM readings WHERE ${gateway} time_ms <= $1 AND (time_ms, id) < ($1, $2) AND time_ms >= $3
         ORDER BY time_ms DESC, id DESC LIMIT $4`, [c.time, c.id, from, limit, ...(query.gateway === undefined ? [] : [query.gateway])]);
        // The cursor starts at (to, -1): every row strictly before `to`.
        for await (const row of keysetScan(fetch, query.to ?? Number.MAX_SAFE_INTEGER, query.limit)) {
            yield readingFromRow(row);
        }
    }
    async readingBySequence(gateway, sequence) {
        const [row] = await this.query('SELECT * FROM readings WHERE gateway = $1 AND sequence = $2', [
            gateway,
            sequence,
        ]);
        return row ? readingFromRow(row) : undefined;
    }
    async countReadingsCarrying(query) {
        const values = [query.from ?? Number.MIN_SAFE_INTEGER, query.to ?? Number.MAX_SAFE_INTEGER];
        const conditions = ['time_ms >= $1', 'time_ms < $2'];
        if (query.gateway !== undefined)
            conditions.push(`gateway = $${values.push(query.gateway)}`);
        if (query.key !== undefined)
            conditions.push(`strpos(data::text, $${values.push(valueKeyNeedle(query.key))}) > 0`);
        const [row] = await this.query(`SELECT COUNT(*) AS n FROM readings WHERE ${conditions.join(' AND ')}`, values);
        return Number(row?.n ?? 0);
    }
    async readingsStoredAfter(afterId, gateway, limit) {
        const rows = gateway === undefined
            ? await this.query('SELECT * FROM readings WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit])
            : await this.query('SELECT * FROM readings WHERE gateway = $1 AND id > $2 ORDER BY id LIMIT $3', [
                gateway,
                afterId,
                limit,
            ]);
        return rows.map(readingFromRow);
    }
    async gaps(gateway) {
        const rows = gateway === undefined
            ? await this.query('SELECT * FROM gap_events ORDER BY id')
            : await this.query('SELECT * FROM gap_events WHERE gateway = $1 ORDER BY id', [gateway]);
        return rows.map(gapFromRow);
    }
    async messages(gateway, limit) {
        const rows = await this.query('SELECT * FROM messages WHERE gateway = $1 ORDER BY received_at DESC LIMIT $2', [gateway, limit]);
        return rows.map(messageFromRow);
    }
    async messagesOfContentType(contentType) {
        const rows = await this.query("SELECT * FROM messages WHERE content_type = $1 AND content_type <> 'org.netbeams.dsp.ysi.SondeDataContainer' ORDER BY gateway, created_at", [contentType]);
        return rows.map(messageFromRow);
    }
    async commandCounts() {
        const counts = Object.fromEntries(COMMAND_STATES.map((s) => [s, 0]));
        const rows = await this.query('SELECT state, COUNT(*) AS n FROM commands GROUP BY state');
        for (const r of rows)
            counts[r.state] = r.n;
        return counts;
    }
    async updateStation(id, patch) {
        const assignments = stationAssignments(patch);
        if (assignments.length > 0) {
            await this.query(`UPDATE gateways SET ${assignments.map(([column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...assignments.map(([, value]) => value)]);
        }
        return this.getGateway(id);
    }
    async gatewayParameters(gateway) {
        const rows = await this.query(`SELECT * FROM gateway_parameters WHERE gateway = $1 ORDER BY parameter ${BYTEWISE}`, [gateway]);
        return rows.map(parameterFromRow).map(({ gateway: _, ...p }) => p);
    }
    async latestParameterValues(parameter) {
        const rows = await this.query(`SELECT * FROM gateway_parameters WHERE parameter = $1 ORDER BY gateway ${BYTEWISE}`, [parameter]);
        return rows.map(parameterFromRow);
    }
    async readingHours(from, to) {
        const rows = await this.query('SELECT gateway, hour_ms, readings FROM reading_hours WHERE hour_ms >= $1 AND hour_ms < $2', [from, to]);
        return rows.map((r) => ({ gateway: r.gateway, hour: r.hour_ms, readings: r.readings }));
    }
    async countReadings(gateway, from, to, atMost) {
        const [row] = await this.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM readings WHERE gateway = $1 AND time_ms >= $2 AND time_ms < $3 LIMIT $4) r`, [gateway, from, to, atMost]);
        return row?.n ?? 0;
    }
    async seriesMinutes(gateway, parameter, from, to) {
        const rows = await this.query(`SELECT * FROM series_minutes WHERE gateway = $1 AND parameter = $2 AND minute_ms >= $3 AND minute_ms < $4
       ORDER BY minute_ms`, [gateway, parameter, from, to]);
        return rows.map(minuteFromRow);
    }
    async close() {
        if (!this.pool.ended)
            await this.pool.end();
    }
}
function readingTimes(req) {
    return req.container.messages.flatMap((m) => m.body.type === 'SondeDataContainer' ? m.body.readings.map((r) => readingTime(r, req.receivedAt)) : []);
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
//# sourceMappingURL=postgres.js.map