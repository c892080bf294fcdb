// The packet codec against the Kermit Protocol Manual's definitions: framing, the type-1 check, prefixing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockCheck1,
  decodeData,
  decodeInit,
  encodeData,
  encodeInit,
  encodePacket,
  KermitProtocolError,
  negotiateQbin,
  PacketReader,
  DEFAULT_INIT,
  type Encoding,
} from './packet.js';

const HASH = '#'.charCodeAt(0);
const transparent: Encoding = { qctl: HASH, qbin: null };
const eighthBit: Encoding = { qctl: HASH, qbin: '&'.charCodeAt(0) };

describe('Kermit packets', () => {
  it('frames MARK LEN SEQ TYPE DATA CHECK EOL with the type-1 check of LEN..DATA', () => {
    // A NAK of SEQ 5: LEN = tochar(3) = '#', SEQ = tochar(5) = '%'; s = 35 + 37 + 78 = 150,
    // (150 + (150 & 192) / 64) & 63 = (150 + 2) & 63 = 24, tochar(24) = '8'.
    expect(encodePacket({ seq: 5, type: 'N', data: Buffer.alloc(0) }).toString('latin1')).toBe('\x01#%N8\r');
    expect(blockCheck1(Buffer.from('#%N'))).toBe('8'.charCodeAt(0));
  });

  it('reads back what it frames, skipping bytes between packets', () => {
    const a = encodePacket({ seq: 63, type: 'D', data: Buffer.from('abc#M') });
    const b = encodePacket({ seq: 0, type: 'Y', data: Buffer.alloc(0) });
    const reader = new PacketReader();
    const events = [
      ...reader.push(Buffer.concat([Buffer.from('menu text\r\n'), a.subarray(0, 4)])),
      ...reader.push(Buffer.concat([a.subarray(4), b])),
    ];
    expect(events).toEqual([
      { kind: 'packet', packet: { seq: 63, type: 'D', data: Buffer.from('abc#M') } },
      { kind: 'packet', packet: { seq: 0, type: 'Y', data: Buffer.alloc(0) } },
    ]);
  });

  it('reports a damaged packet as corrupt: wrong check, bad LEN, unknown type, cut by a new MARK', () => {
    const good = encodePacket({ seq: 1, type: 'D', data: Buffer.from('hello') });
    const flipped = Buffer.from(good);
    flipped[6] = flipped[6]! ^ 1;
    const reader = new PacketReader();
    expect(reader.push(flipped)).toEqual([{ kind: 'corrupt', reason: 'block check mismatch' }]);
    expect(reader.push(Buffer.from('\x01\x21'))).toEqual([{ kind: 'corrupt', reason: 'LEN 1 outside 3..94' }]);
    const body = Buffer.from('#!Q');
    expect(reader.push(Buffer.concat([Buffer.from([1]), body, Buffer.from([blockCheck1(body)])]))).toEqual([
      { kind: 'corrupt', reason: 'unknown packet type "Q"' },
    ]);
    expect(reader.push(Buffer.concat([good.subarray(0, 5), good]))).toEqual([
      { kind: 'corrupt', reason: 'packet cut by a new MARK' },
      { kind: 'packet', packet: { seq: 1, type: 'D', data: Buffer.from('hello') } },
    ]);
  });

  it('prefixes control characters with # and ctl(), and # itself with #', () => {
    const { chars } = encodeData(Buffer.from([0x01, 0x0d, 0x7f, 0x23, 0x41, 0x81, 0xff]), 0, 90, transparent);
    expect([...chars]).toEqual([0x23, 0x41, 0x23, 0x4d, 0x23, 0x3f, 0x23, 0x23, 0x41, 0x23, 0xc1, 0x23, 0xbf]);
    // With 8th-bit prefixing: & then the low 7 bits, and & itself is #-prefixed.
    const { chars: seven } = encodeData(Buffer.from([0x81, 0x26, 0xa3]), 0, 90, eighthBit);
    expect(seven.toString('latin1')).toBe('&#A#&&##');
    expect(seven.every((c) => c >= 32 && c < 127)).toBe(true);
  });

  it('never splits a prefixed byte across packets', () => {
    const { chars, used } = encodeData(Buffer.from([0x41, 0x01, 0x42]), 0, 2, transparent);
    expect(chars.toString('latin1')).toBe('A');
    expect(used).toBe(1);
  });

  it('decodes what it encodes, any bytes, both encodings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, eight) => {
        const enc = eight ? eighthBit : transparent;
        const { chars, used } = encodeData(bytes, 0, 10_000, enc);
        expect(used).toBe(bytes.length);
        expect(decodeData(chars, enc)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('refuses a data field that ends in a prefix, or prefixes a character that needs none', () => {
    expect(() => decodeData(Buffer.from('ab#'), transparent)).toThrow(KermitProtocolError);
    expect(() => decodeData(Buffer.from('ab#'), transparent)).toThrow('data field ends in a control prefix');
    expect(() => decodeData(Buffer.from('#a'), transparent)).toThrow('control prefix before "a"');
    expect(() => decodeData(Buffer.from('x&'), eighthBit)).toThrow('data field ends in an 8th-bit prefix');
  });

  it('sends its Send-Init parameters and reads the defaults for fields left out', () => {
    expect(encodeInit(DEFAULT_INIT).toString('latin1')).toBe('~% @-#Y1');
    expect(decodeInit(encodeInit({ ...DEFAULT_INIT, maxl: 60, qbin: '&' }))).toEqual({
      ...DEFAULT_INIT,
      maxl: 60,
      qbin: '&',
    });
    expect(decodeInit(Buffer.from('~'))).toMatchObject({ maxl: 94, time: 5, qctl: HASH, qbin: 'N', chkt: '1' });
    expect(() => decodeInit(Buffer.from('#'))).toThrow('Send-Init MAXL 3 outside 10..94');
  });

  it('uses 8th-bit prefixing only when both sides agree', () => {
    expect(negotiateQbin('Y', 'Y')).toBeNull();
    expect(negotiateQbin('Y', 'N')).toBeNull();
    expect(negotiateQbin('&', 'N')).toBeNull();
    expect(negotiateQbin('Y', '&')).toBe(38);
    expect(negotiateQbin('&', 'Y')).toBe(38);
    expect(negotiateQbin('&', '&')).toBe(38);
  });
});
