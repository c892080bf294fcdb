// The encoder was rewritten for speed under one contract: it writes exactly the bytes the encoder before the
// speed-up (commit 54ba122) wrote, and the decoder reads them back. test/fixtures/columnar/encode-golden.json
// holds those bytes: written once by that encoder, from fixed fast-check samples (seeded) of any canonical
// container, gateway batches, batches with reshaped raw lines and with numbers that are hard to print (plus
// one batch of the whole hard list: 0.1 + 0.2, 1e21, -0, tiny and huge exponents, long fractions), and one of
// the agent's 500-reading uploads of real sonde lines. A change of the wire format must regenerate them on
// purpose. In the file, values JSON cannot hold are tagged: {"$number": "-0" | "NaN" | "Infinity" |
// "-Infinity"} and {"$undefined": true} (a key present with no value).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MessagesContainer } from '../model.js';
import { decodeColumnar, encodeColumnar } from './index.js';

interface GoldenCase {
  name: string;
  input: unknown;
  bytes: string;
}

/** The value the tagged JSON stands for (see the convention above). */
function untagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untagged);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record.$undefined === true) return undefined;
  if (typeof record.$number === 'string') return Number(record.$number);
  return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, untagged(v)]));
}

const GOLDEN = JSON.parse(
  readFileSync(new URL('../../test/fixtures/columnar/encode-golden.json', import.meta.url), 'utf8'),
) as GoldenCase[];

describe('the columnar encoder writes the bytes it always wrote', () => {
  it('covers every kind of container', () => {
    const kinds = new Set(GOLDEN.map((c) => c.name.replace(/ \d+$/, '')));
    expect([...kinds]).toEqual(['canonical', 'gateway batch', 'reshaped raw lines', 'hard numbers', 'agent upload']);
  });

  it.each(GOLDEN.map((c) => [c.name, c] as const))('%s', (_name, golden) => {
    const input = untagged(golden.input) as MessagesContainer;
    const bytes = encodeColumnar(input);
    expect(Buffer.from(bytes).toString('base64')).toBe(golden.bytes);
    expect(decodeColumnar(bytes)).toEqual(input);
  });
});
