// What only the PostgreSQL backend has: partitions made ahead, migrations under a lock, several sinks (stores) on
// one database, and a password that never shows. The Store contract itself is in store.test.ts.
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from './postgres.js';
import { arrayLiteral } from './postgres-ingest.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { T0, commandAnswer, container, measure } from '../../test/sink/containers.js';
import { startPostgres, type PostgresServer } from '../../test/support/postgres.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { performance } from 'node:perf_hooks';
import { IngestDeadlineError, type IngestOutcome, type NewCommand } from './store.js';
import { pollUntil } from '../../lab/poll.js';

const DAY = 86_400_000;
let server: PostgresServer;
const opened: PostgresStore[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(clients.splice(0).map((c) => c.end()));
});

async function open(url: string, clock = () => T0): Promise<PostgresStore> {
  const store = await PostgresStore.open({ url, clock });
  opened.push(store);
  return store;
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client(url);
  clients.push(client);
  await client.connect();
  return (await client.query<R>(text, values)).rows;
}

function ok(outcome: IngestOutcome | undefined): Extract<IngestOutcome, { ok: true }> {
  if (!outcome?.ok) throw outcome?.error ?? new Error('no outcome');
  return outcome;
}

async function ingest(store: PostgresStore, c: MessagesContainer, now = T0, legacy = false) {
  const [outcome] = await store.ingest([
    { gatewayId: c.gatewayId ?? 'gw1', container: c, receivedAt: now, legacy, maxCommands: 10 },
  ]);
  return ok(outcome);
}

/** Which table each reading of gw1 is stored in, by sequence. */
async function partitionOf(url: string): Promise<Record<number, string>> {
  const rows = await sql<{ sequence: string; part: string }>(
    url,
    "SELECT sequence, tableoid::regclass::text AS part FROM readings WHERE gateway = 'gw1'",
  );
  return Object.fromEntries(rows.map((r) => [Number(r.sequence), r.part]));
}

describe('PostgresStore partitions', () => {
  it('makes this month and the next at open, and a month for a backlog', async () => {
    const url = await server.createDatabase();
    const store = await open(url);
    const parts = await sql<{ name: string }>(
      url,
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass ORDER BY 1",
    );
    // T0 is 2026-11-20.
    expect(parts.map((p) => p.name)).toEqual(['readings_2026_11', 'readings_2026_12', 'readings_other']);

    await store.addGateway('gw1', 'h', T0);
    const aMonthAgo = T0 - 40 * DAY; // 2026-10-11: a backlog, within the window
    await ingest(store, container('gw1', [measure(1, aMonthAgo), measure(2, T0 + 15 * DAY)]));
    expect(await partitionOf(url)).toEqual({ 1: 'readings_2026_10', 2: 'readings_2026_12' });
  });

  it('puts a reading from a far-off clock in readings_other, and moves it into its month once that is made', async () => {
    const url = await server.createDatabase();
    let now = T0;
    const store = await open(url, () => now);
    await store.addGateway('gw1', 'h', T0);
    const farPast = Date.UTC(1990, 0, 1);
    const nextSpring = Date.UTC(2027, 2, 10); // beyond the months made ahead of November 2026
    await ingest(store, container('gw1', [measure(1, farPast), measure(2, nextSpring)]));
    expect(await partitionOf(url)).toEqual({ 1: 'readings_other', 2: 'readings_other' });

    now = Date.UTC(2027, 1, 1); // February: March is now a month ahead
    await ingest(store, container('gw1', [measure(3, now)]));
    expect(await partitionOf(url)).toEqual({ 1: 'readings_other', 2: 'readings_2027_03', 3: 'readings_2027_02' });
    const all = [];
    for await (const r of store.readings({ gateway: 'gw1' })) all.push(r.sequence);
    expect(all).toEqual([1, 3, 2]);
  });
});

