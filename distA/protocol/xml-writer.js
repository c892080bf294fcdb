// A small streaming XML serializer: elements, attributes and text, escaped completely, flushed to the
// caller in chunks of about 16 KiB so that a large container is never held twice.
//
// It replaced xmlbuilder2: 4.0.3's callback builder creates DOM
// nodes for every element and text it streams, which measured 117 ms per 60-reading container (about 500
// readings/s, far below the sink's and the agent's drain targets), and it escapes too little for exact
// round trips ("&lt;" in a text is written as is and read back as "<"; CR, LF and TAB are written literally
// and normalised away by parsers). This writer escapes "&", "<", ">" everywhere, '"' in attributes, and
// writes CR, LF and TAB as character references.
import { ProtocolError } from './errors.js';
const FLUSH_AT = 16 * 1024;
const ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    '\r': '&#13;',
    '\n': '&#10;',
    '\t': '&#9;',
};
const TEXT_SPECIALS = /[&<>\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"\r\n\t]/g;
/** Characters XML 1.0 cannot carry at all (C0 controls but TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const XML_NAME = /^[\p{L}_:][\p{L}\p{M}\p{N}._:\u00B7-]*$/u;
export class XmlWriter {
    sink;
    buffer = '';
    /** Names of the open elements; the last one's start tag is still open while startTagOpen. */
    open_ = [];
    startTagOpen = false;
    rootTagEnd;
    constructor(sink, options = {}) {
        this.sink = sink;
        this.rootTagEnd = options.rootTagEnd;
    }
    declaration() {
        this.buffer += '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
        return this;
    }
    /** Opens an element; attributes whose value is undefined are left out, the rest keep their order. */
    open(name, attributes = {}) {
        this.endStartTag();
        let tag = `<${checkedName(name)}`;
        for (const key in attributes) {
            const value = attributes[key];
            if (value !== undefined)
                tag += ` ${checkedName(key)}="${escapeAttribute(value)}"`;
        }
        this.buffer += tag;
        this.open_.push(name);
        this.startTagOpen = true;
        return this;
    }
    text(content) {
        if (content === '')
            return this;
        this.endStartTag();
        this.buffer += escapeText(content);
        return this.flushIfFull();
    }
    close() {
        const name = this.open_.pop();
        if (name === undefined)
            throw new Error('XmlWriter: close() without an open element');
        if (this.startTagOpen) {
            this.buffer += '/>';
            this.startTagOpen = false;
        }
        else {
            this.buffer += `</${name}>`;
        }
        return this.flushIfFull();
    }
    /** `<name attributes>text</name>`; nothing at all when text is undefined. */
    leaf(name, text, attributes = {}) {
        if (text === undefined)
            return this;
        return this.open(name, attributes).text(text).close();
    }
    /** Writes what is left; every element must be closed. */
    end(trailer = '') {
        if (this.open_.length > 0)
            throw new Error('XmlWriter: end() with open elements');
        this.buffer += trailer;
        this.flush();
    }
    endStartTag() {
        if (!this.startTagOpen)
            return;
        this.startTagOpen = false;
        if (this.open_.length === 1 && this.rootTagEnd !== undefined) {
            this.buffer += this.rootTagEnd;
            this.rootTagEnd = undefined;
        }
        else {
            this.buffer += '>';
        }
    }
    flushIfFull() {
        if (this.buffer.length >= FLUSH_AT)
            this.flush();
        return this;
    }
    flush() {
        if (this.buffer === '')
            return;
        this.sink(this.buffer);
        this.buffer = '';
    }
}
export function escapeText(value) {
    return escape(value, TEXT_SPECIALS);
}
export function escapeAttribute(value) {
    return escape(value, ATTRIBUTE_SPECIALS);
}
function escape(value, specials) {
    if (NOT_XML_CHAR.test(value))
        throw new ProtocolError('invalid_value', 'a text with a character XML cannot carry');
    specials.lastIndex = 0;
    return specials.test(value) ? value.replace(specials, (char) => ESCAPES[char] ?? char) : value;
}
export function checkedName(name) {
    if (!XML_NAME.test(name))
        throw new ProtocolError('invalid_value', 'a name XML cannot carry');
    return name;
}
/** Refuses a text XML 1.0 cannot carry (what the columnar decoder checks, so both encodings take the same texts). */
export function checkedText(value) {
    if (NOT_XML_CHAR.test(value))
        throw new ProtocolError('invalid_value', 'a text with a character XML cannot carry');
    return value;
}
//# sourceMappingURL=xml-writer.js.map