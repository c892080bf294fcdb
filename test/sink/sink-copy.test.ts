// dsp-sink copy as a real process: a SQLite network moved to a real PostgreSQL, the copy SIGKILLed half way and
// run again (it resumes), the two databases compared row by row through the Store interface, and the moved
// network answering a resent and a new container exactly as the old one does. A database of another network
// is refused; the way back (PostgreSQL to SQLite) verifies too.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../../lab/poll.js';
import { runSinkCli, SINK_CLI } from '../../lab/sink-process.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { openStore } from '../../sink/store/open.js';
import type { IngestOutcome, IngestRequest, Store } from '../../sink/store/store.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { T0, commandAnswer, container, gapReport, measure } from './containers.js';

let server: PostgresServer;
let dir: string;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sink-copy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MESSAGES = 40;
const PER_MESSAGE = 100;

function request(c: MessagesContainer, receivedAt = T0 + 1_000_000): IngestRequest {
  return { gatewayId: c.gatewayId!, container: c, receivedAt, legacy: false, maxCommands: 10 };
}

async function ingest(store: Store, c: MessagesContainer, receivedAt?: number): Promise<IngestOutcome> {
  const [outcome] = await store.ingest([request(c, receivedAt)]);
  if (!outcome?.ok) throw outcome?.error ?? new Error('no outcome');
  return outcome;
}

/** A network of three gateways: readings, a reported gap, an open discontinuity, commands in every state. */
async function makeNetwork(file: string): Promise<{ lastOfBay1: MessagesContainer }> {
  const store = await openStore(file);
  await store.addGateway('bay-1', 'hash-bay-1', T0);
  await store.addGateway('bay-2', 'hash-bay-2', T0);
  await store.addGateway('old', 'hash-old', T0);
  await store.revokeGateway('old', T0 + 1);
  await store.addCommand({
    id: 'cmd-1',
    gateway: 'bay-1',
    kind: 'update',
    consumer: 'Sonde',
    properties: { interval: '60' },
    createdAt: T0,
    expiresAt: T0 + 10_000_000,
  });
  await store.addCommand({
    id: 'cmd-2',
    gateway: 'bay-2',
    kind: 'query',
    consumer: 'Sonde',
    properties: { interval: '' },
    createdAt: T0,
    expiresAt: T0 + 10_000_000,
  });
  let last: MessagesContainer | undefined;
  for (let i = 0; i < MESSAGES; i++) {
    last = container('bay-1', [measure(1 + i * PER_MESSAGE, T0 + i * PER_MESSAGE * 1000, PER_MESSAGE)]);
    await ingest(store, last);
  }
  const next = MESSAGES * PER_MESSAGE + 1;
  // bay-1 answers its command and reports a lost range; bay-2 jumps a sequence (an open discontinuity).
  last = container('bay-1', [
    commandAnswer(next, 'cmd-1', 'AcknowledgementMessage', { RESULT: 'OK' }),
    gapReport(next + 1, next + 2, next + 5),
  ]);
  await ingest(store, last);
  await ingest(store, container('bay-2', [measure(1, T0, 3), measure(10, T0 + 10_000, 2)]));
  await store.close();
  return { lastOfBay1: last };
}

async function everything(store: Store) {
  const readings = [];
  for await (const r of store.readings({})) readings.push(r);
  const gateways = await store.listGateways();
  const perGateway = await Promise.all(
    gateways.map(async (g) => ({
      commands: await store.listCommands(g.id, T0),
      // Ties of received_at come in no defined order.
      messages: (await store.messages(g.id, 1_000_000)).sort((a, b) => (a.messageId < b.messageId ? -1 : 1)),
      token: await store.gatewayForTokenHash(`hash-${g.id}`),
    })),
  );
  return { gateways, readings, gaps: await store.gaps(), perGateway };
}

/**
 * Waits until the copy into `url` has recorded progress for `table`, polling through one connection: a new
 * connection per read costs a SCRAM handshake, and on a loaded machine the copy could finish between two reads.
 */
