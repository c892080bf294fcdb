// powercut-fs itself: a cut keeps exactly what was fsync'd (file content by fsync/fdatasync of the file,
// directory entries by fsync of the directory) and drops the rest.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PowercutFs } from '../../lab/powercut-fs/powercut-fs.js';
import { REPO_ROOT } from '../../lab/repo-root.js';

let fs: PowercutFs;
let base: string;
let dir: string;
let n = 0;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'dsp-powercut-fs-'));
  fs = await PowercutFs.mount(path.join(base, 'mnt'));
});
afterAll(async () => {
  await fs?.unmount();
  rmSync(base, { recursive: true, force: true });
});
beforeEach(() => {
  // Each test in a directory of its own that already survives cuts.
  dir = path.join(fs.mountpoint, `t${++n}`);
  mkdirSync(dir);
  fs.syncAll();
});

const file = (name: string) => path.join(dir, name);

/** Writes `text` at `position` (default: the end) and fsyncs the file if `sync` says so. */
function write(name: string, text: string, sync: 'fsync' | 'fdatasync' | 'none', flags = 'a'): void {
  const fd = openSync(file(name), flags, 0o600);
  try {
    writeSync(fd, text);
    if (sync === 'fsync') fsyncSync(fd);
    if (sync === 'fdatasync') fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(d = dir): void {
  const fd = openSync(d, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const read = (name: string) => readFileSync(file(name), 'utf8');

/**
 * A process creates a WAL database, commits `rows` rows one by one at `synchronous`, and is SIGKILLed; then
 * the power is cut. Returns the rows a new connection finds (0 if even the table is gone).
 */
function sqliteKilledAfterInserts(dbFile: string, synchronous: 'FULL' | 'OFF', rows: number): number {
  const script = `
    const db = new (require('better-sqlite3'))(${JSON.stringify(dbFile)});
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = ${synchronous}');
    db.exec('CREATE TABLE t (n INTEGER)');
    for (let i = 0; i < ${rows}; i++) db.prepare('INSERT INTO t VALUES (?)').run(i);
    process.kill(process.pid, 'SIGKILL');`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(child.signal, child.stderr).toBe('SIGKILL');
  fs.cut();
  const db = new Database(dbFile);
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 't'").get();
    return table ? (db.prepare('SELECT count(*) AS c FROM t').get() as { c: number }).c : 0;
  } finally {
    db.close();
  }
}

describe('powercut-fs', () => {
  it('a write without fsync is gone after a cut; an fsync`d one is kept', () => {
    write('a', 'kept', 'fsync');
    syncDir();
    write('a', '+lost', 'none');
    expect(read('a')).toBe('kept+lost');
    fs.cut();
    expect(read('a')).toBe('kept');
  });

  it('fdatasync keeps the content as fsync does', () => {
    write('a', 'data', 'fdatasync');
    syncDir();
    fs.cut();
    expect(read('a')).toBe('data');
  });

  it('an overwrite in the middle and a truncation without fsync are undone', () => {
    write('a', 'abcdef', 'fsync');
    syncDir();
    const fd = openSync(file('a'), 'r+');
    writeSync(fd, 'XY', 2);
    closeSync(fd);
    truncateSync(file('a'), 4);
    expect(read('a')).toBe('abXY');
    fs.cut();
    expect(read('a')).toBe('abcdef');
  });

  it('a new file whose directory was not fsync`d is gone, even with its content fsync`d', () => {
    write('new', 'content', 'fsync');
    fs.cut();
    expect(existsSync(file('new'))).toBe(false);
  });

  it('a new file whose directory was fsync`d but not its content survives empty', () => {
    write('new', 'content', 'none');
    syncDir();
    fs.cut();
    expect(read('new')).toBe('');
  });

  it('a rename without fsync of the directory is reverted, with it the old content under the name', () => {
    write('file', 'old', 'fsync');
    syncDir();
    write('file.tmp', 'new', 'fsync');
    renameSync(file('file.tmp'), file('file'));
    expect(read('file')).toBe('new');
    fs.cut();
    expect(read('file')).toBe('old');
    expect(existsSync(file('file.tmp'))).toBe(false);
  });

  it('the atomic replacement (write, fsync, rename, fsync of the directory) survives', () => {
    write('file', 'old', 'fsync');
    syncDir();
    write('file.tmp', 'new', 'fsync');
    renameSync(file('file.tmp'), file('file'));
    syncDir();
    fs.cut();
    expect(read('file')).toBe('new');
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('an unlink without fsync of the directory is undone, with the content that was synced', () => {
    write('f', 'synced', 'fsync');
    syncDir();
    write('f', '+unsynced', 'none');
    unlinkSync(file('f'));
    fs.cut();
    expect(read('f')).toBe('synced');
    unlinkSync(file('f'));
    syncDir();
    fs.cut();
    expect(existsSync(file('f'))).toBe(false);
  });

  it('a directory made without fsync of its parent is gone, with all in it', () => {
    mkdirSync(file('sub'));
    write('sub/x', 'x', 'fsync');
    syncDir(file('sub'));
    fs.cut();
    expect(existsSync(file('sub'))).toBe(false);
  });

  it('a file made, or renamed to, in a directory that is gone answers ENOENT', () => {
    expect(() => write('missing/x', 'x', 'none')).toThrow(/ENOENT/);
    write('y', 'y', 'none');
    expect(() => renameSync(file('y'), file('missing/y'))).toThrow(/ENOENT/);
  });

  it('the control file says what a cut would drop, and a cut counts', () => {
    const before = fs.status();
    write('a', 'x', 'none');
    expect(fs.status().pending).toEqual(
      expect.arrayContaining([`/${path.basename(dir)}/`, `/${path.basename(dir)}/a`]),
    );
    syncDir();
    write('a', 'y', 'fsync');
    expect(fs.status()).toMatchObject({ pending: [], pendingCount: 0 });
    fs.cut();
    expect(fs.status().cuts).toBe(before.cuts + 1);
  });

  it('SQLite in WAL mode with synchronous=FULL, killed mid-run: every committed row survives a cut', () => {
    expect(sqliteKilledAfterInserts(file('test.db'), 'FULL', 50)).toBe(50);
  });

  it('SQLite at synchronous=OFF, killed mid-run, loses committed rows: the model sees a missing fsync', () => {
    expect(sqliteKilledAfterInserts(file('test.db'), 'OFF', 50)).toBeLessThan(50);
  });
});
