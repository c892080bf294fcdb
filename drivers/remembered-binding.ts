// The last session's column binding, kept in a small state file so that a restarted driver can adopt a
// sonde that is still streaming (after a crash or a power blip of the board only) without breaking in:
// breaking in stops sampling, and rows that arrive before the columns are known could not be parsed.
//
// A remembered binding is only a guess until the sonde confirms it (`para` at the next break-in, or a
// header block in the stream): it is adopted only for rows that fit it exactly (field count, date and
// time, every value a number within the physical range of its column) and only when the sonde was left
// at the interval the driver wants.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../common/atomic-file.js';
import type { Logger } from '../common/log.js';
import type { Column } from './parameters.js';
import { SondeParser, type ParserOptions } from './parser.js';

export interface RememberedBinding {
  /** The sonde the columns were read from (`sn`); null when it did not say. */
  serialNumber: string | null;
  /** The `Sinterval` it was left streaming at. */
  intervalS: number;
  columns: Column[];
}

const FORMAT_VERSION = 1;
/** A state file larger than this is not ours. */
const MAX_STATE_BYTES = 64 * 1024;

/** Reads the state file; null (with a warning when it exists but is unusable) when there is none. */
export async function loadRememberedBinding(file: string, logger: Logger): Promise<RememberedBinding | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      logger.warn('sonde state file unreadable; ignoring it', { file, err });
    return null;
  }
  const binding = text.length <= MAX_STATE_BYTES ? parseState(text) : null;
  if (!binding) logger.warn('sonde state file is not a remembered binding; ignoring it', { file });
  return binding;
}

/** Writes the state atomically (temporary file + rename), one write at a time. */
export class BindingStateFile {
  private last = '';
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Writes `binding` unless the file already holds it. Never rejects: a failed write is logged. */
  save(binding: RememberedBinding): Promise<void> {
    const text = JSON.stringify({ version: FORMAT_VERSION, ...binding }) + '\n';
    if (text === this.last) return this.writing;
    this.last = text;
    this.writing = this.writing
      .then(() => writeFileAtomic(this.file, text))
      .catch((err: unknown) => this.logger.warn('sonde state file not written', { file: this.file, err }));
    return this.writing;
  }

  /** Resolves when the writes queued so far are done. */
  flush(): Promise<void> {
    return this.writing;
  }
}

/** True when `line` parses under `columns` with every field plausible for its column. */
export function rowFitsBinding(line: string, columns: Column[], options: ParserOptions): boolean {
  const probe = new SondeParser({ ...options, layout: 'auto' });
  probe.bind(columns, 'remembered');
  const result = probe.inspect(line);
  if (result.kind !== 'reading') return false;
  const flags = Object.values(result.reading.valueFlags ?? {}).flat();
  return !flags.includes('parse_error') && !flags.includes('out_of_range');
}

function parseState(text: string): RememberedBinding | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const o = data as Record<string, unknown>;
  if (o.version !== FORMAT_VERSION) return null;
  if (o.serialNumber !== null && typeof o.serialNumber !== 'string') return null;
  if (typeof o.intervalS !== 'number' || !Number.isFinite(o.intervalS)) return null;
  if (!Array.isArray(o.columns) || o.columns.length === 0 || !o.columns.every(isColumn)) return null;
  return { serialNumber: o.serialNumber, intervalS: o.intervalS, columns: o.columns };
}

function isColumn(c: unknown): c is Column {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  if (o.kind === 'time') return true;
  if (o.kind === 'date') return o.format === 'mdy' || o.format === 'dmy' || o.format === 'ymd';
  return o.kind === 'value' && typeof o.key === 'string' && o.key !== '' && typeof o.unit === 'string';
}
