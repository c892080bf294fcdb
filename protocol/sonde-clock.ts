// The sonde's clock, declared once per container (`sondeClock` on MessagesContainer) so that a reading's
// UTC time (sampledAt) need not travel next to the sonde's own time text (samplingTimeStamp): with the
// clock "ymd-0700", "2009/05/16 14:03:06" is 2009-05-16T21:03:06Z. The text is three date numbers in the
// declared order (a two-digit year is 20yy), then hh:mm:ss; the offset is the sonde clock's, +-HHMM.

export type DateOrder = 'ymd' | 'mdy' | 'dmy';

export interface SondeClock {
  order: DateOrder;
  /** Minutes the sonde clock is ahead of UTC (-420 for a clock on UTC-7). */
  offsetMinutes: number;
}

const DATE_ORDERS: readonly DateOrder[] = ['ymd', 'mdy', 'dmy'];
const SONDE_TIME = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})[ T]+(\d{1,2}):(\d{2}):(\d{2})$/;
const MAX_OFFSET_MINUTES = 14 * 60;
const CLOCK_KEY_SPAN = 2 * MAX_OFFSET_MINUTES + 1;

/** The UTC epoch ms of a sonde time text on `clock`, or undefined when the text is not such a time. */
export function sondeTimeToUtc(text: string, clock: SondeClock): number | undefined {
  return fieldsToUtc(timeFields(text), clock);
}

/** sondeTimeToUtc of a text already split by timeFields (a text read more than once is split once). */
export function fieldsToUtc(fields: TimeFields | undefined, clock: SondeClock): number | undefined {
  const local = fields && fieldsAsUtc(fields, clock.order);
  return local === undefined ? undefined : local - clock.offsetMinutes * 60_000;
}

/**
 * The clock that explains the most readings' sampledAt, or undefined when none does. `fields`: the
 * readings' timeFields, when the caller has them already.
 */
export function inferSondeClock(
  readings: readonly { sondeTime: string; sampledAt?: number }[],
  fields?: readonly (TimeFields | undefined)[],
): SondeClock | undefined {
  // Clocks by a number: the order's index, then the offset (|offset| <= MAX_OFFSET_MINUTES).
  const counts = new Map<number, number>();
  let best: { key: number; count: number } | undefined;
  readings.forEach((reading, index) => {
    if (reading.sampledAt === undefined) return;
    const parsed = fields ? fields[index] : timeFields(reading.sondeTime);
    if (!parsed) return;
    for (let o = 0; o < DATE_ORDERS.length; o++) {
      const local = fieldsAsUtc(parsed, DATE_ORDERS[o]!);
      if (local === undefined) continue;
      const offset = (local - reading.sampledAt) / 60_000;
      if (!Number.isInteger(offset) || Math.abs(offset) > MAX_OFFSET_MINUTES) continue;
      const key = o * CLOCK_KEY_SPAN + offset + MAX_OFFSET_MINUTES;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (!best || count > best.count) best = { key, count };
    }
  });
  if (!best) return undefined;
  const { key } = best;
  // `+ 0`: an offset of -0 reads as 0, as the clock's text would.
  return {
    order: DATE_ORDERS[Math.floor(key / CLOCK_KEY_SPAN)]!,
    offsetMinutes: (key % CLOCK_KEY_SPAN) - MAX_OFFSET_MINUTES + 0,
  };
}

export function formatSondeClock(clock: SondeClock): string {
  const sign = clock.offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(clock.offsetMinutes);
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
  return `${clock.order}${sign}${hhmm}`;
}

export function parseSondeClock(text: string): SondeClock | undefined {
  const match = /^(ymd|mdy|dmy)([+-])(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[3]) * 60 + Number(match[4]);
  if (minutes > MAX_OFFSET_MINUTES || Number(match[4]) > 59) return undefined;
  return { order: match[1] as DateOrder, offsetMinutes: match[2] === '-' ? -minutes : minutes };
}

export type TimeFields = [number, number, number, number, number, number];

/** The six numbers of a sonde time text: three date fields in the sonde's order, then h, m, s. */
export function timeFields(text: string): TimeFields | undefined {
  const match = SONDE_TIME.exec(text);
  return match ? (match.slice(1).map(Number) as TimeFields) : undefined;
}

/** The local time as if it were UTC, epoch ms; undefined when the fields are no date in that order. */
export function fieldsAsUtc([a, b, c, hour, minute, second]: TimeFields, order: DateOrder): number | undefined {
  const [year, month, day] = order === 'ymd' ? [a, b, c] : order === 'mdy' ? [c, a, b] : [c, b, a];
  const fullYear = year < 100 ? 2000 + year : year;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(fullYear, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return Date.UTC(fullYear, month - 1, day, hour, minute, second);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
