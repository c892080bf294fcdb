// The sequence high-water mark of one destination, in a small file beside (not inside) its LevelDB store,
// so that it survives when a corrupt store is moved aside.
//
// Block reservation: before the queue hands out sequence N it makes sure the file says reservedUntil >= N,
// reserving a block at a time so the file is written once per block, not once per reading. After a lost
// store the queue restarts above reservedUntil: some numbers are skipped, none is ever reused.
// ackedUntil (the sink's last acknowledgeUntil) only serves to estimate what a lost store held.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../common/atomic-file.js';

export interface SequenceMark {
  reservedUntil: number;
  ackedUntil: number;
}

export type MarkRead =
  { state: 'ok'; mark: SequenceMark } | { state: 'missing' } | { state: 'unreadable'; reason: string };

export async function readMark(file: string): Promise<MarkRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', reason: (err as Error).message };
  }
  try {
    const v = JSON.parse(text) as Partial<SequenceMark>;
    if (Number.isSafeInteger(v.reservedUntil) && Number.isSafeInteger(v.ackedUntil)) {
      return { state: 'ok', mark: { reservedUntil: v.reservedUntil!, ackedUntil: v.ackedUntil! } };
    }
  } catch {
    // fall through: a torn or foreign file
  }
  return { state: 'unreadable', reason: 'not a sequence mark' };
}

/** Atomic and durable (see common/atomic-file.ts). */
export async function writeMark(file: string, mark: SequenceMark): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(mark) + '\n');
}
