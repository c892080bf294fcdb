// The sampled time of the last reading the agent queued, kept across restarts: a restarted agent asks the
// sonde for what it logged from there on. With it, the readings of that same second already queued (below
// 1 s intervals several share a second), so that the first second of the window is not queued twice.
// Until the window missed before a start has been read back, the mark also keeps where that window began
// (`unfilled`) and the readings queued since (`since`): a restart before the read-back (a second kill or
// power cut within seconds) reads the older window back then, without queueing twice what was queued.
// The file is written atomically (write, fsync, rename, fsync of the directory), but NOT per reading: the
// backfill (backfill.ts, "When the mark is written") writes it only before a queue deletes entries, when the
// unfilled window changes and at a clean stop; the readings still queued cover what came after.

import * as v from 'valibot';
import { readCheckedJsonFile } from '../../common/checked-json-file.js';
import { LatestFileWriter } from '../../common/latest-file-writer.js';
import type { Logger } from '../../common/log.js';

export const BACKFILL_MARK_FILE = 'backfill-mark.json';

const SampledAt = v.pipe(v.number(), v.integer(), v.minValue(0));
const Keys = (max: number) => v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(max));
/** Readings queued while a window was unfilled, remembered across a restart (about 100 bytes each). */
export const MAX_SINCE = 2000;

const MarkSchema = v.strictObject({
  version: v.literal(1),
  sampledAt: SampledAt,
  /** readingKey() of the readings queued at `sampledAt`. */
  keys: Keys(100),
  /** The start of a window missed before a start and not yet read back (its own second's keys). */
  unfilled: v.optional(v.strictObject({ sampledAt: SampledAt, keys: Keys(100) })),
  /** readingKey() of every reading queued since `unfilled` (they are not read back again). */
  since: v.optional(Keys(MAX_SINCE)),
});

export interface Mark {
  sampledAt: number;
  keys: string[];
  unfilled?: { sampledAt: number; keys: string[] };
  since?: string[];
}

export class BackfillMarkFile {
  private readonly writer: LatestFileWriter;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    this.writer = new LatestFileWriter(file, logger, 'backfill mark not written');
  }

  /** Writes started (tests count them). */
  get writes(): number {
    return this.writer.writes;
  }

  async load(): Promise<Mark | null> {
    const read = await readCheckedJsonFile(this.file, MarkSchema, { maxBytes: 512 * 1024 });
    if (read.kind === 'bad') this.logger.warn('backfill mark unusable; moved aside', { ...read, file: this.file });
    if (read.kind !== 'ok') return null;
    const { version: _, ...mark } = read.value;
    return mark;
  }

  /**
   * Writes the mark durably; writes coalesce (one at a time, the latest wins). Resolves once a write that
   * holds this mark (or a newer one) is on disk; rejects when that write failed (logged).
   */
  save(mark: Mark): Promise<void> {
    return this.writer.write(JSON.stringify({ version: 1, ...mark }) + '\n');
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}
