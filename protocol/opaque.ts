// Body payloads this system does not model (a peer's own data types) survive decode + encode as XML text.
// The decoder records them from parser events (OpaqueRecorder); the encoder replays that text through the
// same safe parser into the writer (replayOpaque), so nothing unescaped is ever pasted into a document.
import { newSaxesParser } from './saxes-parser.js';
import { ProtocolError } from './errors.js';
import { escapeAttribute, escapeText, type XmlWriter } from './xml-writer.js';

/** Rebuilds well-formed XML text from parser events (elements, attributes and text only). */
export class OpaqueRecorder {
  private readonly parts: string[] = [];

  open(name: string, attributes: Record<string, string>): void {
    let tag = `<${name}`;
    for (const [key, value] of Object.entries(attributes)) tag += ` ${key}="${escapeAttribute(value)}"`;
    this.parts.push(`${tag}>`);
  }

  text(text: string): void {
    this.parts.push(escapeText(text));
  }

  close(name: string): void {
    this.parts.push(`</${name}>`);
  }

  toString(): string {
    return this.parts.join('');
  }
}

/** Writes the elements and text of an opaque payload into `writer`. */
export function replayOpaque(xml: string, writer: XmlWriter): void {
  const parser = newSaxesParser({ fragment: true, position: false });
  parser.on('doctype', () => {
    throw new ProtocolError('doctype_forbidden', 'DOCTYPE in an opaque body');
  });
  parser.on('opentag', (tag) => writer.open(tag.name, tag.attributes as Record<string, string>));
  parser.on('text', (text) => writer.text(text));
  parser.on('cdata', (text) => writer.text(text));
  parser.on('closetag', () => writer.close());
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('invalid_value', 'an opaque body that is not well-formed XML');
  }
}
