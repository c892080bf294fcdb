// What each sink last said it accepts (docs/protocol.md §11), kept across restarts in
// <data_dir>/sink-encodings.json, so that a restarted agent sends the columnar encoding at once to a sink
// that accepted it: a board that restarts often (power cuts, updates) otherwise sent its first container
// as XML, about twice the bytes, and nothing joined it before the answer (sender.ts, following()).
// Each entry keeps the sink URL it was learned from: after a URL change the agent starts with XML again.
// The file is written (atomically, 0600) only when what a sink accepts changes, never per exchange (the
// board's flash, and issue 17's wake-up budget). A file that does not read is moved aside with a warning:
// the agent starts with XML, as without one.

import * as v from 'valibot';
import { readCheckedJsonFile } from '../../common/checked-json-file.js';
import { LatestFileWriter } from '../../common/latest-file-writer.js';
import type { Logger } from '../../common/log.js';

export const SINK_ENCODINGS_FILE = 'sink-encodings.json';

/** More destinations than a gateway ever has; each entry is a URL (2 KB at most) and a word. */
const MAX_DESTINATIONS = 64;
const MAX_FILE_BYTES = 256 * 1024;

const LearnedSchema = v.strictObject({
  /** The sink URL whose answer said it. */
  url: v.pipe(v.string(), v.maxLength(2048)),
  encoding: v.picklist(['xml', 'columnar']),
});

const FileSchema = v.strictObject({
  version: v.literal(1),
  /** By destination name. */
  sinks: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(64)), LearnedSchema),
    v.check((r) => Object.keys(r).length <= MAX_DESTINATIONS, `at most ${MAX_DESTINATIONS} destinations`),
  ),
});

export type LearnedEncoding = v.InferOutput<typeof LearnedSchema>;

/** One destination's view of the file: what was remembered at the start, and where to record a change. */
export interface EncodingMemory {
  readonly recalled: LearnedEncoding | undefined;
  remember(learned: LearnedEncoding): void;
}

export class SinkEncodings {
  private readonly writer: LatestFileWriter;

  private constructor(
    file: string,
    logger: Logger,
    private readonly sinks: Record<string, LearnedEncoding>,
  ) {
    this.writer = new LatestFileWriter(file, logger, 'sink encodings not written');
  }

  /** Writes started (tests count them). */
  get writes(): number {
    return this.writer.writes;
  }

  static async load(file: string, logger: Logger): Promise<SinkEncodings> {
    const read = await readCheckedJsonFile(file, FileSchema, { maxBytes: MAX_FILE_BYTES });
    if (read.kind === 'bad')
      logger.warn('sink encodings unusable; moved aside, starting with XML', {
        file,
        problem: read.problem,
        movedTo: read.movedTo,
      });
    return new SinkEncodings(file, logger, read.kind === 'ok' ? { ...read.value.sinks } : {});
  }

  for(destination: string): EncodingMemory {
    return {
      recalled: this.sinks[destination],
      remember: (learned) => this.remember(destination, learned),
    };
  }

  /** Records what `destination` accepts; writes the file only when that changes what it holds. */
  private remember(destination: string, learned: LearnedEncoding): void {
    const known = this.sinks[destination];
    if (known?.url === learned.url && known.encoding === learned.encoding) return;
    this.sinks[destination] = { url: learned.url, encoding: learned.encoding };
    // A failed write is logged by the writer; the next change writes the whole file again.
    this.writer.write(JSON.stringify({ version: 1, sinks: this.sinks }) + '\n').catch(() => undefined);
  }

  /** Resolves when the writes recorded so far are done. */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}
