// The Kermit packet codec (basic Kermit, Kermit Protocol Manual, 6th ed., da Cruz 1986): framing, the
// type-1 block check, the prefix encoding of data, and the Send-Init parameters. Pure: no I/O, no timers.
//
//   MARK LEN SEQ TYPE DATA CHECK [EOL]
//   MARK  SOH (0x01).
//   LEN   tochar(characters after LEN, CHECK included): 3..94 in basic Kermit.
//   SEQ   tochar(sequence number mod 64).
//   CHECK type 1: tochar((s + ((s & 192) >> 6)) & 63), s = sum of LEN..DATA (8 bits kept per character).
// Control characters (0-31, 127, and with the 8th bit 128-159, 255) travel as QCTL + ctl(c) (c XOR 64); QCTL
// itself as QCTL QCTL. With 8th-bit prefixing (negotiated only: both sides agree on a QBIN character), a byte
// with its 8th bit set travels as QBIN + its low 7 bits encoded, and QBIN itself is QCTL-prefixed. Repeat
// counts, long packets and the other block checks are not offered (the Send-Init leaves them out).

export const SOH = 0x01;
export const CR = 0x0d;
/** Largest LEN of a basic Kermit packet (data + SEQ + TYPE + CHECK). */
export const MAX_LEN = 94;
/** SEQ + TYPE + one-character block check. */
const OVERHEAD = 3;

export const tochar = (x: number): number => x + 32;
export const unchar = (c: number): number => c - 32;
export const ctl = (c: number): number => c ^ 64;

/** S Send-Init, F file header, A attributes, D data, Z end of file, B end of transmission, Y ACK, N NAK, E error. */
export type PacketType = 'S' | 'F' | 'A' | 'D' | 'Z' | 'B' | 'Y' | 'N' | 'E';
const TYPES = new Set<string>(['S', 'F', 'A', 'D', 'Z', 'B', 'Y', 'N', 'E']);

export interface Packet {
  seq: number;
  type: PacketType;
  /** The data field as it travels (prefix-encoded for F, D, E; raw parameters for S and its Y). */
  data: Buffer;
}

/** A packet that arrived whole (its check matched) but breaks the protocol: the transfer cannot go on. */
export class KermitProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KermitProtocolError';
  }
}

/** The type-1 block check of LEN..DATA. */
export function blockCheck1(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s = (s + b) & 0xffff;
  return tochar((s + ((s & 192) >> 6)) & 63);
}

/** MARK LEN SEQ TYPE DATA CHECK, then `eol` (CR by default). */
export function encodePacket(packet: Packet, eol = CR): Buffer {
  const len = packet.data.length + OVERHEAD;
  if (len > MAX_LEN) throw new RangeError(`a basic Kermit packet holds at most ${MAX_LEN - OVERHEAD} data characters`);
  const body = Buffer.concat([
    Buffer.from([tochar(len), tochar(packet.seq & 63), packet.type.charCodeAt(0)]),
    packet.data,
  ]);
  return Buffer.concat([Buffer.from([SOH]), body, Buffer.from([blockCheck1(body), eol])]);
}

/** What the packet reader found on the line. */
export type ReadEvent = { kind: 'packet'; packet: Packet } | { kind: 'corrupt'; reason: string };

/**
 * Finds packets in the bytes of the line. Bytes outside packets (EOL, padding, menu text) are skipped; a
 * packet whose LEN, TYPE or check is wrong is reported `corrupt` (the caller NAKs it). A new SOH inside a
 * packet starts a new one (the earlier one was cut). Bounded: at most one packet is held.
 */
export class PacketReader {
  private held: number[] = [];
  private inPacket = false;

  push(chunk: Uint8Array): ReadEvent[] {
    const events: ReadEvent[] = [];
    for (const byte of chunk) {
      if (byte === SOH) {
        if (this.inPacket && this.held.length > 0) events.push({ kind: 'corrupt', reason: 'packet cut by a new MARK' });
        this.inPacket = true;
        this.held = [];
        continue;
      }
      if (!this.inPacket) continue;
      this.held.push(byte);
      const len = unchar(this.held[0]!);
      if (len < OVERHEAD || len > MAX_LEN) {
        events.push({ kind: 'corrupt', reason: `LEN ${len} outside ${OVERHEAD}..${MAX_LEN}` });
        this.inPacket = false;
        continue;
      }
      if (this.held.length === len + 1) {
        events.push(this.finish(Buffer.from(this.held)));
        this.inPacket = false;
      }
    }
    return events;
  }

  private finish(body: Buffer): ReadEvent {
    const check = body[body.length - 1]!;
    const covered = body.subarray(0, body.length - 1);
    if (blockCheck1(covered) !== check) return { kind: 'corrupt', reason: 'block check mismatch' };
    const seq = unchar(body[1]!);
    const type = String.fromCharCode(body[2]!);
    if (seq < 0 || seq > 63) return { kind: 'corrupt', reason: `SEQ ${seq} outside 0..63` };
    if (!TYPES.has(type)) return { kind: 'corrupt', reason: `unknown packet type ${JSON.stringify(type)}` };
    return { kind: 'packet', packet: { seq, type: type as PacketType, data: Buffer.from(covered.subarray(3)) } };
  }
}

/** The prefixes in force for data fields. */
export interface Encoding {
  qctl: number;
  /** The 8th-bit prefix, or null when 8th-bit prefixing was not negotiated (8-bit transparent line). */
  qbin: number | null;
}

