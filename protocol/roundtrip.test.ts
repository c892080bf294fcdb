// Native dialect: every canonical model survives encode + decode exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesContainer } from '../test/arbitraries/protocol.js';
import { decodeContainer } from './decode.js';
import { encodeContainer } from './encode.js';

describe('native round trip', () => {
  it('decode(encode(x)) deep-equals x for any container', () => {
    fc.assert(
      fc.property(messagesContainer, (container) => {
        expect(decodeContainer(encodeContainer(container))).toEqual(container);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result from bytes as from a string', () => {
    fc.assert(
      fc.property(messagesContainer, (container) => {
        const xml = encodeContainer(container);
        expect(decodeContainer(new TextEncoder().encode(xml))).toEqual(decodeContainer(xml));
      }),
      { numRuns: 50 },
    );
  });
});