describe('PostgresStore round trips', () => {
  // What a container's ingest waits on (docs/postgres.md "ingest and round trips"): every query any pg client sends
  // while the batch is stored, the batch's BEGIN and COMMIT included.
  async function roundTrips(store: PostgresStore, c: MessagesContainer): Promise<number> {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await ingest(store, c);
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('stores the next container of a steady gateway in four round trips', async () => {
    const store = await open(await server.createDatabase());
    await store.addGateway('gw1', 'h', T0);
    await ingest(store, container('gw1', [measure(1, T0, 60)]));
    // The savepoint (with BEGIN) riding with the gateway's row lock, the message with its readings (its statement
    // answers the watermark's probe too), the closing statement with the pending commands, COMMIT with the NOTIFY.
    expect(await roundTrips(store, container('gw1', [measure(61, T0 + 60_000, 60)]))).toBe(4);
    expect((await store.getGateway('gw1'))?.acknowledgeUntil).toBe(120);
  });

  it("locks the gateway's row with a statement each connection prepares once, also after a failed batch", async () => {
    // One pooled connection: every batch runs on it, and so does the question below.
    const store = await PostgresStore.open({ url: await server.createDatabase(), clock: () => T0, poolSize: 1 });
    opened.push(store);
    await store.addGateway('gw1', 'h', T0);
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    let sent: string[];
    try {
      await ingest(store, container('gw1', [measure(1, T0, 10)]));
      // A container that fails after the lock (rolled back to its savepoint) leaves the statement prepared.
      await expect(
        store.ingest([
          {
            gatewayId: 'gw1',
            container: container('gw1', [measure(11, T0, 10)]),
            receivedAt: T0,
            legacy: false,
            maxCommands: -1,
          },
        ]),
      ).resolves.toMatchObject([{ ok: false }]);
      await ingest(store, container('gw1', [measure(11, T0 + 10_000, 10)]));
      sent = spy.mock.calls.map(([q]) => (typeof q === 'string' ? q : (q as { text: string }).text));
    } finally {
      spy.mockRestore();
    }
    expect(sent.filter((q) => q.includes('PREPARE dsp_lock_gateway'))).toHaveLength(1);
    expect(sent.filter((q) => q.includes('EXECUTE dsp_lock_gateway'))).toHaveLength(3);
    const client = await store.pool.connect();
    try {
      const { rows } = await client.query<{ executions: number }>(
        "SELECT generic_plans + custom_plans AS executions FROM pg_prepared_statements WHERE name = 'dsp_lock_gateway'",
      );
      expect(rows).toEqual([{ executions: 3 }]);
    } finally {
      client.release();
    }
    expect((await store.getGateway('gw1'))?.acknowledgeUntil).toBe(20);
  });
});

describe('PostgresStore connections', () => {
  it('opens every pooled connection at open when asked (the sink), and only what it uses otherwise', async () => {
    const url = await server.createDatabase();
    const monitor = new pg.Client(url);
    clients.push(monitor);
    await monitor.connect();
    const backends = async () =>
      Number(
        (
          await monitor.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
          )
        ).rows[0]!.n,
      );
    const plain = await PostgresStore.open({ url, clock: () => T0, poolSize: 4 });
    expect(await backends()).toBeLessThan(4);
    await plain.close();
    await pollUntil(backends, (n) => n === 0);
    const sink = await PostgresStore.open({ url, clock: () => T0, poolSize: 4, connectAll: true });
    opened.push(sink);
    expect(await backends()).toBe(4);
    expect(sink.pool.idleCount).toBe(4);
  });
});

describe('PostgresStore ingest deadline', () => {
  it('rolls back a batch that passed a deadline before COMMIT, and goes on with the same connection', async () => {
    const store = await PostgresStore.open({ url: await server.createDatabase(), clock: () => T0, poolSize: 1 });
    opened.push(store);
    await store.addGateway('gw1', 'h', T0);
    const late = { gatewayId: 'gw1', receivedAt: T0, legacy: false, maxCommands: 10, deadline: performance.now() };
    await expect(store.ingest([{ ...late, container: container('gw1', [measure(1, T0, 10)]) }])).rejects.toThrow(
      IngestDeadlineError,
    );
    expect((await store.getGateway('gw1'))?.acknowledgeUntil).toBe(0);
    expect(await store.countReadings({ gateway: 'gw1' })).toBe(0);
    await ingest(store, container('gw1', [measure(1, T0, 10)]));
    expect((await store.getGateway('gw1'))?.acknowledgeUntil).toBe(10);
  });
});

describe('array literals of the ingest statements', () => {
  it('read back as the values written, whatever the text holds', async () => {
    const url = await server.createDatabase();
    const client = new pg.Client(url);
    clients.push(client);
    await client.connect();
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }).filter((t) => !t.includes('\u0000')),
      fc.constantFrom('', 'NULL', 'null', '"', '\\', '\\"', '{a,b}', ' spaced ', 'a,b', '°C'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 8 }), async (values) => {
        const { rows } = await client.query<{ a: (string | null)[] }>('SELECT $1::text[] AS a', [arrayLiteral(values)]);
        expect(rows[0]?.a).toEqual(values);
      }),
      { numRuns: 200 },
    );
    const numbers = [1, -2, null, 1_795_132_800_000, 0];
    const { rows } = await client.query<{ a: string[] }>('SELECT $1::bigint[]::text[] AS a', [arrayLiteral(numbers)]);
    expect(rows[0]?.a).toEqual(numbers.map((n) => (n === null ? null : String(n))));
  });
});