function isControl(c7: number): boolean {
  return c7 < 32 || c7 === 127;
}

/** The encoded form of one byte. */
function encodeByte(byte: number, enc: Encoding): number[] {
  const out: number[] = [];
  let c = byte;
  if (enc.qbin !== null && c & 0x80) {
    out.push(enc.qbin);
    c &= 0x7f;
  }
  const c7 = c & 0x7f;
  if (isControl(c7)) out.push(enc.qctl, ctl(c));
  else if (c7 === enc.qctl || (enc.qbin !== null && c7 === enc.qbin)) out.push(enc.qctl, c);
  else out.push(c);
  return out;
}

/**
 * Encodes bytes from `from` into at most `room` characters, never splitting a prefixed byte. Returns the
 * characters and how many bytes they hold.
 */
export function encodeData(
  bytes: Uint8Array,
  from: number,
  room: number,
  enc: Encoding,
): { chars: Buffer; used: number } {
  const out: number[] = [];
  let i = from;
  for (; i < bytes.length; i++) {
    const unit = encodeByte(bytes[i]!, enc);
    if (out.length + unit.length > room) break;
    out.push(...unit);
  }
  return { chars: Buffer.from(out), used: i - from };
}

/** Decodes a data field; a prefix with nothing after it is a protocol error. */
export function decodeData(chars: Uint8Array, enc: Encoding): Buffer {
  const out: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    let high = 0;
    let c = chars[i]!;
    if (enc.qbin !== null && c === enc.qbin) {
      high = 0x80;
      if (++i >= chars.length) throw new KermitProtocolError('data field ends in an 8th-bit prefix');
      c = chars[i]!;
    }
    if (c === enc.qctl) {
      if (++i >= chars.length) throw new KermitProtocolError('data field ends in a control prefix');
      c = chars[i]!;
      const c7 = c & 0x7f;
      // ctl() undoes ctl() for a prefixed control character; a prefixed prefix character stands for itself.
      if (c7 >= 63 && c7 <= 95) c = ctl(c);
      else if (c7 !== enc.qctl && c7 !== enc.qbin)
        throw new KermitProtocolError(`control prefix before ${JSON.stringify(String.fromCharCode(c))}`);
    }
    out.push(c | high);
  }
  return Buffer.from(out);
}

/** The Send-Init parameters (the data of S and of its ACK), basic Kermit's first eight fields. */
export interface InitParams {
  /** Longest packet (LEN) this side can receive. */
  maxl: number;
  /** Seconds the other side should wait before timing this side out. */
  time: number;
  npad: number;
  padc: number;
  /** End-of-line this side wants after each packet. */
  eol: number;
  qctl: number;
  /** 'Y' agree if asked, 'N' refuse, or the prefix character this side asks for. */
  qbin: string;
  /** Block check type: only '1' is offered. */
  chkt: string;
}

export const DEFAULT_INIT: InitParams = {
  maxl: MAX_LEN,
  time: 5,
  npad: 0,
  padc: 0,
  eol: CR,
  qctl: '#'.charCodeAt(0),
  qbin: 'Y',
  chkt: '1',
};

export function encodeInit(p: InitParams): Buffer {
  return Buffer.from([
    tochar(p.maxl),
    tochar(p.time),
    tochar(p.npad),
    ctl(p.padc),
    tochar(p.eol),
    p.qctl,
    p.qbin.charCodeAt(0),
    p.chkt.charCodeAt(0),
  ]);
}

/** The other side's parameters; fields it leaves out take the protocol's defaults. */
export function decodeInit(data: Uint8Array): InitParams {
  const at = (i: number) => (i < data.length && data[i] !== 32 ? data[i] : undefined);
  const num = (i: number, fallback: number) => (at(i) === undefined ? fallback : unchar(at(i)!));
  const maxl = num(0, 80);
  if (maxl < 10 || maxl > MAX_LEN) throw new KermitProtocolError(`Send-Init MAXL ${maxl} outside 10..${MAX_LEN}`);
  const qctl = at(5) ?? 35;
  if (!isPrefixChar(qctl))
    throw new KermitProtocolError(`Send-Init QCTL ${JSON.stringify(String.fromCharCode(qctl))} is not printable`);
  return {
    maxl,
    time: num(1, 5),
    npad: num(2, 0),
    padc: at(3) === undefined ? 0 : ctl(at(3)!),
    eol: num(4, CR),
    qctl,
    qbin: at(6) === undefined ? 'N' : String.fromCharCode(at(6)!),
    chkt: at(7) === undefined ? '1' : String.fromCharCode(at(7)!),
  };
}

/** A character that may serve as a prefix: 33-62 or 96-126 (the manual's ranges). */
function isPrefixChar(c: number): boolean {
  return (c >= 33 && c <= 62) || (c >= 96 && c <= 126);
}

/** The 8th-bit prefix both sides agreed on, or null: one side names a character, the other says Y or the same. */
export function negotiateQbin(mine: string, theirs: string): number | null {
  const named = (q: string) => q.length === 1 && isPrefixChar(q.charCodeAt(0));
  if (named(mine) && (theirs === 'Y' || theirs === mine)) return mine.charCodeAt(0);
  if (named(theirs) && mine === 'Y') return theirs.charCodeAt(0);
  return null;
}
