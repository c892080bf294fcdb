// XML -> MessagesContainer, safe on hostile input. Bytes are checked as strict UTF-8 while they stream
// into a SAX parser (saxes), whose events build the model directly (model-builder.ts): no document tree,
// no DTD (any DOCTYPE is refused the moment it is seen, so no entity is ever declared, let alone expanded;
// only the five predefined entities and character references exist), and limits on everything that could
// make a small request cost a lot. Every failure is a ProtocolError with a short, client-safe reason.
import { newSaxesParser, type SaxesParser } from './saxes-parser.js';
import { ProtocolError } from './errors.js';
import type { MessagesContainer } from './model.js';
import type { Attributes } from './attribute-values.js';
import { ModelBuilder } from './model-builder.js';

export interface DecodeLimits {
  /** Document size in bytes (UTF-8), after any HTTP decompression. */
  maxBytes: number;
  /** Element nesting depth; the protocol itself needs 6, opaque payloads a little more. */
  maxDepth: number;
  maxMessages: number;
  /** Characters of one text or attribute value. */
  maxTextLength: number;
  /** Attributes on one element. */
  maxAttributes: number;
}

export const DEFAULT_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 32,
  maxMessages: 10_000,
  maxTextLength: 64 * 1024,
  maxAttributes: 32,
});

const SLICE_BYTES = 64 * 1024;

export function decodeContainer(input: Uint8Array | string, limits: Partial<DecodeLimits> = {}): MessagesContainer {
  const decoder = new ContainerDecoder(limits);
  if (typeof input === 'string') {
    decoder.writeText(input);
  } else {
    if (input.byteLength > decoder.limits.maxBytes) throw tooLarge();
    for (let offset = 0; offset < input.byteLength; offset += SLICE_BYTES) {
      decoder.write(input.subarray(offset, offset + SLICE_BYTES));
    }
  }
  return decoder.end();
}

/**
 * Incremental decoder: feed the body as it arrives (write), then end(). Memory stays at the model plus
 * one chunk, and an oversized or hostile document is refused before the rest of it is read.
 */
export class ContainerDecoder {
  readonly limits: DecodeLimits;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private readonly parser: SaxesParser<{ position: false }>;
  private readonly builder: ModelBuilder;
  private bytes = 0;
  private started = false;
  /** Until the root element starts: the prolog's last characters, to spot "<!DOCTYPE" across chunks. */
  private prologTail: string | undefined = '';

  constructor(limits: Partial<DecodeLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.builder = new ModelBuilder(this.limits);
    this.parser = newSaxesParser({ position: false });
    this.parser.on('doctype', () => {
      throw new ProtocolError('doctype_forbidden', 'DOCTYPE is not allowed');
    });
    this.parser.on('xmldecl', (declaration) => {
      if (declaration.encoding !== undefined && !/^utf-?8$/i.test(declaration.encoding)) {
        throw new ProtocolError('unsupported_encoding', 'only UTF-8 documents are accepted');
      }
    });
    // Limits are checked on 'opentag': handlers for 'opentagstart' or 'attribute' make saxes six times slower.
    this.parser.on('opentag', (tag) => {
      this.prologTail = undefined;
      this.checkElement(tag.attributes as Attributes);
      this.builder.open(tag.name, tag.attributes as Attributes);
    });
    this.parser.on('text', (text) => this.builder.text(text));
    this.parser.on('cdata', (text) => this.builder.text(text));
    this.parser.on('closetag', () => this.builder.close());
  }

  write(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (this.bytes > this.limits.maxBytes) throw tooLarge();
    let text: string;
    try {
      text = this.utf8.decode(chunk, { stream: true });
    } catch {
      throw new ProtocolError('invalid_utf8', 'the document is not valid UTF-8');
    }
    this.parse(text);
  }

  /** For a document already in a string (its UTF-8 size counts against maxBytes). */
  writeText(text: string): void {
    this.bytes += Buffer.byteLength(text, 'utf8');
    if (this.bytes > this.limits.maxBytes) throw tooLarge();
    this.parse(this.started ? text : text.replace(/^\uFEFF/, ''));
  }

  end(): MessagesContainer {
    try {
      this.utf8.decode();
    } catch {
      throw new ProtocolError('invalid_utf8', 'the document ends inside a UTF-8 sequence');
    }
    this.guarded(() => this.parser.close());
    return this.builder.result();
  }

  private checkElement(attributes: Attributes): void {
    if (this.builder.depth >= this.limits.maxDepth) throw new ProtocolError('too_deep', 'elements nested too deeply');
    let count = 0;
    for (const name in attributes) {
      if (++count > this.limits.maxAttributes) {
        throw new ProtocolError('too_many_attributes', 'an element with too many attributes');
      }
      if ((attributes[name]?.length ?? 0) > this.limits.maxTextLength) {
        throw new ProtocolError('text_too_long', 'an attribute value longer than the limit');
      }
    }
  }

  private parse(text: string): void {
    if (text === '') return;
    this.started = true;
    this.refuseDoctypeAtOnce(text);
    this.guarded(() => this.parser.write(text));
  }

  /**
   * saxes reports a DOCTYPE only once it has read all of it, internal subset included; this refuses it as
   * soon as its first bytes arrive, so a huge DTD is never buffered.
   */
  private refuseDoctypeAtOnce(text: string): void {
    if (this.prologTail === undefined) return;
    const rootStart = text.search(/<[\p{L}_:]/u); // the prolog ends where the first element starts
    const prolog = this.prologTail + (rootStart < 0 ? text : text.slice(0, rootStart));
    if (prolog.includes('<!DOCTYPE')) throw new ProtocolError('doctype_forbidden', 'DOCTYPE is not allowed');
    this.prologTail = rootStart < 0 ? prolog.slice(-8) : undefined;
  }

  /** Turns whatever the parser throws into a ProtocolError: parser messages never reach a client. */
  private guarded(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      const reason = error instanceof Error ? error.message : '';
      if (/undefined entity|entity/i.test(reason))
        throw new ProtocolError('entity_forbidden', 'only the predefined XML entities are allowed');
      throw new ProtocolError('malformed', 'the document is not well-formed XML');
    }
  }
}

function tooLarge(): ProtocolError {
  return new ProtocolError('too_large', 'the document is larger than the limit');
}
