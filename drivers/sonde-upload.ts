// Reading back the sonde's log over its File menu: the keys of the upload dialog (as guessed in
// sonde-guesses.ts), the window's date and time as the sonde shows them, and the uploaded text through the
// same parser as the live stream (it binds its columns from the upload's own names-and-units header), or the
// uploaded PC6000 file (a binary upload, over Kermit) through the `.dat` reader.

import type { SondeReading } from '../protocol/model.js';
import { SondeParser } from './parser.js';
import { readSondeFile } from './sonde-file-reader.js';
import { FILE_MENU, UPLOAD_DIALOG, UPLOAD_END_LINE } from './sonde-guesses.js';
import { utcToWallClock, type WallClock } from './sonde-time.js';
import type { DateFormat, UploadFormat } from './types.js';

/** A wall-clock time as the sonde shows and takes it: its date order, 4-digit year, `hh:mm:ss`. */
export function formatSondeDateTime(w: WallClock, dateFormat: DateFormat): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const [y, m, d] = [String(w.year).padStart(4, '0'), two(w.month), two(w.day)];
  const date = { mdy: [m, d, y], dmy: [d, m, y], ymd: [y, m, d] }[dateFormat].join('/');
  return `${date} ${two(w.hour)}:${two(w.minute)}:${two(Math.floor(w.second))}`;
}

/** One step of the dialog: what to type, and whether its reply is the upload itself. */
export interface UploadStep {
  keys: string;
  /** Its reply lists the files (none: nothing was logged, the dialog ends there). */
  fileList?: true;
  /** Its reply is the upload itself. */
  upload?: true;
  /** The sonde answers with a Kermit transfer of the file, then its File menu. */
  kermit?: true;
}

/**
 * From the sonde's Main menu to the end of an upload of [from, to] (UTC ms, read on the sonde clock in
 * `timeZone`), ending at the File menu's prompt: ASCII text, or (binary) the PC6000 file over Kermit. The
 * upload selects the first (only) file.
 */
export function uploadSteps(
  from: number,
  to: number,
  timeZone: string,
  dateFormat: DateFormat,
  format: UploadFormat = 'ascii',
): UploadStep[] {
  const show = (ms: number) => formatSondeDateTime(utcToWallClock(ms, timeZone), dateFormat);
  return [
    { keys: FILE_MENU.fromMain },
    { keys: FILE_MENU.upload, fileList: true },
    { keys: '1' },
    { keys: `${UPLOAD_DIALOG.start}${show(from)}\r` },
    { keys: `${UPLOAD_DIALOG.end}${show(to)}\r` },
    { keys: UPLOAD_DIALOG.proceed },
    ...(format === 'binary'
      ? [{ keys: UPLOAD_DIALOG.binaryType }, { keys: UPLOAD_DIALOG.kermitProtocol, kermit: true as const }]
      : [
          { keys: UPLOAD_DIALOG.asciiType },
          { keys: UPLOAD_DIALOG.asciiProtocol + UPLOAD_DIALOG.begin, upload: true as const },
        ]),
  ];
}

/** True when the upload's file list (the reply to Upload) names a file to select. */
export function listsAFile(lines: readonly string[]): boolean {
  return lines.some((l) => /^1-\S/.test(l.trim()));
}

export interface ParsedUpload {
  readings: SondeReading[];
  rejected: number;
}

/** The readings of an uploaded text whose sampled time is in [from, to]; the text ends at UPLOAD_END_LINE. */
export function parseUpload(
  lines: readonly string[],
  options: { timeZone: string; dateFormat: DateFormat; from: number; to: number },
): ParsedUpload {
  const parser = new SondeParser({ layout: 'auto', timeZone: options.timeZone, dateFormat: options.dateFormat });
  const readings: SondeReading[] = [];
  let rejected = 0;
  for (const line of lines) {
    if (line.trim() === UPLOAD_END_LINE) break; // the File menu's screen follows
    const result = parser.parse(line);
    if (result.kind === 'rejected') rejected++;
    if (result.kind !== 'reading') continue;
    const t = result.reading.sampledAt;
    if (t !== undefined && t >= options.from && t <= options.to) readings.push(result.reading);
  }
  return { readings, rejected };
}

/**
 * The readings of an uploaded PC6000 file whose sampled time is in [from, to]. A file cut short (a record
 * that could not be read) counts as one rejected; the whole records before the cut are kept.
 */
export function parseBinaryUpload(data: Buffer, options: { timeZone: string; from: number; to: number }): ParsedUpload {
  const file = readSondeFile(data, { timeZone: options.timeZone });
  const readings = file.readings.filter(
    (r) => r.sampledAt !== undefined && r.sampledAt >= options.from && r.sampledAt <= options.to,
  );
  return { readings, rejected: file.stop ? 1 : 0 };
}
