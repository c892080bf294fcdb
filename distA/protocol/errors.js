// The one error type the codec throws. The sink returns `code` and `message` in a 400 as they are, so a
// message is short, names what was wrong and never carries input text, parser internals or a stack.
export const PROTOCOL_ERROR_CODES = [
    'doctype_forbidden', // any <!DOCTYPE>: DTDs and entity declarations are never processed
    'entity_forbidden', // an entity reference other than the five predefined ones and character references
    'too_large', // the document exceeds DecodeLimits.maxBytes
    'too_deep', // element nesting exceeds DecodeLimits.maxDepth
    'too_many_messages', // more messages than DecodeLimits.maxMessages
    'too_many_attributes', // an element with more attributes than DecodeLimits.maxAttributes
    'text_too_long', // a text or attribute value longer than DecodeLimits.maxTextLength
    'invalid_utf8', // the bytes are not UTF-8
    'unsupported_encoding', // the XML declaration names an encoding other than UTF-8
    'malformed', // not well-formed XML, or the wrong structure (text where elements belong, missing parts)
    'unknown_element', // an element the protocol does not define at that place
    'invalid_value', // a value of the wrong type: non-numeric sequence, bad time, unknown flag...
    'invalid_sequence', // sequence numbers that contradict each other (readings not increasing, a reading's but no message's)
    'invalid_form', // the urlencoded legacy HTTP body has no usable dspMessagesContainer field
];
export class ProtocolError extends Error {
    code;
    name = 'ProtocolError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
//# sourceMappingURL=errors.js.map