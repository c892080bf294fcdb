// The sonde's time texts (samplingTimeStamp) of a segment as "start + interval with exceptions": the
// segment names a template that prints a time the way the sonde prints it ("Y/M/D h:m:s" prints
// 2009/05/16 14:03:06), and each reading's time is the previous one's + the interval unless an exception
// says otherwise. A text the template cannot reproduce exactly travels verbatim.
import { ProtocolError } from '../errors.js';
import { fieldsAsUtc, timeFields, type DateOrder, type TimeFields } from '../sonde-clock.js';

/** Placeholders: Y four-digit year, y two-digit year (20yy), M month, D day, h hour, m minute, s second. */
const ORDERS: Record<DateOrder, string[]> = { ymd: ['Y', 'M', 'D'], mdy: ['M', 'D', 'Y'], dmy: ['D', 'M', 'Y'] };
export const MAX_TEMPLATE_LENGTH = 40;

/** Every template the sonde clock's text format allows (sonde-clock.ts): 3 orders, 3 separators, 2 year widths, 2 joins. */
const CANDIDATES: { template: string; order: DateOrder }[] = [];
for (const order of ['ymd', 'mdy', 'dmy'] as const)
  for (const year of ['Y', 'y'])
    for (const sep of ['/', '-', '.'])
      for (const join of [' ', 'T']) {
        const date = ORDERS[order].map((p) => (p === 'Y' ? year : p)).join(sep);
        CANDIDATES.push({ template: `${date}${join}h:m:s`, order });
      }

/** The printed time of `seconds` (epoch seconds of the sonde's local time) by `template`. */
export function renderStamp(template: string, seconds: number): string {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999)
    throw new ProtocolError('invalid_value', 'a time out of range');
  let out = '';
  for (const char of template) {
    switch (char) {
      case 'Y':
        out += String(year).padStart(4, '0');
        break;
      case 'y':
        out += String(year % 100).padStart(2, '0');
        break;
      case 'M':
        out += two(date.getUTCMonth() + 1);
        break;
      case 'D':
        out += two(date.getUTCDate());
        break;
      case 'h':
        out += two(date.getUTCHours());
        break;
      case 'm':
        out += two(date.getUTCMinutes());
        break;
      case 's':
        out += two(date.getUTCSeconds());
        break;
      default:
        out += char;
    }
  }
  return out;
}

/**
 * The stamp's time (local epoch seconds) if `template` prints exactly `text` from it. `fields`:
 * timeFields(text), when the caller has it already.
 */
export function stampSeconds(
  template: string,
  order: DateOrder,
  text: string,
  fields: TimeFields | undefined = timeFields(text),
): number | undefined {
  const ms = fields && fieldsAsUtc(fields, order);
  if (ms === undefined) return undefined;
  const seconds = ms / 1000;
  return renderStamp(template, seconds) === text ? seconds : undefined;
}

/** The template that reproduces the most of these texts (checked on the first few), or undefined. `fields`: their timeFields. */
export function chooseTemplate(
  texts: readonly string[],
  fields: readonly (TimeFields | undefined)[] = texts.map(timeFields),
): { template: string; order: DateOrder } | undefined {
  const sample = texts.slice(0, 4);
  let best: { template: string; order: DateOrder; hits: number } | undefined;
  for (const candidate of CANDIDATES) {
    const hits = sample.filter(
      (t, i) => stampSeconds(candidate.template, candidate.order, t, fields[i]) !== undefined,
    ).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { ...candidate, hits };
  }
  return best && { template: best.template, order: best.order };
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

function two(n: number): string {
  return TWO_DIGITS[n] ?? String(n).padStart(2, '0');
}
