// The container's creationTime attribute: Java SimpleDateFormat "yyyy-MM-dd'T'HH:mm:ssZ" in the original
// (2009-05-16T14:04:00-0700). This system writes UTC ("+0000") and adds ".SSS" only when the milliseconds
// are not zero, so that old peers parse every whole-second time and no instant loses precision.
const CONTAINER_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
/** Canonical text of an epoch-ms instant: UTC, offset "+0000", milliseconds only when non-zero. */
export function formatContainerTime(epochMs) {
    const iso = new Date(epochMs).toISOString(); // 2009-05-16T21:04:00.000Z
    const seconds = iso.slice(0, 19);
    const millis = iso.slice(20, 23);
    return `${seconds}${millis === '000' ? '' : `.${millis}`}+0000`;
}
/** Epoch ms of a container time text, or undefined when it is not one. Fractions below 1 ms are cut. */
export function parseContainerTime(text) {
    const match = CONTAINER_TIME.exec(text);
    if (!match)
        return undefined;
    const [, year, month, day, hour, minute, second, fraction = '', offset = 'Z'] = match;
    const fields = [year, month, day, hour, minute, second].map(Number);
    const [y, mo, d, h, mi, s] = fields;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
        return undefined;
    const utc = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
    if (new Date(utc).getUTCDate() !== d)
        return undefined; // 2009-02-30 and the like
    return utc - offsetMinutes(offset) * 60_000;
}
function offsetMinutes(offset) {
    if (offset === 'Z')
        return 0;
    const digits = offset.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}
/** The text to write for `epochMs`: the peer's original text when it still denotes that instant. */
export function containerTimeText(epochMs, originalText) {
    if (originalText !== undefined && parseContainerTime(originalText) === epochMs)
        return originalText;
    return formatContainerTime(epochMs);
}
/** What a decoder keeps of a received text: nothing when the canonical form says the same. */
export function nonCanonicalTimeText(epochMs, text) {
    return formatContainerTime(epochMs) === text ? undefined : text;
}
//# sourceMappingURL=time-format.js.map