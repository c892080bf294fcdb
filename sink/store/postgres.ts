// The PostgreSQL backend (pg Pool): several sinks may share one database. Open with PostgresStore.open(); the
// schema is migrated at open (postgres-schema.ts), readings partitions are made ahead (postgres-partitions.ts).
import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Logger } from '../../common/log.js';
import { ingestContainer, readingTime, runAsync } from './ingest-steps.js';
import { keysetScan, type TimeCursor } from './keyset.js';
import { ReadingPartitions } from './postgres-partitions.js';
import { BYTEWISE, PostgresIngestOps } from './postgres-ingest.js';
import { isConnectionFailure } from './postgres-errors.js';
import { migrate } from './postgres-schema.js';
import { dropReadingsBefore } from './postgres-retention.js';
import { noticePayloads, READINGS_CHANNEL, ReadingsListener } from './postgres-notify.js';
import { redact, redactError, redactUrl } from './postgres-url.js';
import {
  GATEWAY_SELECT,
  commandFromRow,
  gapFromRow,
  gatewayFromRow,
  messageFromRow,
  minuteFromRow,
  newCommandValues,
  parameterFromRow,
  readingFromRow,
  valueKeyNeedle,
  stationAssignments,
  type MinuteRow,
  type ParameterRow,
  type CommandRow,
  type GapRow,
  type GatewayRow,
  type MessageRow,
  type ReadingRow,
} from './rows.js';
import { SchemaTooNewError } from './schema-version.js';
import {
  COMMAND_STATES,
  IngestDeadlineError,
  pastDeadline,
  StoreConflictError,
  StoreUnavailableError,
  type CommandState,
  type GapEvent,
  type GatewayRecord,
  type HourCount,
  type IngestOutcome,
  type MinuteAggregate,
  type ParameterSummary,
  type StationPatch,
  type IngestRequest,
  type NewCommand,
  type ReadingCountQuery,
  type ReadingsQuery,
  type Store,
  type StoredCommand,
  type StoredMessage,
  type StoredReading,
} from './store.js';

export interface PostgresStoreOptions {
  /** postgres:// or postgresql:// URL (libpq's sslmode and the like are read from it too). */
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** A statement running longer is cancelled (the container fails, the agent retries). */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** TLS to the database, beyond what the URL says. */
  ssl?: boolean | ConnectionOptions;
  /** Decides which monthly partitions to make ahead (tests move it). */
  clock?: () => number;
  /** Where errors of idle pooled connections go (they are redacted). */
  logger?: Logger;
  /**
   * Open every pooled connection before answering (the sink, before it listens): the first requests do not wait
   * for connections being made, and a pool the server cannot hold (poolSize × sinks above max_connections) stops
   * the start instead of failing under load.
   */
  connectAll?: boolean;
}

export const POSTGRES_DEFAULTS = { poolSize: 10, statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 } as const;

/** Pooled connections kept from ingest for the token lookups of arriving requests and the data API. */
const RESERVED_CONNECTIONS = 2;

const INT8 = 20;
const JSON_OID = 114;

/** bigint columns hold epoch ms, sequences and counts: all within Number's exact range. JSON stays text (rows.ts). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === JSON_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** Opens `count` connections of `pool` at once and leaves them in it, idle (the pool keeps them: idleTimeoutMillis 0). */
async function connectAll(pool: pg.Pool, count: number): Promise<void> {
  const clients = await Promise.allSettled(Array.from({ length: count }, () => pool.connect()));
  for (const c of clients) if (c.status === 'fulfilled') c.value.release();
  const failed = clients.find((c) => c.status === 'rejected');
  if (failed) throw failed.reason;
}

export class PostgresStore implements Store {
  private constructor(
    /** Pool and partitions are used directly by dsp-sink copy (copy-postgres.ts), which moves rows as they are. */
    readonly pool: pg.Pool,
    readonly partitions: ReadingPartitions,
    readonly url: string,
    private readonly connection: pg.ClientConfig,
    private readonly logger: Logger | undefined,
    poolSize: number,
  ) {
    this.ingestConcurrency = Math.max(1, poolSize - RESERVED_CONNECTIONS);
  }

  /**
   * Batches in flight on as many pooled connections: one gateway's containers are serialised by its row lock
   * (postgres-ingest.ts), so batches of one sink run side by side as those of several sinks do.
   */
  readonly ingestConcurrency: number;

