// The wire codec as the sender uses it: what goes out (native XML, or the columnar encoding once the sink
// said it accepts it), and limits on what comes back.
//
// Negotiation (docs/protocol.md §11): every answer of a sink of this system to an upload carries
// `Accept-Post`; when it lists the columnar type, the next uploads use it. An answer without it (an older
// sink, or a proxy that strips it) returns to XML, and so does a 415 to a columnar upload, so an agent
// never stays stuck on an encoding the sink stopped taking.

import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import { COLUMNAR_CONTENT_TYPE, encodeColumnar } from '../../protocol/columnar/index.js';
import type { MessagesContainer } from '../../protocol/model.js';

/** A request body before compression, and its Content-Type. */
export interface EncodedBody {
  data: string | Uint8Array;
  contentType: string;
}

export interface ContainerCodec {
  encode(container: MessagesContainer): EncodedBody;
  decode(body: Uint8Array): MessagesContainer;
  /** The `Accept-Post` of a 200 answer (undefined: the sink said nothing). */
  learn?(acceptPost: string | undefined): void;
  /** The sink answered 415 to a body of `contentType`: true when the codec falls back to another encoding. */
  refused?(contentType: string): boolean;
}

export const XML_CONTENT_TYPE = 'application/xml';

/** A response carries acks and a handful of commands: a few hundred kilobytes is already generous. */
const RESPONSE_LIMITS = { maxBytes: 4 * 1024 * 1024, maxMessages: 1000 };

const decodeResponse = (body: Uint8Array): MessagesContainer => decodeContainer(body, RESPONSE_LIMITS);

/** Native XML always: what an agent sends to a sink that never said it accepts more. */
export const nativeCodec: ContainerCodec = {
  encode: (container) => ({ data: encodeContainer(container), contentType: XML_CONTENT_TYPE }),
  decode: decodeResponse,
};

/** One per destination: XML until the sink lists the columnar type in Accept-Post. */
export class NegotiatedCodec implements ContainerCodec {
  private columnar = false;

  get encoding(): 'xml' | 'columnar' {
    return this.columnar ? 'columnar' : 'xml';
  }

  encode(container: MessagesContainer): EncodedBody {
    return this.columnar
      ? { data: encodeColumnar(container), contentType: COLUMNAR_CONTENT_TYPE }
      : nativeCodec.encode(container);
  }

  decode(body: Uint8Array): MessagesContainer {
    return decodeResponse(body);
  }

  learn(acceptPost: string | undefined): void {
    this.columnar = acceptsColumnar(acceptPost);
  }

  refused(contentType: string): boolean {
    if (contentType !== COLUMNAR_CONTENT_TYPE || !this.columnar) return false;
    this.columnar = false;
    return true;
  }
}

/** Whether an Accept-Post value (comma-separated media types, parameters allowed) lists the columnar type. */
export function acceptsColumnar(acceptPost: string | undefined): boolean {
  return (acceptPost ?? '')
    .split(',')
    .some((item) => item.split(';')[0]!.trim().toLowerCase() === COLUMNAR_CONTENT_TYPE);
}
