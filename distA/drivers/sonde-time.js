// The sonde clock has no time zone: its date and time are wall-clock text in whatever zone it was set to.
// These functions read that text (m/d/y, d/m/y or y/m/d, 2- or 4-digit years, hh:mm:ss) and turn it into
// a UTC instant for a configured IANA zone, with Intl only (no time zone database dependency).
/** Two-digit years: 70-99 are 1970-1999, 00-69 are 2000-2069 (the 6-series dates from 1992). */
function fullYear(text) {
    const n = Number(text);
    if (text.length > 2)
        return n;
    return n >= 70 ? 1900 + n : 2000 + n;
}
/** Reads `date` in `format`; null when it is not a valid calendar date. */
export function parseSondeDate(date, format) {
    const parts = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/.exec(date.trim());
    if (!parts)
        return null;
    const [a, b, c] = [parts[1], parts[2], parts[3]];
    const [y, m, d] = format === 'ymd' ? [a, b, c] : format === 'mdy' ? [c, a, b] : [c, b, a];
    if (format === 'ymd' ? c.length > 2 : a.length > 2)
        return null; // only the year may have 4 digits
    const year = fullYear(y);
    const month = Number(m);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1)
        return null;
    if (day > new Date(Date.UTC(year, month, 0)).getUTCDate())
        return null;
    return { year, month, day };
}
/** Reads `hh:mm:ss` (fractional seconds allowed); null when out of range. */
export function parseSondeTime(time) {
    const parts = /^(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(time.trim());
    if (!parts)
        return null;
    const hour = Number(parts[1]);
    const minute = Number(parts[2]);
    const second = Number(parts[3]);
    if (hour > 23 || minute > 59 || second >= 60)
        return null;
    return { hour, minute, second };
}
const formatters = new Map();
function formatterFor(timeZone) {
    let f = formatters.get(timeZone);
    if (!f) {
        f = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
        });
        formatters.set(timeZone, f);
    }
    return f;
}
/** Throws RangeError when `timeZone` is not an IANA zone this runtime knows. */
export function assertTimeZone(timeZone) {
    if (timeZone !== 'UTC')
        formatterFor(timeZone);
}
/** The UTC calendar fields of epoch milliseconds `ms`. */
export function utcFields(ms) {
    const d = new Date(ms);
    return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
    };
}
/** What a clock set to `timeZone` shows at instant `utcMs` (whole seconds). */
export function utcToWallClock(utcMs, timeZone) {
    // UTC without Intl: the first DateTimeFormat maps ICU's zone data, about 8 MiB resident on a small board.
    if (timeZone === 'UTC')
        return utcFields(Math.floor(utcMs / 1000) * 1000);
    const parts = {};
    for (const p of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
        if (p.type !== 'literal')
            parts[p.type] = Number(p.value);
    }
    return {
        year: parts.year,
        month: parts.month,
        day: parts.day,
        hour: parts.hour,
        minute: parts.minute,
        second: parts.second,
    };
}
/** Offset of `timeZone` from UTC at instant `utcMs`, in ms (east positive). */
function zoneOffsetMs(utcMs, timeZone) {
    const w = utcToWallClock(utcMs, timeZone);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return asUtc - Math.floor(utcMs / 1000) * 1000;
}
/**
 * The UTC instant of a wall-clock time in `timeZone`. In the hour a DST change repeats, the earlier
 * instant; in the hour it skips, the instant the clock shows after the jump (02:30 -> 03:30).
 */
export function wallClockToUtc(wall, timeZone) {
    const whole = Math.floor(wall.second);
    const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, whole);
    const fraction = Math.round((wall.second - whole) * 1000);
    if (timeZone === 'UTC')
        return naive + fraction;
    const DAY = 86_400_000;
    // The offsets in force a day before and a day after cover any one transition near this time.
    const before = zoneOffsetMs(naive - DAY, timeZone);
    const after = zoneOffsetMs(naive + DAY, timeZone);
    const valid = [naive - before, naive - after].filter((utc) => naive - zoneOffsetMs(utc, timeZone) === utc);
    const utc = valid.length > 0 ? Math.min(...valid) : naive - before;
    return utc + fraction;
}
//# sourceMappingURL=sonde-time.js.map