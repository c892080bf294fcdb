// Reading back the sonde's log over its File menu: the keys of the upload dialog (as guessed in
// sonde-guesses.ts), the window's date and time as the sonde shows them, and the uploaded text through the
// same parser as the live stream (it binds its columns from the upload's own names-and-units header).
import { SondeParser } from './parser.js';
import { FILE_MENU, UPLOAD_DIALOG, UPLOAD_END_LINE } from './sonde-guesses.js';
import { utcToWallClock } from './sonde-time.js';
/** A wall-clock time as the sonde shows and takes it: its date order, 4-digit year, `hh:mm:ss`. */
export function formatSondeDateTime(w, dateFormat) {
    const two = (n) => String(n).padStart(2, '0');
    const [y, m, d] = [String(w.year).padStart(4, '0'), two(w.month), two(w.day)];
    const date = { mdy: [m, d, y], dmy: [d, m, y], ymd: [y, m, d] }[dateFormat].join('/');
    return `${date} ${two(w.hour)}:${two(w.minute)}:${two(Math.floor(w.second))}`;
}
/**
 * From the sonde's Main menu to the end of an ASCII upload of [from, to] (UTC ms, read on the sonde clock in
 * `timeZone`), ending at the File menu's prompt. The upload selects the first (only) file.
 */
export function uploadSteps(from, to, timeZone, dateFormat) {
    const show = (ms) => formatSondeDateTime(utcToWallClock(ms, timeZone), dateFormat);
    return [
        { keys: FILE_MENU.fromMain },
        { keys: FILE_MENU.upload, fileList: true },
        { keys: '1' },
        { keys: `${UPLOAD_DIALOG.start}${show(from)}\r` },
        { keys: `${UPLOAD_DIALOG.end}${show(to)}\r` },
        { keys: UPLOAD_DIALOG.proceed },
        { keys: UPLOAD_DIALOG.asciiType },
        { keys: UPLOAD_DIALOG.asciiProtocol + UPLOAD_DIALOG.begin, upload: true },
    ];
}
/** True when the upload's file list (the reply to Upload) names a file to select. */
export function listsAFile(lines) {
    return lines.some((l) => /^1-\S/.test(l.trim()));
}
/** The readings of an uploaded text whose sampled time is in [from, to]; the text ends at UPLOAD_END_LINE. */
export function parseUpload(lines, options) {
    const parser = new SondeParser({ layout: 'auto', timeZone: options.timeZone, dateFormat: options.dateFormat });
    const readings = [];
    let rejected = 0;
    for (const line of lines) {
        if (line.trim() === UPLOAD_END_LINE)
            break; // the File menu's screen follows
        const result = parser.parse(line);
        if (result.kind === 'rejected')
            rejected++;
        if (result.kind !== 'reading')
            continue;
        const t = result.reading.sampledAt;
        if (t !== undefined && t >= options.from && t <= options.to)
            readings.push(result.reading);
    }
    return { readings, rejected };
}
//# sourceMappingURL=sonde-upload.js.map