// The simulated sonde's clock: wall-clock text in its zone and date order, possibly off by some seconds,
// and settable with `date` / `time` as on the real sonde.
import { wallClockToSondeSeconds } from '../sonde-file-time.js';
import { parseSondeDate, parseSondeTime, utcToWallClock, wallClockToUtc } from '../sonde-time.js';
export class SondeClock {
    offsetMs;
    timeZone;
    dateFormat;
    fourDigitYear;
    constructor(offsetMs, timeZone, dateFormat, fourDigitYear) {
        this.offsetMs = offsetMs;
        this.timeZone = timeZone;
        this.dateFormat = dateFormat;
        this.fourDigitYear = fourDigitYear;
    }
    /** The date and time as the sonde prints them. */
    show(at = Date.now()) {
        const w = utcToWallClock(at + this.offsetMs, this.timeZone);
        const two = (n) => String(n).padStart(2, '0');
        const year = this.fourDigitYear ? String(w.year) : two(w.year % 100);
        const [month, day] = [two(w.month), two(w.day)];
        const order = { mdy: [month, day, year], dmy: [day, month, year], ymd: [year, month, day] }[this.dateFormat];
        return { date: order.join('/'), time: `${two(w.hour)}:${two(w.minute)}:${two(w.second)}` };
    }
    /** The sonde clock at `at` as its log file stores it: seconds since 1984-03-01 00:00:00. */
    fileSeconds(at = Date.now()) {
        return wallClockToSondeSeconds(utcToWallClock(at + this.offsetMs, this.timeZone));
    }
    /** Moves the clock so that it shows `date` and/or `time` now; false when either does not parse. */
    set(date, time) {
        const now = this.show();
        const day = parseSondeDate(date ?? now.date, this.dateFormat);
        const clock = parseSondeTime(time ?? now.time);
        if (!day || !clock)
            return false;
        this.offsetMs = wallClockToUtc({ ...day, ...clock }, this.timeZone) - Date.now();
        return true;
    }
}
//# sourceMappingURL=sonde-clock.js.map