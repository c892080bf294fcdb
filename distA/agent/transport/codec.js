// The wire codec as the sender uses it: what goes out (native XML, or the columnar encoding once the sink
// said it accepts it), and limits on what comes back.
//
// Negotiation (docs/protocol.md §11): every answer of a sink of this system to an upload carries
// `Accept-Post`; when it lists the columnar type, the next uploads use it. An answer without it (an older
// sink, or a proxy that strips it) returns to XML, and so does a 415 to a columnar upload, so an agent
// never stays stuck on an encoding the sink stopped taking.
import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import { COLUMNAR_CONTENT_TYPE, encodeColumnar } from '../../protocol/columnar/index.js';
export const XML_CONTENT_TYPE = 'application/xml';
/** A response carries acks and a handful of commands: a few hundred kilobytes is already generous. */
const RESPONSE_LIMITS = { maxBytes: 4 * 1024 * 1024, maxMessages: 1000 };
const decodeResponse = (body) => decodeContainer(body, RESPONSE_LIMITS);
/** Native XML always: what an agent sends to a sink that never said it accepts more. */
export const nativeCodec = {
    encode: (container) => ({ data: encodeContainer(container), contentType: XML_CONTENT_TYPE }),
    decode: decodeResponse,
};
/** One per destination: XML until the sink lists the columnar type in Accept-Post. */
export class NegotiatedCodec {
    columnar = false;
    get encoding() {
        return this.columnar ? 'columnar' : 'xml';
    }
    encode(container) {
        return this.columnar
            ? { data: encodeColumnar(container), contentType: COLUMNAR_CONTENT_TYPE }
            : nativeCodec.encode(container);
    }
    decode(body) {
        return decodeResponse(body);
    }
    learn(acceptPost) {
        this.columnar = acceptsColumnar(acceptPost);
    }
    refused(contentType) {
        if (contentType !== COLUMNAR_CONTENT_TYPE || !this.columnar)
            return false;
        this.columnar = false;
        return true;
    }
}
/** Whether an Accept-Post value (comma-separated media types, parameters allowed) lists the columnar type. */
export function acceptsColumnar(acceptPost) {
    return (acceptPost ?? '')
        .split(',')
        .some((item) => item.split(';')[0].trim().toLowerCase() === COLUMNAR_CONTENT_TYPE);
}
//# sourceMappingURL=codec.js.map