// The sonde's clock, declared once per container (`sondeClock` on MessagesContainer) so that a reading's
// UTC time (sampledAt) need not travel next to the sonde's own time text (samplingTimeStamp): with the
// clock "ymd-0700", "2009/05/16 14:03:06" is 2009-05-16T21:03:06Z. The text is three date numbers in the
// declared order (a two-digit year is 20yy), then hh:mm:ss; the offset is the sonde clock's, +-HHMM.
const DATE_ORDERS = ['ymd', 'mdy', 'dmy'];
const SONDE_TIME = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})[ T]+(\d{1,2}):(\d{2}):(\d{2})$/;
const MAX_OFFSET_MINUTES = 14 * 60;
/** The UTC epoch ms of a sonde time text on `clock`, or undefined when the text is not such a time. */
export function sondeTimeToUtc(text, clock) {
    const fields = timeFields(text);
    const local = fields && fieldsAsUtc(fields, clock.order);
    return local === undefined ? undefined : local - clock.offsetMinutes * 60_000;
}
/** The clock that explains the most readings' sampledAt, or undefined when none does. */
export function inferSondeClock(readings) {
    const counts = new Map();
    let best;
    for (const reading of readings) {
        const fields = reading.sampledAt === undefined ? undefined : timeFields(reading.sondeTime);
        if (!fields || reading.sampledAt === undefined)
            continue;
        for (const order of DATE_ORDERS) {
            const local = fieldsAsUtc(fields, order);
            if (local === undefined)
                continue;
            const offset = (local - reading.sampledAt) / 60_000;
            if (!Number.isInteger(offset) || Math.abs(offset) > MAX_OFFSET_MINUTES)
                continue;
            const key = formatSondeClock({ order, offsetMinutes: offset });
            const count = (counts.get(key) ?? 0) + 1;
            counts.set(key, count);
            if (!best || count > best.count)
                best = { key, count };
        }
    }
    return best ? parseSondeClock(best.key) : undefined;
}
export function formatSondeClock(clock) {
    const sign = clock.offsetMinutes < 0 ? '-' : '+';
    const minutes = Math.abs(clock.offsetMinutes);
    const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
    return `${clock.order}${sign}${hhmm}`;
}
export function parseSondeClock(text) {
    const match = /^(ymd|mdy|dmy)([+-])(\d{2})(\d{2})$/.exec(text);
    if (!match)
        return undefined;
    const minutes = Number(match[3]) * 60 + Number(match[4]);
    if (minutes > MAX_OFFSET_MINUTES || Number(match[4]) > 59)
        return undefined;
    return { order: match[1], offsetMinutes: match[2] === '-' ? -minutes : minutes };
}
/** The six numbers of a sonde time text: three date fields in the sonde's order, then h, m, s. */
function timeFields(text) {
    const match = SONDE_TIME.exec(text);
    return match ? match.slice(1).map(Number) : undefined;
}
/** The local time as if it were UTC, epoch ms; undefined when the fields are no date in that order. */
function fieldsAsUtc([a, b, c, hour, minute, second], order) {
    const [year, month, day] = order === 'ymd' ? [a, b, c] : order === 'mdy' ? [c, a, b] : [c, b, a];
    const fullYear = year < 100 ? 2000 + year : year;
    if (month < 1 ||
        month > 12 ||
        day < 1 ||
        day > daysInMonth(fullYear, month) ||
        hour > 23 ||
        minute > 59 ||
        second > 59) {
        return undefined;
    }
    return Date.UTC(fullYear, month - 1, day, hour, minute, second);
}
function daysInMonth(year, month) {
    if (month === 2)
        return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
    return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
//# sourceMappingURL=sonde-clock.js.map