// The simulated sonde's log memory and its File menu: what a 6600 keeps while it streams with a file open,
// the directory, and the ASCII upload of a time window. Everything a real sonde may do otherwise is a guess
// from drivers/sonde-guesses.ts (memory size, full memory, screens, dialog, upload format and its end).
import { sondeSecondsToWallClock, wallClockToSondeSeconds } from '../sonde-file-time.js';
import { formatSondeDateTime } from '../sonde-upload.js';
import { FREE_BYTES_LABEL, MEMORY_BYTES, UPLOAD_END_LINE, directoryLine } from '../sonde-guesses.js';
import { parseSondeDate, parseSondeTime } from '../sonde-time.js';
const CRLF = '\r\n';
export class SondeMemory {
    capacityBytes;
    columns;
    rows = [];
    fileName = '';
    /** A file is open: rows sampled now are logged. */
    open = false;
    /** Rows not logged because the memory was full. */
    notLogged = 0;
    constructor(capacityBytes = MEMORY_BYTES, columns) {
        this.capacityBytes = capacityBytes;
        this.columns = columns;
    }
    /** A logged reading takes its `.dat` record's bytes. */
    get rowBytes() {
        return 5 + 4 * this.columns;
    }
    get usedBytes() {
        return this.rows.length * this.rowBytes;
    }
    get full() {
        return this.usedBytes + this.rowBytes > this.capacityBytes;
    }
    /** Logs a sampled row if a file is open; a full memory stops logging (MEMORY_FULL = 'stop_logging'). */
    log(row) {
        if (!this.open)
            return false;
        if (this.full) {
            this.notLogged++;
            return false;
        }
        this.rows.push(row);
        return true;
    }
    /** Another sonde (swap): its own, empty memory, with its file open or not. */
    clear(columns, open) {
        this.rows = [];
        this.columns = columns;
        this.open = open;
        this.fileName = open ? this.fileName : '';
        this.notLogged = 0;
    }
    directory(dateFormat) {
        const lines = [];
        if (this.rows.length > 0) {
            const show = (s) => showSeconds(s, dateFormat);
            lines.push(directoryLine(1, this.fileName, show(this.rows[0].seconds), show(this.rows.at(-1).seconds), this.usedBytes));
        }
        lines.push(FREE_BYTES_LABEL + String(Math.max(0, MEMORY_BYTES - this.usedBytes)));
        return lines;
    }
    /** The rows of [from, to] (sonde seconds) as a "Comma & ' ' delimited" ASCII upload, ending as guessed. */
    upload(from, to, columns, dateFormat) {
        const quoted = (cells) => cells.map((c) => `"${c}"`).join(',');
        const lines = [
            quoted(['Date', 'Time', ...columns.map((c) => c.name)]),
            quoted([{ dmy: 'd/m/y', mdy: 'm/d/y', ymd: 'y/m/d' }[dateFormat], 'hh:mm:ss', ...columns.map((c) => c.unit)]),
        ];
        for (const row of this.rows) {
            if (row.seconds < from || row.seconds > to)
                continue;
            const [date, time] = showSeconds(row.seconds, dateFormat).split(' ');
            lines.push([date, time, ...row.values.map((v, i) => v.toFixed(columns[i]?.decimals ?? 2))].join(','));
        }
        return lines.join(CRLF) + CRLF + UPLOAD_END_LINE + CRLF;
    }
}
/** Sonde seconds as the sonde shows a date and time (its date order, 4-digit year). */
export function showSeconds(seconds, dateFormat) {
    return formatSondeDateTime(sondeSecondsToWallClock(seconds), dateFormat);
}
/** `date time` typed into the Upload window, in the sonde's date order; null when it does not parse. */
export function parseShownSeconds(text, dateFormat) {
    const [dateText = '', timeText = ''] = text.trim().split(/\s+/);
    const date = parseSondeDate(dateText, dateFormat);
    const time = parseSondeTime(timeText);
    return date && time ? wallClockToSondeSeconds({ ...date, ...time }) : null;
}
//# sourceMappingURL=sonde-memory.js.map