async function untilCopying(url: string, table: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await pollUntil(
      async () => (await client.query<{ table_name: string }>('SELECT table_name FROM copy_progress')).rows,
      (rows) => rows.some((r) => r.table_name === table),
      30_000,
      5,
    );
  } finally {
    await client.end();
  }
}

describe('dsp-sink copy', () => {
  it('moves a SQLite network to PostgreSQL, resumes after a SIGKILL, and the copy answers agents as the old sink', async () => {
    const file = path.join(dir, 'sink.db');
    const { lastOfBay1 } = await makeNetwork(file);
    const url = await server.createDatabase();
    const total = MESSAGES * PER_MESSAGE + 5;

    // Small batches: the copy is still busy with readings when it is killed.
    const child = spawn(process.execPath, [SINK_CLI, 'copy', '--from', file, '--to', url, '--batch-size', '5'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await untilCopying(url, 'readings');
    child.kill('SIGKILL');
    await exited;

    const resumed = await runSinkCli(['copy', '--from', file, '--to', url, '--batch-size', '5']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('"msg":"copy verified"');
    const report = JSON.parse(resumed.stdout) as { adopted: boolean; copied: Record<string, number> };
    // Gateways were done before the kill: the second run did not start over.
    expect(report.adopted).toBe(false);
    expect(report.copied.gateways).toBe(0);
    expect(report.copied.readings).toBeGreaterThan(0);
    expect(report.copied.readings).toBeLessThan(total);

    const source = await openStore(file);
    const target = await openStore(url);
    try {
      const [before, after] = [await everything(source), await everything(target)];
      expect(before.readings).toHaveLength(total);
      expect(after).toEqual(before);
      // The revoked gateway stays revoked; the others' tokens work on the copy.
      expect(after.perGateway.map((g) => g.token?.id)).toEqual(['bay-1', 'bay-2', undefined]);

      // An agent that did not get its last answer resends; then it goes on. Both databases answer alike.
      const resend = request(lastOfBay1, T0 + 2_000_000);
      const next = request(
        container('bay-1', [measure(MESSAGES * PER_MESSAGE + 7, T0 + 9_000_000, 3)]),
        T0 + 2_000_001,
      );
      const old = [...(await source.ingest([resend])), ...(await source.ingest([next]))];
      const moved = [...(await target.ingest([resend])), ...(await target.ingest([next]))];
      expect(moved).toEqual(old);
      expect(moved[0]).toMatchObject({
        ok: true,
        storedMessages: 0,
        duplicates: 2,
        acknowledgeUntil: MESSAGES * PER_MESSAGE + 6,
      });
      expect(moved[1]).toMatchObject({ ok: true, storedMessages: 1, acknowledgeUntil: MESSAGES * PER_MESSAGE + 9 });
      expect((await target.getGateway('bay-1'))?.readingsStored).toBe(MESSAGES * PER_MESSAGE + 3);
    } finally {
      await source.close();
      await target.close();
    }
    // Two whole copies and two full reads of both stores: well over the default 30 s on a loaded 2-core machine.
  }, 60_000);

  it('refuses a target that holds another network, and copies back to SQLite', async () => {
    const file = path.join(dir, 'sink.db');
    await makeNetwork(file);
    const other = path.join(dir, 'other.db');
    const url = await server.createDatabase();
    // Another network already lives in the target database.
    const otherNetwork = await openStore(url);
    await otherNetwork.addGateway('elsewhere', 'hash-elsewhere', T0);
    await otherNetwork.close();
    const refused = await runSinkCli(['copy', '--from', file, '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/holds another network .* refusing to mix two networks/);
    expect(refused.stderr).not.toContain(decodeURIComponent(new URL(url).password));

    // Once in PostgreSQL, a network goes back into a new SQLite file, verified the same way.
    const fresh = await server.createDatabase();
    expect((await runSinkCli(['copy', '--from', file, '--to', fresh])).code).toBe(0);
    const back = await runSinkCli(['copy', '--from', fresh, '--to', other]);
    expect(back.code).toBe(0);
    expect(back.stderr).toContain('"msg":"copy verified"');
    // Copying into the first network's own SQLite file again is a no-op that verifies.
    const again = await runSinkCli(['copy', '--from', fresh, '--to', file]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ adopted: false });
  });
});
