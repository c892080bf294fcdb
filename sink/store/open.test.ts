import { describe, expect, it } from 'vitest';
import { isPostgresUrl } from './open.js';

describe('openStore: which backend a --db value names', () => {
  it('takes postgres:// and postgresql:// URLs for PostgreSQL', () => {
    expect(['postgres://h/db', 'postgresql://u:p@h:5432/db', 'POSTGRES://h/db'].map(isPostgresUrl)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('takes anything else for the path of a SQLite file', () => {
    expect(['./data/sink.db', '/srv/postgres://x.db', 'postgres:/h/db', 'sink.db'].map(isPostgresUrl)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
