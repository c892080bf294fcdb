// The one opener of the agent's LevelDB stores (destination queues and the command store): memory bounds,
// what a failure to open means, and the repair of a damaged store (a copy of it kept for inspection).
//
// A failure is one of three kinds, and only one of them is about the data:
// - locked: another process holds the store's LOCK. Another agent runs on this data directory; nothing is
//   renamed, deleted or reported (StoreLockedError; the agent exits with EXIT_ALREADY_RUNNING).
// - io: the disk refuses (ENOSPC, EROFS, EIO, EACCES, ...). The data may be perfectly good: retried, never
//   called corruption.
// - corrupt: LevelDB read something it cannot make sense of. Only then is the store repaired.

import { existsSync } from 'node:fs';
import { cp, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Level as LevelType } from 'level' with { 'resolution-mode': 'require' };
import { syncDirectory } from '../../common/atomic-file.js';

// Required, not imported: node's ES module loader runs its CommonJS export lexer on a CommonJS package an ES
// module imports, and that lexer (optimized by TurboFan on the larger files) cost the agent 1 to 6 MiB
// resident per package (issue 17; saxes +6.5 MiB imported, +0.4 required).
const { Level } = createRequire(import.meta.url)('level') as typeof import('level', {
  with: { 'resolution-mode': 'require' },
});
type Level<K, V> = LevelType<K, V>;

export type Store = Level<string, string>;

/**
 * LevelDB's memory, bounded for a small ARM gateway. A FIFO reads each entry about once (the sender
 * re-reads the same few hundred on a retry), so a large block cache buys nothing; the defaults (8 MiB
 * cache, 4 MiB write buffer, 1000 open tables) were a third of an idle agent's resident memory.
 */
const STORE_MEMORY = { cacheSize: 1 << 20, writeBufferSize: 1 << 20, maxOpenFiles: 100 };

export type StoreFailure = 'locked' | 'io' | 'corrupt';

/** Another process holds the store: another agent runs on the same data directory. */
export class StoreLockedError extends Error {
  constructor(readonly dir: string) {
    super(`the store ${dir} is held by another process: another agent is running on this data directory`);
    this.name = 'StoreLockedError';
  }
}

/** The queue's or command store's own data does not decode: as much corruption as LevelDB's own. */
export class DataCorruption extends Error {
  constructor(message: string) {
    super(`Corruption: ${message}`);
    this.name = 'DataCorruption';
  }
}

export async function openStore(dir: string): Promise<Store> {
  const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8', ...STORE_MEMORY });
  try {
    await db.open();
  } catch (err) {
    if (classifyStoreError(err) === 'locked') throw new StoreLockedError(dir);
    throw err;
  }
  // LevelDB's open renames a new CURRENT into place and never fsyncs the directory: without this a power cut
  // can leave a store that opens empty (a new store) or points at a MANIFEST that is gone.
  await syncDirectory(dir);
  return db;
}

/**
 * What a LevelDB error means. Open errors wrap the real cause (LEVEL_LOCKED, LEVEL_IO_ERROR,
 * LEVEL_CORRUPTION); errors of reads and writes carry the engine's message ("Corruption: ...",
 * "IO error: ..."). Anything not clearly corruption is treated as io: retried, the data kept as it is.
 */
export function classifyStoreError(err: unknown): StoreFailure {
  if (err instanceof StoreLockedError) return 'locked';
  if (err instanceof DataCorruption) return 'corrupt';
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const codes = [e?.code, e?.cause?.code];
  const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  if (codes.includes('LEVEL_LOCKED')) return 'locked';
  if (codes.includes('LEVEL_CORRUPTION') || /\bCorruption\b/.test(text)) return 'corrupt';
  return 'io';
}

/**
 * Copies a damaged store to `<dir>.damaged-<time>` (kept for inspection: the unreadable blocks and their
 * keys are there), then lets LevelDB rebuild `dir` from every table and log record it can still read.
 * Returns where the copy is.
 */
export async function repairStore(dir: string, now: number): Promise<string> {
  let target = `${dir}.damaged-${stampOf(now)}`;
  for (let i = 1; existsSync(target); i++) target = `${dir}.damaged-${stampOf(now)}-${i}`;
  await cp(dir, target, { recursive: true, preserveTimestamps: true });
  await (Level as unknown as { repair(location: string): Promise<void> }).repair(dir);
  return target;
}

/**
 * The last resort, when even a repaired store cannot be opened: renames `dir` to `dir.corrupt-<time>` (kept)
 * and returns the new name; never deletes anything.
 */
export async function moveAside(dir: string, now: number): Promise<string> {
  let target = `${dir}.corrupt-${stampOf(now)}`;
  for (let i = 1; existsSync(target); i++) target = `${dir}.corrupt-${stampOf(now)}-${i}`;
  await rename(dir, target);
  return target;
}

const stampOf = (now: number): string => new Date(now).toISOString().replace(/[:.]/g, '-');

/** The short reason behind a LevelDB error (open errors wrap the real cause). */
export function describeStoreError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { message?: string } };
  return [e.code, e.message, e.cause?.message].filter(Boolean).join(': ');
}

/** What the disk said, without paths (for /status): "No space left on device", "Read-only file system". */
export function storeErrorSummary(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { message?: string } };
  const text = e.cause?.message ?? e.message ?? String(err);
  return (text.split(': ').at(-1) ?? text).slice(0, 200);
}
