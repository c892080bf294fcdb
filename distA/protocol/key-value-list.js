// A map of short strings in one attribute: "Temp=C SpCond=uS/cm ODOSat=%25". Keys are XML element names
// (no space, no '='); in values '%', space and control characters are percent-escaped.
export function formatKeyValueList(map) {
    return (Object.entries(map)
        // eslint-disable-next-line no-control-regex -- control characters are what must be escaped
        .map(([key, value]) => `${key}=${value.replace(/[% \u0000-\u001f\u007f]/g, percentEscape)}`)
        .join(' '));
}
/** Parses a list written by formatKeyValueList; undefined when malformed. */
export function parseKeyValueList(text) {
    if (text === '')
        return {};
    const entries = [];
    for (const item of text.split(' ')) {
        const equals = item.indexOf('=');
        if (equals <= 0)
            return undefined;
        try {
            entries.push([item.slice(0, equals), decodeURIComponent(item.slice(equals + 1))]);
        }
        catch {
            return undefined; // a broken %-escape
        }
    }
    return Object.fromEntries(entries); // own properties even for a key like "__proto__"
}
function percentEscape(char) {
    return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}
//# sourceMappingURL=key-value-list.js.map