// The columnar decoder on hostile input: whatever the bytes, a ProtocolError (never another exception, a
// hang or an allocation the body cannot justify), and the limits of XML.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesContainer } from '../../test/arbitraries/protocol.js';
import { ProtocolError } from '../errors.js';
import { ByteWriter } from './bytes.js';
import { decodeColumnar, encodeColumnar } from './index.js';
import { MAGIC, VERSION } from './format.js';

function refusal(body: Uint8Array, limits = {}): string | undefined {
  try {
    decodeColumnar(body, limits);
    return undefined;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return error.code;
  }
}

const start = () =>
  new ByteWriter()
    .bytes(MAGIC)
    .byte(VERSION)
    .string(
      '<MessagesContainer uudi="c" creationTime="2009-05-16T21:03:09+0000"><MeasureMessage messageID="m" sequence="1"><Header><CreationTime>1</CreationTime><Producer><ComponentType>t</ComponentType></Producer></Header><Body/></MeasureMessage></MessagesContainer>',
    );

describe('columnar decoder on hostile input', () => {
  it('refuses every cut and every changed byte of a valid body with a ProtocolError, or decodes it', () => {
    fc.assert(
      fc.property(messagesContainer, fc.nat(), fc.integer({ min: 0, max: 255 }), (container, at, byte) => {
        const body = encodeColumnar(container);
        const cut = at % body.length;
        expect(refusal(body.subarray(0, cut))).toBeDefined();
        const changed = Uint8Array.from(body);
        changed[cut] = byte;
        refusal(changed); // throws the test if anything but a ProtocolError escapes
      }),
      { numRuns: 300 },
    );
  });

  it('does not believe counts the body cannot hold', () => {
    // A billion readings of a billion parameters, in a few bytes.
    const huge = start().uint(1).uint(0).uint(1).uint(1000).uint(1e9).finish();
    expect(refusal(huge)).toBe('malformed');
    // Readings without parameters cost no bytes: their number is limited on its own.
    const empty = start().uint(1).uint(0).uint(1).uint(200_001).uint(0).finish();
    expect(refusal(empty)).toBe('too_large');
    // The skeleton has the XML limits.
    expect(refusal(encodeColumnar({ id: 'x'.repeat(100), creationTime: 0, messages: [] }), { maxTextLength: 50 })).toBe(
      'text_too_long',
    );
    expect(refusal(new Uint8Array(2000), { maxBytes: 1000 })).toBe('too_large');
  });

  it('refuses texts XML could not carry and readings for a message that is not there', () => {
    const nul = start().uint(1).uint(0).uint(1).uint(1).uint(1).string('Temp').string('').string('');
    nul.string('').int(0).int(0).uint(1).uint(0).byte(1).string('a\u0000b');
    expect(refusal(nul.finish())).toBe('invalid_value');
    const nowhere = start().uint(1).uint(5).uint(1).finish();
    expect(refusal(nowhere)).toBe('invalid_value');
  });
});
