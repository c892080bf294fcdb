// The columnar encoding carries exactly what the native XML carries: every canonical model survives
// encodeColumnar + decodeColumnar, and sonde batches with missing values, precision changes, out-of-order
// times, a sonde swap and messages that are not readings come back deep-equal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesContainer } from '../../test/arbitraries/protocol.js';
import { sondeBatch } from '../../test/arbitraries/sonde-batch.js';
import { decodeContainer } from '../decode.js';
import { encodeContainer } from '../encode.js';
import { decodeColumnar, encodeColumnar } from './index.js';

describe('columnar round trip', () => {
  it('decodeColumnar(encodeColumnar(x)) deep-equals x for any canonical container', () => {
    fc.assert(
      fc.property(messagesContainer, (container) => {
        expect(decodeColumnar(encodeColumnar(container))).toEqual(container);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back sonde batches exactly: missing values, precision changes, time jumps, a sonde swap, other messages', () => {
    fc.assert(
      fc.property(sondeBatch, (container) => {
        const decoded = decodeColumnar(encodeColumnar(container));
        expect(decoded).toEqual(container);
        // ... and the same model as the XML it replaces.
        expect(decoded).toEqual(decodeContainer(encodeContainer(container)));
      }),
      { numRuns: 200 },
    );
  });

  it('is refused where XML is refused: readings out of sequence order', () => {
    const container = fc.sample(sondeBatch, { numRuns: 1, seed: 7 })[0]!;
    const measure = container.messages.find((m) => m.body.type === 'SondeDataContainer')!;
    if (measure.body.type !== 'SondeDataContainer') throw new Error('no readings');
    measure.body.readings.push({ ...measure.body.readings[0]!, sequence: measure.sequence! });
    expect(() => encodeContainer(container)).toThrow(expect.objectContaining({ code: 'invalid_sequence' }));
    expect(() => encodeColumnar(container)).toThrow(expect.objectContaining({ code: 'invalid_sequence' }));
  });
});
