// One side of dsp-sink copy: a store's rows as they are (ids, token hashes, watermarks), read in key order and
// written in batches, each batch committed together with the copy's progress, so a killed copy resumes where
// its last commit left off. copy-sqlite.ts and copy-postgres.ts implement it.
import type { Census, CopyTable } from './copy-tables.js';

export interface CopyEndpoint {
  /** What messages may name it (never a password). */
  readonly description: string;
  /** The network this database belongs to (made once, at creation). */
  networkId(): Promise<string>;
  /** Whether any gateway, reading, message, gap event or command is stored. */
  holdsData(): Promise<boolean>;
  /** Makes this (empty) database part of network `id`; forgets earlier copy progress. */
  adoptNetwork(id: string): Promise<void>;
  /** The key of the last row of `table` a copy committed here. */
  progress(table: CopyTable): Promise<unknown[] | undefined>;
  /** Up to `limit` rows after `after` in key order, each as the table's columns in order. */
  readRows(table: CopyTable, after: unknown[] | undefined, limit: number): Promise<unknown[][]>;
  /** Stores the rows (already present ones are left) and the progress, in one transaction. */
  writeRows(table: CopyTable, rows: unknown[][]): Promise<void>;
  /** After the last batch: id generators continue after the copied ids. */
  finish(): Promise<void>;
  census(): Promise<Census>;
  close(): Promise<void>;
}
