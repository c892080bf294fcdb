import { describe, expect, it } from 'vitest';
import { isPostgresUrl, unsupportedLocation } from './open.js';

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

  it('refuses any other URL, and takes paths (a drive letter is not a scheme)', () => {
    for (const url of ['mysql://h/db', 'sqlite:///x.db', 'file:sink.db', 'postgres:/h/db']) {
      expect([url, unsupportedLocation(url)]).toEqual([
        url,
        expect.stringMatching(/URLs such as \w+: are not supported/),
      ]);
    }
    for (const path of ['./data/sink.db', 'C:\\data\\sink.db', '/srv/postgres://x.db', 'postgres://h/db']) {
      expect([path, unsupportedLocation(path)]).toEqual([path, undefined]);
    }
  });
});
