// Connection URLs carry the database password: whatever the store logs or throws goes through redact() first.
const URL_PASSWORD = /(postgres(?:ql)?:\/\/[^:/?#@\s]*:)[^@\s]*@/gi;
/** The URL with its password replaced by ***, for messages. */
export function redactUrl(url) {
    return url.replace(URL_PASSWORD, '$1***@');
}
/** `text` with every form of the URL's password (as written, decoded) replaced by ***. */
export function redact(text, url) {
    let out = redactUrl(text);
    for (const secret of passwordForms(url))
        out = out.split(secret).join('***');
    return out;
}
/** A new error whose message is redacted; the original (whose fields may hold the URL) is not kept. */
export function redactError(error, url, context) {
    const message = error instanceof Error ? error.message : String(error);
    const safe = new Error(redact(context ? `${context}: ${message}` : message, url));
    const code = error?.code;
    if (typeof code === 'string')
        Object.assign(safe, { code });
    return safe;
}
function passwordForms(url) {
    const match = /^[a-z]+:\/\/[^:/?#@\s]*:([^@\s]*)@/i.exec(url);
    const written = match?.[1];
    if (!written)
        return [];
    let decoded = written;
    try {
        decoded = decodeURIComponent(written);
    }
    catch {
        // not valid percent-encoding: the written form is all there is
    }
    return [...new Set([written, decoded])].filter((s) => s.length > 0);
}
//# sourceMappingURL=postgres-url.js.map