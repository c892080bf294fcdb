// Large containers stream through the codec in chunks: the encoder hands out bounded chunks while it writes,
// and the decoder takes the body piece by piece (UTF-8 characters split across pieces included).
import { describe, expect, it } from 'vitest';
import { measureContainer, sondeSample } from './fixtures/sonde-sample.js';
import { ContainerDecoder, decodeContainer } from './decode.js';
import { encodeContainer, writeContainer } from './encode.js';

describe('a 1,000-message container', () => {
  const container = measureContainer(sondeSample(1000).readings);

  it('is written in chunks of about 16 KiB, never as one piece', () => {
    const sizes: number[] = [];
    let xml = '';
    writeContainer(container, (chunk) => {
      sizes.push(chunk.length);
      xml += chunk;
    });
    expect(xml.length).toBeGreaterThan(500_000);
    expect(sizes.length).toBeGreaterThan(30);
    expect(Math.max(...sizes)).toBeLessThan(17 * 1024);
    expect(xml).toBe(encodeContainer(container));
  });

  it('is read piece by piece into the same model', () => {
    const bytes = new TextEncoder().encode(encodeContainer(container));
    const decoder = new ContainerDecoder();
    for (let offset = 0; offset < bytes.length; offset += 4096) decoder.write(bytes.subarray(offset, offset + 4096));
    expect(decoder.end()).toEqual(container);
  });
});

describe('multi-byte characters split between pieces', () => {
  it('decode the same at every split point', () => {
    const container = decodeContainer(
      '<MessagesContainer uudi="Ω-€-😀" creationTime="2009-05-16T14:04:00-0700" destinationHost="Größe µS/cm"/>',
    );
    const bytes = new TextEncoder().encode(encodeContainer(container));
    for (let split = 1; split < bytes.length; split++) {
      const decoder = new ContainerDecoder();
      decoder.write(bytes.subarray(0, split));
      decoder.write(bytes.subarray(split));
      expect(decoder.end()).toEqual(container);
    }
  });
});