  /** Tells this store's notifications from other sinks' (postgres-notify.ts). */
  private readonly origin = randomUUID();

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { url } = options;
    const where = `PostgreSQL database ${redactUrl(url)}`;
    let pool: pg.Pool | undefined;
    try {
      const connection: pg.ClientConfig = {
        connectionString: url,
        statement_timeout: options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs,
        connectionTimeoutMillis: options.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs,
        ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
        types: TYPES,
      };
      const poolSize = options.poolSize ?? POSTGRES_DEFAULTS.poolSize;
      // Connections are kept while the store is open (pg closes one idle for 10 s by default): under a steady
      // load the pool hands out its most recently used connections, the others idle out, and the next clump of
      // requests waited for new ones (a backend started, authenticated, its catalog caches and every named
      // statement prepared again): each new connection of a steady fleet lined up with a slow second
      // (docs/postgres.md, "Where the steady tail came from").
      pool = new pg.Pool({ ...connection, max: poolSize, idleTimeoutMillis: 0 });
      // An idle connection that breaks must not crash the process: the pool drops it and opens another.
      pool.on('error', (error) => options.logger?.warn('postgres connection lost', { err: redactError(error, url) }));
      await migrate(pool, where);
      const partitions = new ReadingPartitions(pool, options.clock ?? Date.now);
      await partitions.load();
      await partitions.ensure();
      if (options.connectAll) await connectAll(pool, poolSize);
      return new PostgresStore(pool, partitions, url, connection, options.logger, poolSize);
    } catch (error) {
      await pool?.end().catch(() => undefined);
      if (error instanceof SchemaTooNewError) throw new SchemaTooNewError(redact(error.message, url));
      throw redactError(error, url, `cannot open the store in ${where}`);
    }
  }

  /**
   * Runs a query; a failure comes back with the password redacted. `name`: a statement every request runs, which
   * each pooled connection then parses and plans once, not at every call.
   */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], name?: string): Promise<R[]> {
    try {
      return (await this.pool.query<R>({ text, values, ...(name === undefined ? {} : { name }) })).rows;
    } catch (error) {
      if (isConnectionFailure(error)) {
        throw new StoreUnavailableError(redact(`database unreachable: ${(error as Error).message}`, this.url));
      }
      throw redactError(error, this.url);
    }
  }

  async watchReadings(
    onReadings: (readings: StoredReading[]) => void,
    onResync: () => Promise<void>,
  ): Promise<() => Promise<void>> {
    const listener = new ReadingsListener({
      connection: this.connection,
      url: this.url,
      origin: this.origin,
      logger: this.logger,
      onResync,
      onRanges: async (ranges) => {
        // One range scan of each partition's primary key (id, time_ms) per range: a LATERAL subquery fenced by
        // OFFSET 0, which the planner cannot flatten. As a join (or a flattened LATERAL) it walked a whole partition
        // in id order for a notification of a few rows (2.7 s with 180,000 readings stored; 200 ms a call on
        // average during a two-sink burst, where PostgreSQL spent most of its CPU there).
        const rows = await this.query<ReadingRow>(
          `SELECT r.* FROM unnest($1::bigint[], $2::bigint[]) AS t(lo, hi)
           CROSS JOIN LATERAL (SELECT * FROM readings WHERE id BETWEEN t.lo AND t.hi OFFSET 0) r
           ORDER BY r.id`,
          [ranges.map((r) => r[0]), ranges.map((r) => r[1])],
          'readings-notified',
        );
        if (rows.length > 0) onReadings(rows.map(readingFromRow));
      },
    });
    await listener.start();
    return () => listener.close();
  }

  async dropReadingsBefore(before: number): Promise<string[]> {
    try {
      return await dropReadingsBefore(this.pool, before);
    } catch (error) {
      throw redactError(error, this.url);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async addGateway(id: string, tokenHash: string, now: number): Promise<void> {
    // One statement: a token is only replaced on a revoked or token-less gateway, even with two admins at once.
    const rows = await this.query(
      `INSERT INTO gateways (id, token_hash, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL
       WHERE gateways.token_hash IS NULL OR gateways.revoked_at IS NOT NULL
       RETURNING 1`,
      [id, tokenHash, now],
    );
    if (rows.length === 0) {
      throw new StoreConflictError(`gateway ${id} already exists; revoke it first to issue a new token`);
    }
  }

  async ensureGateway(id: string, now: number): Promise<void> {
    await this.query('INSERT INTO gateways (id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, now]);
  }

  async revokeGateway(id: string, now: number): Promise<boolean> {
    const rows = await this.query(
      'UPDATE gateways SET revoked_at = $1, token_hash = NULL WHERE id = $2 AND revoked_at IS NULL RETURNING 1',
      [now, id],
    );
    return rows.length > 0;
  }

  async gatewayForTokenHash(tokenHash: string): Promise<{ id: string; tokenHash: string } | undefined> {
    const [row] = await this.query<{ id: string; token_hash: string }>(
      'SELECT id, token_hash FROM gateways WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash],
      'gateway-for-token',
    );
    return row ? { id: row.id, tokenHash: row.token_hash } : undefined;
  }

  async listGateways(): Promise<GatewayRecord[]> {
    return (await this.query<GatewayRow>(`${GATEWAY_SELECT} ORDER BY g.id ${BYTEWISE}`)).map(gatewayFromRow);
  }

  async getGateway(id: string): Promise<GatewayRecord | undefined> {
    const [row] = await this.query<GatewayRow>(`${GATEWAY_SELECT} WHERE g.id = $1`, [id]);
    return row ? gatewayFromRow(row) : undefined;
  }

  /**
   * One transaction for the batch, a savepoint per container: a failing container rolls back alone, the others
   * share one COMMIT. Containers are stored in gateway order (results keep the batch's order), so two batches
   * (of two sinks, or of one sink's ingestConcurrency) lock gateway rows in the same order and cannot deadlock.
   */
  async ingest(batch: IngestRequest[]): Promise<IngestOutcome[]> {
    if (batch.length === 0) return [];
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      await this.partitions.ensure(batch.flatMap(readingTimes));
      client = await this.pool.connect();
      const order = batch.map((_, i) => i).sort((a, b) => compare(batch[a]!.gatewayId, batch[b]!.gatewayId));
      const outcomes: IngestOutcome[] = new Array<IngestOutcome>(batch.length);
      // The savepoint statements ride with BEGIN and with each other, and with the container's first query
      // (simple-query strings of several statements): no round trip of their own.
      for (const [k, i] of order.entries()) {
        // Ops of its own: what it held back goes with it if the container fails.
        const ops = new PostgresIngestOps(
          client,
          k === 0 ? 'BEGIN; SAVEPOINT container' : 'RELEASE SAVEPOINT container; SAVEPOINT container',
        );
        try {
          const outcome = await runAsync(ingestContainer(ops, batch[i]!));
          await ops.flush();
          outcomes[i] = outcome;
        } catch (error) {
          // Fails too when the connection is gone: then the whole batch fails below.
          await ops.open();
          await client.query('ROLLBACK TO SAVEPOINT container');
          outcomes[i] = { ok: false, error: redactError(error, this.url) };
        }
      }
      if (batch.some((request) => pastDeadline(request))) {
        // Committed now, the answers might come after the load balancer gave up (504) on a stored container.
        await client.query('ROLLBACK');
        throw new IngestDeadlineError("the batch passed a container's deadline before COMMIT: rolled back");
      }
      // Delivered to the other sinks at COMMIT, and not at all if it fails.
      const ids = outcomes.flatMap((o) => (o.ok ? o.readings.map((r) => r.id) : []));
      const notices = noticePayloads(this.origin, ids).map(
        (payload) => `NOTIFY ${READINGS_CHANNEL}, ${client!.escapeLiteral(payload)}; `,
      );
      await client.query(`${notices.join('')}COMMIT`);
      return outcomes;
    } catch (error) {
      if (error instanceof IngestDeadlineError) throw error; // rolled back; the connection is fine
      broken = error instanceof Error ? error : new Error(String(error));
      await client?.query('ROLLBACK').catch(() => undefined);
      // Nothing of the batch is stored: the agents retry (503).
      throw new StoreUnavailableError(redact(`store commit failed: ${broken.message}`, this.url));
    } finally {
      // A connection that failed is closed rather than handed to the next batch in an unknown state.
      client?.release(broken);
    }
  }

  async addCommand(command: NewCommand): Promise<StoredCommand> {
    await this.query(
      `INSERT INTO commands (id, gateway, kind, consumer, properties, state, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5::json, 'queued', $6, $7)`,
      newCommandValues(command),
    );
    return { ...command, state: 'queued' };
  }

  async listCommands(gateway: string, now: number): Promise<StoredCommand[]> {
    await this.query(
      "UPDATE commands SET state = 'expired' WHERE gateway = $1 AND state = 'queued' AND expires_at <= $2",
      [gateway, now],
    );
    const rows = await this.query<CommandRow>(
      `SELECT * FROM commands WHERE gateway = $1 ORDER BY created_at, id ${BYTEWISE}`,
      [gateway],
    );
    return rows.map(commandFromRow);
  }

  async *readings(query: ReadingsQuery): AsyncIterable<StoredReading> {
    const to = query.to ?? Number.MAX_SAFE_INTEGER;
    const from = query.from ?? Number.MIN_SAFE_INTEGER;
    // time_ms >= $time repeats the row comparison's bound in a form the planner prunes partitions with.
    const fetch =
      query.gateway === undefined
        ? (c: TimeCursor, limit: number) =>
            this.query<ReadingRow>(
              `SELECT * FROM readings WHERE time_ms >= $1 AND (time_ms, id) > ($1, $2) AND time_ms < $3
               ORDER BY time_ms, id LIMIT $4`,
              [c.time, c.id, to, limit],
            )
        : (c: TimeCursor, limit: number) =>
            this.query<ReadingRow>(
              `SELECT * FROM readings WHERE gateway = $5 AND time_ms >= $1 AND (time_ms, id) > ($1, $2) AND time_ms < $3
               ORDER BY time_ms, id LIMIT $4`,
              [c.time, c.id, to, limit, query.gateway],
            );
    for await (const row of keysetScan(fetch, from, query.limit)) yield readingFromRow(row);
  }

  async *readingTimes(gateway: string, from: number, to: number): AsyncIterable<number> {
    const fetch = (c: TimeCursor, limit: number) =>
      this.query<{ time_ms: number; id: number }>(
        `SELECT time_ms, id FROM readings WHERE gateway = $1 AND time_ms >= $2 AND (time_ms, id) > ($2, $3)
         AND time_ms < $4 ORDER BY time_ms, id LIMIT $5`,
        [gateway, c.time, c.id, to, limit],
      );
    for await (const row of keysetScan(fetch, from)) yield row.time_ms;
  }

  async latestReading(gateway: string): Promise<StoredReading | undefined> {
    const [row] = await this.query<ReadingRow>(
      'SELECT * FROM readings WHERE gateway = $1 ORDER BY time_ms DESC, id DESC LIMIT 1',
      [gateway],
    );
    return row ? readingFromRow(row) : undefined;
  }

  async *readingsNewestFirst(query: ReadingsQuery): AsyncIterable<StoredReading> {
    const from = query.from ?? Number.MIN_SAFE_INTEGER;
    const gateway = query.gateway === undefined ? '' : 'gateway = $5 AND';
    const fetch = (c: TimeCursor, limit: number) =>
      this.query<ReadingRow>(
        `SELECT * FROM readings WHERE ${gateway} time_ms <= $1 AND (time_ms, id) < ($1, $2) AND time_ms >= $3
         ORDER BY time_ms DESC, id DESC LIMIT $4`,
        [c.time, c.id, from, limit, ...(query.gateway === undefined ? [] : [query.gateway])],
      );
    // The cursor starts at (to, -1): every row strictly before `to`.
    for await (const row of keysetScan(fetch, query.to ?? Number.MAX_SAFE_INTEGER, query.limit)) {
      yield readingFromRow(row);
    }
  }

  async readingBySequence(gateway: string, sequence: number): Promise<StoredReading | undefined> {
    const [row] = await this.query<ReadingRow>('SELECT * FROM readings WHERE gateway = $1 AND sequence = $2', [
      gateway,
      sequence,
    ]);
    return row ? readingFromRow(row) : undefined;
  }

  async countReadings(query: ReadingCountQuery): Promise<number> {
    const values: unknown[] = [query.from ?? Number.MIN_SAFE_INTEGER, query.to ?? Number.MAX_SAFE_INTEGER];
    const conditions = ['time_ms >= $1', 'time_ms < $2'];
    if (query.gateway !== undefined) conditions.push(`gateway = $${values.push(query.gateway)}`);
    if (query.key !== undefined) conditions.push(`strpos(data::text, $${values.push(valueKeyNeedle(query.key))}) > 0`);
    // LIMIT NULL is no limit.
    const limit = `$${values.push(query.atMost ?? null)}`;
    const [row] = await this.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM readings WHERE ${conditions.join(' AND ')} LIMIT ${limit}) r`,
      values,
    );
    return row?.n ?? 0;
  }

  async readingsStoredAfter(afterId: number, gateway: string | undefined, limit: number): Promise<StoredReading[]> {
    const rows =
      gateway === undefined
        ? await this.query<ReadingRow>('SELECT * FROM readings WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit])
        : await this.query<ReadingRow>('SELECT * FROM readings WHERE gateway = $1 AND id > $2 ORDER BY id LIMIT $3', [
            gateway,
            afterId,
            limit,
          ]);
    return rows.map(readingFromRow);
  }

  async gaps(gateway?: string): Promise<GapEvent[]> {
    const rows =
      gateway === undefined
        ? await this.query<GapRow>('SELECT * FROM gap_events ORDER BY id')
        : await this.query<GapRow>('SELECT * FROM gap_events WHERE gateway = $1 ORDER BY id', [gateway]);
    return rows.map(gapFromRow);
  }

  async messages(gateway: string, limit: number): Promise<StoredMessage[]> {
    const rows = await this.query<MessageRow>(
      'SELECT * FROM messages WHERE gateway = $1 ORDER BY received_at DESC LIMIT $2',
      [gateway, limit],
    );
    return rows.map(messageFromRow);
  }

  async messagesOfContentType(contentType: string): Promise<StoredMessage[]> {
    const rows = await this.query<MessageRow>(
      "SELECT * FROM messages WHERE content_type = $1 AND content_type <> 'org.netbeams.dsp.ysi.SondeDataContainer' ORDER BY gateway, created_at",
      [contentType],
    );
    return rows.map(messageFromRow);
  }

  async commandCounts(): Promise<Record<CommandState, number>> {
    const counts = Object.fromEntries(COMMAND_STATES.map((s) => [s, 0])) as Record<CommandState, number>;
    const rows = await this.query<{ state: CommandState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM commands GROUP BY state',
    );
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  async updateStation(id: string, patch: StationPatch): Promise<GatewayRecord | undefined> {
    const assignments = stationAssignments(patch);
    if (assignments.length > 0) {
      await this.query(
        `UPDATE gateways SET ${assignments.map(([column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`,
        [id, ...assignments.map(([, value]) => value)],
      );
    }
    return this.getGateway(id);
  }

  async gatewayParameters(gateway: string): Promise<ParameterSummary[]> {
    const rows = await this.query<ParameterRow>(
      `SELECT * FROM gateway_parameters WHERE gateway = $1 ORDER BY parameter ${BYTEWISE}`,
      [gateway],
    );
    return rows.map(parameterFromRow).map(({ gateway: _, ...p }) => p);
  }

  async latestParameterValues(parameter: string): Promise<Array<ParameterSummary & { gateway: string }>> {
    const rows = await this.query<ParameterRow>(
      `SELECT * FROM gateway_parameters WHERE parameter = $1 ORDER BY gateway ${BYTEWISE}`,
      [parameter],
    );
    return rows.map(parameterFromRow);
  }

  async readingHours(from: number, to: number): Promise<HourCount[]> {
    const rows = await this.query<{ gateway: string; hour_ms: number; readings: number }>(
      'SELECT gateway, hour_ms, readings FROM reading_hours WHERE hour_ms >= $1 AND hour_ms < $2',
      [from, to],
    );
    return rows.map((r) => ({ gateway: r.gateway, hour: r.hour_ms, readings: r.readings }));
  }

  async seriesMinutes(gateway: string, parameter: string, from: number, to: number): Promise<MinuteAggregate[]> {
    const rows = await this.query<MinuteRow>(
      `SELECT * FROM series_minutes WHERE gateway = $1 AND parameter = $2 AND minute_ms >= $3 AND minute_ms < $4
       ORDER BY minute_ms`,
      [gateway, parameter, from, to],
    );
    return rows.map(minuteFromRow);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

function readingTimes(req: IngestRequest): number[] {
  return req.container.messages.flatMap((m) =>
    m.body.type === 'SondeDataContainer' ? m.body.readings.map((r) => readingTime(r, req.receivedAt)) : [],
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
