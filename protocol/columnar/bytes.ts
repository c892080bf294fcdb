// The byte primitives of the columnar encoding (docs/protocol.md §11): LEB128 unsigned varints, zigzag
// signed varints, and UTF-8 strings with a varint length. The reader refuses anything truncated, too long
// or not UTF-8, and never allocates more than the bytes it was given can justify.
import { ProtocolError } from '../errors.js';

/** Largest magnitude a varint may carry: zigzag of ±2^52 stays a safe integer. */
const MAX_MAGNITUDE = 2 ** 52;

export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private buffer = new Uint8Array(1024);
  private length = 0;
  private readonly utf8 = new TextEncoder();

  byte(value: number): this {
    this.ensure(1);
    this.buffer[this.length++] = value;
    return this;
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first, high bit set on every byte but the last. */
  uint(value: number): this {
    if (value >>> 0 === value) {
      // Below 2^32 (nearly every number): 32-bit shifts, no checks.
      this.ensure(5);
      let rest = value;
      while (rest >= 0x80) {
        this.buffer[this.length++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buffer[this.length++] = rest;
      return this;
    }
    if (!Number.isSafeInteger(value) || value < 0) throw new ProtocolError('invalid_value', 'a count out of range');
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    return this.byte(rest);
  }

  /** Zigzag: 0, -1, 1, -2, 2 ... become 0, 1, 2, 3, 4 ..., then uint. */
  int(value: number): this {
    if ((value | 0) === value) return this.uint(value < 0 ? -2 * value - 1 : 2 * value);
    if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_MAGNITUDE) {
      throw new ProtocolError('invalid_value', 'a number out of range');
    }
    return this.uint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  string(value: string): this {
    const bytes = this.utf8.encode(value);
    this.uint(bytes.length);
    this.bytes(bytes);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  finish(): Uint8Array {
    this.chunks.push(this.buffer.subarray(0, this.length));
    const total = this.chunks.reduce((sum, c) => sum + c.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks = [];
    this.length = 0;
    return out;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    this.chunks.push(this.buffer.subarray(0, this.length));
    this.buffer = new Uint8Array(Math.max(this.buffer.length * 2, extra));
    this.length = 0;
  }
}

export class ByteReader {
  private offset = 0;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly input: Uint8Array,
    private readonly maxTextLength: number,
  ) {}

  get remaining(): number {
    return this.input.length - this.offset;
  }

  byte(): number {
    if (this.offset >= this.input.length) throw truncated();
    return this.input[this.offset++]!;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (value > 2 * MAX_MAGNITUDE) throw new ProtocolError('malformed', 'a varint out of range');
      if ((b & 0x80) === 0) return value;
      scale *= 0x80;
    }
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** A count of things that each take at least `minBytes` bytes: refused when the rest cannot hold them. */
  count(minBytes: number, what: string): number {
    const n = this.uint();
    if (n * minBytes > this.remaining) throw new ProtocolError('malformed', `more ${what} than the body holds`);
    return n;
  }

  string(): string {
    const length = this.uint();
    // A UTF-8 byte is at most one UTF-16 unit, and a character is at most 4 bytes.
    if (length > this.maxTextLength * 4) throw new ProtocolError('text_too_long', 'a text is too long');
    if (length > this.remaining) throw truncated();
    let text: string;
    try {
      text = this.utf8.decode(this.input.subarray(this.offset, this.offset + length));
    } catch {
      throw new ProtocolError('invalid_utf8', 'a text is not UTF-8');
    }
    this.offset += length;
    if (text.length > this.maxTextLength) throw new ProtocolError('text_too_long', 'a text is too long');
    return text;
  }

  bytes(length: number): Uint8Array {
    if (length > this.remaining) throw truncated();
    const out = this.input.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  end(): void {
    if (this.remaining !== 0) throw new ProtocolError('malformed', 'bytes after the end of the body');
  }
}

function truncated(): ProtocolError {
  return new ProtocolError('malformed', 'the body ends too early');
}
