// The original gateway POSTed its container as application/x-www-form-urlencoded with one field,
// dspMessagesContainer (reference: test/fixtures/netbeams/legacy-http-request.txt). The encoding is Java's
// URLEncoder, which matches the WHATWG urlencoded serializer: letters, digits and "*-._" stay, a space
// becomes "+", every other UTF-8 byte becomes %XX in upper case.
import { ProtocolError } from './errors.js';
export const LEGACY_FORM_FIELD = 'dspMessagesContainer';
export const LEGACY_FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export function encodeLegacyForm(xml) {
    return new URLSearchParams({ [LEGACY_FORM_FIELD]: xml }).toString();
}
/** The XML inside a legacy form body. Strict where URLSearchParams is lenient: bad escapes are refused. */
export function decodeLegacyForm(body) {
    let xml;
    for (const field of body.split('&')) {
        const equals = field.indexOf('=');
        const name = equals < 0 ? field : field.slice(0, equals);
        if (name !== LEGACY_FORM_FIELD)
            continue;
        if (xml !== undefined)
            throw new ProtocolError('invalid_form', `${LEGACY_FORM_FIELD} given twice`);
        xml = formValue(equals < 0 ? '' : field.slice(equals + 1));
    }
    if (xml === undefined || xml === '')
        throw new ProtocolError('invalid_form', `no ${LEGACY_FORM_FIELD} field`);
    return xml;
}
function formValue(encoded) {
    try {
        return decodeURIComponent(encoded.replace(/\+/g, ' '));
    }
    catch {
        throw new ProtocolError('invalid_form', `${LEGACY_FORM_FIELD} has a broken %-escape or is not UTF-8`);
    }
}
//# sourceMappingURL=legacy-form.js.map