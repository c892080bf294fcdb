// Column binding: which value sits in which column of a sonde line.
//
// The order depends on the sonde's Report setup and firmware, so it is read from the sonde itself: the
// header block (a names line and a units line), or the `para` reply (parameter ids). Never from positions.
import { columnForParaId, dateTimeColumn, isKnownName, keyFor, normaliseUnit } from './parameters.js';
/** Splits a sonde line: comma/quote delimited when it has a comma, whitespace-separated otherwise. */
export function tokenize(line) {
    return line.includes(',')
        ? splitDelimited(line)
        : whitespaceRuns(line, (start, end) => ({ text: line.slice(start, end), start, end }));
}
/** The field texts of a line, as tokenize() splits it, without their spans (every data line comes here). */
export function fields(line) {
    return line.includes(',')
        ? splitDelimited(line).map((t) => t.text)
        : whitespaceRuns(line, (start, end) => line.slice(start, end));
}
/** Runs of non-blank characters, a plain loop (no regex iterator): `make` builds each from its span. */
function whitespaceRuns(line, make) {
    const runs = [];
    let start = -1;
    for (let i = 0; i <= line.length; i++) {
        const blank = i === line.length || isBlank(line.charCodeAt(i));
        if (blank && start >= 0) {
            runs.push(make(start, i));
            start = -1;
        }
        else if (!blank && start < 0)
            start = i;
    }
    return runs;
}
/** What `\s` matches in the ASCII range (the sonde prints nothing else between fields). */
function isBlank(code) {
    return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0;
}
function splitDelimited(line) {
    const tokens = [];
    let start = 0;
    for (const field of line.split(',')) {
        const end = start + field.length;
        tokens.push({
            text: field
                .trim()
                .replace(/^"(.*)"$/, '$1')
                .trim(),
            start,
            end,
        });
        start = end + 1;
    }
    return tokens;
}
/**
 * Units for each name of a header. Delimited headers, and headers with a unit for every name, pair by
 * index. Otherwise a blank unit (pH) left no token, so pair by position: each unit goes to the name
 * whose span it overlaps most, or failing that, the name whose right edge is nearest (the sonde right-aligns).
 */
function unitsByName(names, units, delimited) {
    if (delimited || units.length === names.length)
        return names.map((_, i) => units[i]?.text ?? '');
    const result = names.map(() => '');
    for (const unit of units) {
        let best = -1;
        let bestScore = -Infinity;
        names.forEach((name, i) => {
            const overlap = Math.min(name.end, unit.end) - Math.max(name.start, unit.start);
            const score = overlap > 0 ? overlap * 1000 : -Math.abs(name.end - unit.end);
            if (score > bestScore && result[i] === '') {
                best = i;
                bestScore = score;
            }
        });
        if (best >= 0)
            result[best] = unit.text;
    }
    return result;
}
/** Columns from a header's names line and (optional) units line; a Date without a date unit gets `dateFormat`. */
export function columnsFromHeader(namesLine, unitsLine, dateFormat = 'mdy') {
    const delimited = namesLine.includes(',');
    const names = tokenize(namesLine);
    const units = unitsByName(names, unitsLine === null ? [] : tokenize(unitsLine), delimited);
    return dedupeKeys(names.map((name, i) => {
        const unit = normaliseUnit(units[i] ?? '');
        const dateTime = dateTimeColumn(name.text, unit);
        if (dateTime)
            return dateTime;
        if (/^date$/i.test(name.text))
            return { kind: 'date', format: dateFormat };
        const key = keyFor(name.text, unit);
        return { kind: 'value', key, unit: unit === '' && key === 'pH' ? 'pH' : unit };
    }));
}
/** The integer ids of a `para` reply (`52, 43, 23`, `1 7 12`, `... 37, and 28`); null when it has none. */
export function parseParaReply(reply) {
    const cleaned = reply.replace(/\band\b/gi, ' ');
    if (!/^[\d\s,]+$/.test(cleaned))
        return null;
    const ids = (cleaned.match(/\d+/g) ?? []).map(Number);
    return ids.length > 0 ? ids : null;
}
export function columnsFromPara(ids) {
    return dedupeKeys(ids.map(columnForParaId));
}
/** Two columns with one key (Temp in C and F) keep both: the second gets its unit appended. */
function dedupeKeys(columns) {
    const seen = new Set();
    return columns.map((c) => {
        if (c.kind !== 'value')
            return c;
        let key = c.key;
        if (seen.has(key))
            key = `${key}${c.unit.replace(/[^A-Za-z0-9]/g, '')}`;
        while (seen.has(key))
            key += '_';
        seen.add(key);
        return { ...c, key };
    });
}
/** True for a header names line: no number in it, and it starts with Date/Time or names known parameters. */
export function looksLikeNamesLine(fields) {
    if (fields.length < 2 || fields.some((f) => /\d/.test(f)))
        return false;
    const first = fields[0].toLowerCase();
    if (first === 'date' || first === 'time')
        return true;
    const known = fields.filter((f) => isKnownName(f)).length;
    return known * 2 >= fields.length;
}
/** True for a units line: no token that reads as a number (units carry no digits apart from none). */
export function looksLikeUnitsLine(fields) {
    return fields.length > 0 && !fields.some((f) => /^[-+]?\.?\d/.test(f));
}
export function columnKeys(columns) {
    return columns.map((c) => (c.kind === 'value' ? c.key : c.kind === 'date' ? 'Date' : 'Time'));
}
//# sourceMappingURL=columns.js.map