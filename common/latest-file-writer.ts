// A small state file that changes now and then (a mark, what a sink accepts), written atomically and in
// order: one write at a time, and a write that has not started yet takes the newest text instead (the
// latest wins: a burst of changes costs one or two writes, not one each, on a board's flash).

import { writeFileAtomic } from './atomic-file.js';
import type { Logger } from './log.js';

export class LatestFileWriter {
  /** The chain of writes; never rejects (a failure is logged, and given to the callers of that write). */
  private writing: Promise<void> = Promise.resolve();
  /** The write not started yet, and the text it will write. */
  private next: Promise<void> | null = null;
  private pendingText = '';
  /** Writes started (tests count them). */
  writes = 0;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
    /** The warning logged when a write fails. */
    private readonly failure: string,
  ) {}

  /** Resolves once a write holding this text (or a newer one) is on disk; rejects when that write failed. */
  write(text: string): Promise<void> {
    this.pendingText = text;
    if (this.next) return this.next;
    const next = this.writing.then(() => {
      this.next = null;
      this.writes++;
      return writeFileAtomic(this.file, this.pendingText);
    });
    this.next = next;
    this.writing = next.catch((err: unknown) => this.logger.warn(this.failure, { file: this.file, err }));
    return next;
  }

  /** Resolves when the writes asked for so far are done (whatever their outcome). */
  flush(): Promise<void> {
    return this.writing;
  }
}
