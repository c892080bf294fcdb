// Readings as CSV (`dsp-sonde parse --format csv`): sampledAt, sondeTime, one column per value key with its
// unit, flags. A file whose columns change (a transcript with a new `para` or header) gets a new header
// line where they change, so no value ever lands under another column's name.
export class ReadingCsv {
    columns = null;
    /** The line(s) for one record: a header line first when its columns differ from the last one's. */
    line(record) {
        const keys = Object.keys(record.values);
        const header = [
            'sampledAt',
            'sondeTime',
            ...keys.map((k) => (record.units[k] ? `${k} (${record.units[k]})` : k)),
            'flags',
        ]
            .map(quote)
            .join(',');
        const row = [
            record.sampledAt ?? '',
            record.sondeTime,
            ...keys.map((k) => (record.values[k] === null ? '' : String(record.values[k]))),
            record.flags.join(';'),
        ]
            .map(quote)
            .join(',');
        if (header === this.columns)
            return row + '\n';
        this.columns = header;
        return header + '\n' + row + '\n';
    }
}
/** RFC 4180: a field with a comma, quote or line break goes in quotes, its quotes doubled. */
function quote(field) {
    return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
//# sourceMappingURL=reading-csv.js.map