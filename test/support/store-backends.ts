// The sink's storage backends as tests see them: each test opens a store on fresh storage (a new SQLite file, a
// new PostgreSQL database), may open more stores on the same storage (a reopen, a second sink), and drops it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../sink/store/open.js';
import { PostgresStore, type PostgresStoreOptions } from '../../sink/store/postgres.js';
import type { Store } from '../../sink/store/store.js';
import { startPostgres, type PostgresServer } from './postgres.js';

export interface Storage {
  /** Where the store lives: a file path or a postgres:// URL. */
  location: string;
  /** Another store on the same storage (a restart, or a second sink). */
  open(): Promise<Store>;
  /** Marks the storage as written by a newer dsp-sink (its schema version; the store must be closed). */
  forceSchemaVersion(version: number): Promise<void>;
  drop(): Promise<void>;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Once per file (beforeAll): PostgreSQL starts its server here. */
  start(): Promise<void>;
  stop(): Promise<void>;
  fresh(): Promise<Storage>;
}

export function sqliteBackend(): StoreBackend {
  return {
    name: 'sqlite',
    async start() {},
    async stop() {},
    async fresh() {
      const dir = mkdtempSync(path.join(tmpdir(), 'sink-store-'));
      const location = path.join(dir, 'sink.db');
      return {
        location,
        open: () => openStore(location),
        forceSchemaVersion: async (version) => {
          const db = new Database(location);
          db.pragma(`user_version = ${version}`);
          db.close();
        },
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

export function postgresBackend(options: Omit<PostgresStoreOptions, 'url'> = {}): StoreBackend {
  let server: PostgresServer | undefined;
  return {
    name: 'postgres',
    async start() {
      server = await startPostgres();
    },
    async stop() {
      await server?.stop();
    },
    async fresh() {
      if (!server) throw new Error('postgresBackend: start() first');
      const location = await server.createDatabase();
      return {
        location,
        open: async () => {
          const store = await openStore(location, options);
          if (!(store instanceof PostgresStore)) throw new Error(`not a PostgreSQL store: ${location}`);
          return store;
        },
        forceSchemaVersion: async (version) => {
          const client = new pg.Client(location);
          await client.connect();
          await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
          await client.end();
        },
        drop: async () => {},
      };
    },
  };
}

export const STORE_BACKENDS = [sqliteBackend(), postgresBackend()];