describe('PostgresStore migrations', () => {
  it('migrates once when two sinks open a new database at the same moment', async () => {
    const url = await server.createDatabase();
    await Promise.all([open(url), open(url), open(url)]);
    const versions = await sql<{ version: number }>(url, 'SELECT version FROM schema_version ORDER BY version');
    expect(versions).toEqual(POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
  });
});

describe('PostgresStore with two sinks on one database', () => {
  async function twoSinks() {
    const url = await server.createDatabase();
    const a = await open(url);
    const b = await open(url);
    await a.addGateway('gw1', 'h', T0);
    return { a, b, url };
  }

  function command(id: string): NewCommand {
    return {
      id,
      gateway: 'gw1',
      kind: 'update',
      consumer: 'org.netbeams.dsp.ysi',
      properties: { SAMPLING_INTERVAL: '2' },
      createdAt: T0,
      expiresAt: T0 + DAY,
    };
  }

  it('stores a container that reaches both sinks at once once, and acknowledges only what is stored', async () => {
    const { a, b } = await twoSinks();
    const c = container('gw1', [measure(1, T0, 50), measure(51, T0 + 60_000, 50)]);
    // The backlog and the live lane at once, through different sinks: 101-150 arrive while 1-100 commit.
    const live = container('gw1', [measure(101, T0 + 120_000, 50)]);
    const [first, second, third] = await Promise.all([ingest(a, c), ingest(b, c), ingest(b, live)]);
    expect(first.readings.length + second.readings.length).toBe(100);
    expect(first.duplicates + second.duplicates).toBe(100);
    expect(third.readings).toHaveLength(50);
    expect((await a.getGateway('gw1'))?.acknowledgeUntil).toBe(150);
    let n = 0;
    for await (const _ of a.readings({ gateway: 'gw1' })) n++;
    expect(n).toBe(150);
  });

  it('delivers a queued command to a legacy gateway through one sink only', async () => {
    const { a, b, url } = await twoSinks();
    await a.addCommand(command('cmd-1'));
    // Hold the command's row: sink a stops after choosing the command to send, before marking it delivered.
    const holder = new pg.Client(url);
    clients.push(holder);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query("SELECT 1 FROM commands WHERE id = 'cmd-1' FOR UPDATE");
    const lockWaits = async () =>
      (
        await sql<{ n: number }>(url, "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
      )[0]!.n;
    const first = ingest(a, container('gw1', [measure(1)]), T0, true);
    await pollUntil(lockWaits, (n) => n === 1);
    // Sink b now stores a container of the same gateway: it must wait for a, not send the command again.
    let secondDone = false;
    const second = ingest(b, container('gw1', [measure(2)]), T0, true).finally(() => (secondDone = true));
    await pollUntil(async () => secondDone || (await lockWaits()) === 2, Boolean);
    await holder.query('COMMIT');
    const outcomes = await Promise.all([first, second]);
    expect(outcomes.map((o) => o.commands.map((c) => c.id))).toEqual([['cmd-1'], []]);
  });

  it('stops a revoked token on the other sink at once', async () => {
    const { a, b } = await twoSinks();
    expect(await b.gatewayForTokenHash('h')).toEqual({ id: 'gw1', tokenHash: 'h' });
    expect(await a.revokeGateway('gw1', T0)).toBe(true);
    expect(await b.gatewayForTokenHash('h')).toBeUndefined();
    expect(await b.revokeGateway('gw1', T0)).toBe(false);
  });

  it('completes a command once when its answer reaches both sinks', async () => {
    const { a, b } = await twoSinks();
    await a.addCommand(command('cmd-1'));
    // Two answers to one command (a resend with a new message id), one through each sink.
    const outcomes = await Promise.all([
      ingest(a, container('gw1', [commandAnswer(1, 'cmd-1', 'AcknowledgementMessage', { RESULT: 'applied' })])),
      ingest(b, container('gw1', [commandAnswer(2, 'cmd-1', 'AcknowledgementMessage', { RESULT: 'applied' })])),
    ]);
    expect(outcomes.flatMap((o) => o.completedCommands.map((c) => c.id))).toEqual(['cmd-1']);
  });
});

describe('PostgresStore secrets', () => {
  const password = 'Hunter2-s3cret/pw';
  const encoded = encodeURIComponent(password);

  it('never shows the password when the database cannot be reached', async () => {
    // A port nothing listens on.
    const url = `postgres://dsp:${encoded}@127.0.0.1:1/sink`;
    const error = await PostgresStore.open({ url, connectTimeoutMs: 2000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /cannot open the store in PostgreSQL database postgres:\/\/dsp:\*\*\*@127\.0\.0\.1:1/,
    );
    expect(JSON.stringify(error)).not.toContain('s3cret');
    expect(error?.message).not.toContain('s3cret');
  });

  it('never shows the password of a malformed URL', async () => {
    const url = `postgres://dsp:${encoded}@127.0.0.1:notaport/sink`;
    const error = await PostgresStore.open({ url }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify(error)).not.toContain('s3cret');
    expect(error?.message).not.toContain('s3cret');
  });

  it('never shows the password when the server refuses it', async () => {
    const url = server.url('postgres').replace(/:[^:@/]+@/, `:${encoded}@`);
    const error = await PostgresStore.open({ url }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/password authentication failed/);
    expect(error?.message).not.toContain('s3cret');
  });
});
