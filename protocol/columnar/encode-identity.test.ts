// The encoder was rewritten for speed under one contract: for every container it writes exactly the bytes the
// encoder before it wrote (test/fixtures/columnar-reference-encoder.ts, frozen), and the decoder reads them
// back. Containers: any canonical model, gateway batches with their quirks, the agent's own 500-reading
// uploads, and values that are hard to print (0.1 + 0.2, 1e21, -0, tiny and huge exponents, long fractions).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesContainer } from '../../test/arbitraries/protocol.js';
import { sondeBatch } from '../../test/arbitraries/sonde-batch.js';
import { referenceEncodeColumnar } from '../../test/fixtures/columnar-reference-encoder.js';
import { measureContainer, sondeSample } from '../fixtures/sonde-sample.js';
import type { MessagesContainer } from '../model.js';
import { decodeColumnar, encodeColumnar } from './index.js';

const hardNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0.1 + 0.2,
    1e21,
    -1e21,
    1e20 + 2 ** 20,
    -0,
    0,
    5e-324,
    -5e-324,
    1e-6,
    1e-6 - 2 ** -72, // just below 1e-6
    1e-7,
    0.000001234,
    2 ** 50,
    2 ** 50 - 1,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    123456789012.345,
    0.1,
    1.005,
    14.480000000000002,
    7782.43,
  ),
  fc.integer({ min: -99999999, max: 99999999 }).chain((n) => fc.integer({ min: 0, max: 18 }).map((d) => n / 10 ** d)),
);

/** A gateway batch whose values are replaced, here and there, by numbers that are hard to print. */
const hardBatch: fc.Arbitrary<MessagesContainer> = fc
  .tuple(sondeBatch, fc.array(hardNumber, { minLength: 1, maxLength: 40 }), fc.nat())
  .map(([generated, numbers, shift]) => {
    const container = structuredClone(generated); // fast-check may show `generated` again while shrinking
    let n = shift;
    for (const message of container.messages) {
      if (message.body.type !== 'SondeDataContainer') continue;
      for (const reading of message.body.readings) {
        for (const key of Object.keys(reading.values)) {
          if (n++ % 3 === 0) reading.values[key] = numbers[n % numbers.length]!;
        }
      }
    }
    return container;
  });

/** Edits of a raw line that a layout may or may not still reproduce: other whitespace around, wider gaps. */
const LINE_EDITS: readonly ((line: string) => string)[] = [
  (line) => `${line}\r\n`,
  (line) => `${line} `,
  (line) => `\t${line}`,
  (line) => line.replace(/\r\n$/, ''),
  (line) => line.replace('   ', '    '),
  (line) => line.replace(/ +(\S+)$/, (_, value: string) => `  ${value}`),
];

/** A gateway batch whose raw lines are edited here and there. */
const reshapedBatch: fc.Arbitrary<MessagesContainer> = fc
  .tuple(sondeBatch, fc.array(fc.nat(LINE_EDITS.length * 3), { minLength: 1, maxLength: 40 }))
  .map(([generated, edits]) => {
    const container = structuredClone(generated);
    let n = 0;
    for (const message of container.messages) {
      if (message.body.type !== 'SondeDataContainer') continue;
      for (const reading of message.body.readings) {
        const edit = LINE_EDITS[edits[n++ % edits.length]!];
        if (edit && reading.raw !== undefined) reading.raw = edit(reading.raw);
      }
    }
    return container;
  });

function expectSameBytes(container: MessagesContainer): void {
  const bytes = encodeColumnar(container);
  expect(Buffer.from(bytes).equals(Buffer.from(referenceEncodeColumnar(container)))).toBe(true);
  expect(decodeColumnar(bytes)).toEqual(decodeColumnar(referenceEncodeColumnar(container)));
}

describe('the columnar encoder writes the bytes it always wrote', () => {
  it('for any canonical container', () => {
    fc.assert(fc.property(messagesContainer, expectSameBytes), { numRuns: 300 });
  });

  it('for gateway batches: gaps, jumps, precision changes, raw lines, a sonde swap, units, flags', () => {
    fc.assert(fc.property(sondeBatch, expectSameBytes), { numRuns: 300 });
  });

  it('for raw lines that the layout reproduces or not: whitespace around, wider gaps', () => {
    fc.assert(fc.property(reshapedBatch, expectSameBytes), { numRuns: 300 });
  });

  it('for values that are hard to print', () => {
    fc.assert(fc.property(hardBatch, expectSameBytes), { numRuns: 300 });
  });

  it("for the agent's 500-reading uploads of real sonde lines", () => {
    for (const seed of [1, 2, 3]) {
      const container = measureContainer(sondeSample(500, undefined, seed).readings, 1041, 500);
      expectSameBytes(container);
      expect(decodeColumnar(encodeColumnar(container))).toEqual(container);
    }
  });
});
