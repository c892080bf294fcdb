// A real sink in the test process (InProcessSink; not the scripted TestSink of the agent tests) on 127.0.0.1
// (port 0) with a real SQLite file in a temp dir (or the `db` given: a PostgreSQL URL, see sinkOnBackend), for
// the sink's HTTP tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../../common/log.js';
import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { resolveConfig, type SinkConfigInput } from '../../sink/config.js';
import { startSink, type RunningSink } from '../../sink/sink.js';
import { generateToken, hashToken } from '../../sink/tokens.js';
import type { StoreBackend } from '../support/store-backends.js';

export const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';

export interface InProcessSink {
  sink: RunningSink;
  url: string;
  dir: string;
  db: string;
  logs: () => Record<string, unknown>[];
  addGateway(id: string): Promise<string>;
  /** POSTs a native container as the gateway; returns the raw response. */
  post(token: string, container: MessagesContainer, init?: { headers?: Record<string, string> }): Promise<Response>;
  /** POSTs and decodes a 200 answer (fails the test on any other status). */
  exchange(token: string, container: MessagesContainer): Promise<MessagesContainer>;
  api(pathAndQuery: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** Stops the sink and starts a new one on the same database file (new port). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startInProcessSink(overrides: SinkConfigInput = {}): Promise<InProcessSink> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sink-http-'));
  const db = overrides.db ?? path.join(dir, 'sink.db');
  const config = resolveConfig({}, { port: 0, host: '127.0.0.1', operatorToken: OPERATOR_TOKEN, ...overrides, db }, {});
  const { logger, lines } = memoryLogger({ component: 'dsp-sink' });
  let sink = await startSink(config, logger);

  const post: InProcessSink['post'] = (token, container, init = {}) =>
    fetch(`${sink.url}/transportDspMessages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}`, ...init.headers },
      body: encodeContainer(container),
    });

  const harness: InProcessSink = {
    sink,
    url: sink.url,
    dir,
    db,
    logs: lines,
    addGateway: async (id) => {
      const token = generateToken();
      await sink.services.store.addGateway(id, hashToken(token), Date.now());
      return token;
    },
    post,
    exchange: async (token, container) => {
      const res = await post(token, container);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
      return decodeContainer(text);
    },
    api: (pathAndQuery, init = {}) => {
      const { token = OPERATOR_TOKEN, headers, ...rest } = init;
      return fetch(`${sink.url}${pathAndQuery}`, {
        ...rest,
        headers: {
          ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
          ...(headers as Record<string, string>),
        },
      });
    },
    restart: async () => {
      await sink.close();
      sink = await startSink(config, logger);
      harness.sink = sink;
      harness.url = sink.url;
    },
    close: async () => {
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * Starts in-process sinks on fresh storage of the backend `current()` names (its server started in the
 * suite's beforeAll), so one suite runs on each backend with describe.each(STORE_BACKENDS).
 */
export function sinkOnBackend(current: () => StoreBackend): (overrides?: SinkConfigInput) => Promise<InProcessSink> {
  return async (overrides = {}) => {
    const storage = await current().fresh();
    const harness = await startInProcessSink({ ...overrides, db: storage.location });
    const close = harness.close;
    harness.close = async () => {
      await close();
      await storage.drop();
    };
    return harness;
  };
}
