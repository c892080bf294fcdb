// Opening a queue's LevelDB store, and moving a broken one aside (kept for forensics) for a fresh one.

import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Level } from 'level';

export type Store = Level<string, string>;

/**
 * LevelDB's memory, bounded for a small ARM gateway. A FIFO reads each entry about once (the sender
 * re-reads the same few hundred on a retry), so a large block cache buys nothing; the defaults (8 MiB
 * cache, 4 MiB write buffer, 1000 open tables) were a third of an idle agent's resident memory.
 */
const STORE_MEMORY = { cacheSize: 1 << 20, writeBufferSize: 1 << 20, maxOpenFiles: 100 };

export async function openStore(dir: string): Promise<Store> {
  const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8', ...STORE_MEMORY });
  await db.open();
  return db;
}

/** Renames `dir` to `dir.corrupt-<time>` and returns the new name; never deletes anything. */
export async function moveAside(dir: string, now: number): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let target = `${dir}.corrupt-${stamp}`;
  for (let i = 1; existsSync(target); i++) target = `${dir}.corrupt-${stamp}-${i}`;
  await rename(dir, target);
  return target;
}

/** The short reason behind a LevelDB error (open errors wrap the real cause). */
export function describeStoreError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { message?: string } };
  return [e.code, e.message, e.cause?.message].filter(Boolean).join(': ');
}
