// The wire codec as the sender uses it: what goes out (native XML, or the columnar encoding once the sink
// said it accepts it), and limits on what comes back.
//
// Negotiation (docs/protocol.md §11): every answer of a sink of this system to an upload carries
// `Accept-Post`; when it lists the columnar type, the next uploads use it. An answer without it (an older
// sink, or a proxy that strips it) returns to XML, and so does a 415 to a columnar upload, so an agent
// never stays stuck on an encoding the sink stopped taking. What a sink said is remembered across restarts
// (sink-encodings.ts): a restarted agent starts with it when the sink's URL is the one it was learned from.

import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import { COLUMNAR_CONTENT_TYPE, encodeColumnar } from '../../protocol/columnar/index.js';
import type { MessagesContainer } from '../../protocol/model.js';
import type { EncodingMemory } from './sink-encodings.js';

/** A request body before compression, and its Content-Type. */
export interface EncodedBody {
  data: string | Uint8Array;
  contentType: string;
}

export interface ContainerCodec {
  encode(container: MessagesContainer): EncodedBody;
  decode(body: Uint8Array): MessagesContainer;
  /** The `Accept-Post` of a 200 answer (undefined: the sink said nothing) from the sink at `sinkUrl`. */
  learn?(acceptPost: string | undefined, sinkUrl?: string): void;
  /**
   * The sink at `sinkUrl` answered 415 to a body of `contentType`: true when that body's encoding is one the
   * codec negotiated, so that the same entries go again in the encoding it uses now (XML).
   */
  refused?(contentType: string, sinkUrl?: string): boolean;
  /**
   * The encoding is known before this process got an answer (remembered from an earlier run for this sink
   * URL): the sender may pipeline from its first request.
   */
  readonly settled?: boolean;
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

/** One per destination: XML until the sink lists the columnar type in Accept-Post (or it is remembered). */
export class NegotiatedCodec implements ContainerCodec {
  private columnar = false;
  private remembered = false;

  /**
   * `remembering.memory`: what the sink said in an earlier run, used when it was learned from `sinkUrl`
   * (the sink's URL now), and where each change is recorded.
   */
  constructor(private readonly remembering?: { memory: EncodingMemory; sinkUrl: string }) {
    const recalled = remembering?.memory.recalled;
    if (recalled && recalled.url === remembering.sinkUrl) {
      this.columnar = recalled.encoding === 'columnar';
      this.remembered = true;
    }
  }

  get settled(): boolean {
    return this.remembered;
  }

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

  learn(acceptPost: string | undefined, sinkUrl?: string): void {
    this.columnar = acceptsColumnar(acceptPost);
    this.record(sinkUrl);
  }

  /**
   * Every 415 to a columnar body, not only the first: several columnar requests may be in flight when the
   * sink stops taking it (or a remembered encoding is out of date), and each must go again as XML, not be
   * halved and set aside as a refused reading would.
   */
  refused(contentType: string, sinkUrl?: string): boolean {
    if (contentType !== COLUMNAR_CONTENT_TYPE) return false;
    this.columnar = false;
    this.record(sinkUrl);
    return true;
  }

  private record(sinkUrl: string | undefined): void {
    if (sinkUrl !== undefined) this.remembering?.memory.remember({ url: sinkUrl, encoding: this.encoding });
  }
}

/** Whether an Accept-Post value (comma-separated media types, parameters allowed) lists the columnar type. */
export function acceptsColumnar(acceptPost: string | undefined): boolean {
  return (acceptPost ?? '')
    .split(',')
    .some((item) => item.split(';')[0]!.trim().toLowerCase() === COLUMNAR_CONTENT_TYPE);
}
