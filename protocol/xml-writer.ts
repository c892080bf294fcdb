// A thin layer over xmlbuilder2's callback builder (createCB): it streams chunks to the caller instead of
// building a DOM, so a large container is never held twice. The layer exists because xmlbuilder2 4.0.3
// escapes too little for exact round trips:
//  - it leaves "&" alone when it is followed by "lt;", "amp;"... (text "a &lt; b" would come back "a < b"),
//    so every "&" is escaped here first (xmlbuilder2 then keeps the resulting "&amp;" as it is);
//  - it writes CR, LF and TAB literally, which a parser normalises (CR LF -> LF, LF in an attribute ->
//    space), so they are written as character references instead.
import { createCB } from 'xmlbuilder2';
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces.js';
import { ProtocolError } from './errors.js';

export type ChunkSink = (chunk: string) => void;

export interface XmlWriterOptions {
  /** Called for the ">" that closes the root start tag, to let the legacy dialect write " >". */
  rootTagEnd?: string;
}

const CONTROL_REFERENCES: Record<string, string> = { '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' };

export class XmlWriter {
  private readonly builder: XMLBuilderCB;
  private failure: Error | undefined;

  constructor(sink: ChunkSink, options: XmlWriterOptions = {}) {
    let rootTagEnd = options.rootTagEnd;
    this.builder = createCB({
      wellFormed: true, // refuses names and characters XML cannot carry (NUL, lone surrogates...)
      data: (chunk: string, level: number) => {
        if (rootTagEnd !== undefined && level === 0 && chunk === '>') {
          sink(rootTagEnd);
          rootTagEnd = undefined;
          return;
        }
        sink(chunk.replace(/[\r\n\t]/g, (char: string) => CONTROL_REFERENCES[char] ?? char));
      },
      error: (error: Error) => {
        this.failure ??= error;
      },
    });
  }

  declaration(): this {
    this.builder.dec({ version: '1.0', encoding: 'UTF-8', standalone: true });
    return this.check();
  }

  /** Opens an element; attributes whose value is undefined are left out, the rest keep their order. */
  open(name: string, attributes: Record<string, string | undefined> = {}): this {
    const present: Record<string, string> = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (value !== undefined) present[key] = escapeAmpersands(value);
    }
    this.builder.ele(name, present);
    return this.check();
  }

  text(content: string): this {
    if (content !== '') this.builder.txt(escapeAmpersands(content));
    return this.check();
  }

  close(): this {
    this.builder.up();
    return this.check();
  }

  /** `<name attributes>text</name>`; nothing at all when text is undefined. */
  leaf(name: string, text: string | undefined, attributes: Record<string, string | undefined> = {}): this {
    if (text === undefined) return this;
    return this.open(name, attributes).text(text).close();
  }

  end(): void {
    this.builder.end();
    this.check();
  }

  private check(): this {
    if (this.failure) {
      throw new ProtocolError('invalid_value', 'a name or text that XML cannot carry');
    }
    return this;
  }
}

function escapeAmpersands(value: string): string {
  return value.includes('&') ? value.replace(/&/g, '&amp;') : value;
}
