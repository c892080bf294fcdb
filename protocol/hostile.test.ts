// Hostile input: every bad document is refused with a ProtocolError of the right code, and nothing else
// ever escapes the decoder (no parser error, no crash, no entity expanded, no file read).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureContainer, sondeSample } from './fixtures/sonde-sample.js';
import { ContainerDecoder, decodeContainer, type DecodeLimits } from './decode.js';
import { encodeContainer } from './encode.js';
import { ProtocolError, type ProtocolErrorCode } from './errors.js';

function refusal(input: string | Uint8Array, limits?: Partial<DecodeLimits>): ProtocolError {
  try {
    decodeContainer(input, limits);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw new Error(`not a ProtocolError: ${String(error)}`, { cause: error });
  }
  throw new Error('the document was accepted');
}

function expectRefused(input: string | Uint8Array, code: ProtocolErrorCode, limits?: Partial<DecodeLimits>): void {
  const error = refusal(input, limits);
  expect(error.code).toBe(code);
  expect(error.message.length).toBeLessThan(100);
}

const MESSAGE = (attributes = '', body = '') =>
  `<MeasureMessage messageID="m"${attributes}><Header><CreationTime>1</CreationTime>` +
  `<Producer><ComponentType>t</ComponentType></Producer></Header><Body>${body}</Body></MeasureMessage>`;
const CONTAINER = (inner: string, attributes = '') =>
  `<MessagesContainer uudi="c" creationTime="2009-05-16T14:04:00-0700"${attributes}>${inner}</MessagesContainer>`;
const valid = encodeContainer(measureContainer(sondeSample(3).readings));

describe('entities and DTDs', () => {
  it('refuses the billion laughs at its DOCTYPE', () => {
    const lol = [
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
      CONTAINER('', ' destinationHost="&lol9;"'),
    ].join('');
    expectRefused(lol, 'doctype_forbidden');
  });

  it('refuses an external entity without reading the file', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${CONTAINER('', ' destinationHost="&xxe;"')}`;
    const error = refusal(xxe);
    expect(error.code).toBe('doctype_forbidden');
    expect(error.message).not.toContain('root:');
  });

  it('refuses parameter entities and external DTDs', () => {
    expectRefused(
      `<!DOCTYPE c [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>${CONTAINER('')}`,
      'doctype_forbidden',
    );
    expectRefused(
      `<!DOCTYPE MessagesContainer SYSTEM "http://127.0.0.1:1/x.dtd">${CONTAINER('')}`,
      'doctype_forbidden',
    );
  });

  it('refuses a DOCTYPE with its first bytes, before a large internal subset arrives', () => {
    const decoder = new ContainerDecoder();
    const encoder = new TextEncoder();
    decoder.write(encoder.encode('<?xml version="1.0"?><!DOC'));
    expect(() => decoder.write(encoder.encode(`TYPE c [${'<!-- padding -->'.repeat(10)}`))).toThrow(
      expect.objectContaining({ code: 'doctype_forbidden' }),
    );
  });

  it('reads a comment that merely mentions a DOCTYPE after the root element started', () => {
    expect(decodeContainer(CONTAINER('<!-- no <!DOCTYPE here -->')).id).toBe('c');
  });

  it('refuses references to entities nobody declared', () => {
    expectRefused(CONTAINER('', ' destinationHost="&xxe;"'), 'entity_forbidden');
  });

  it('reads the five predefined entities and character references', () => {
    const container = decodeContainer(CONTAINER('', ' destinationHost="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;"'));
    expect(container.destinationHost).toBe('<>&"\'AB');
  });
});

describe('size limits', () => {
  it('refuses a document above maxBytes before parsing it', () => {
    expectRefused(valid, 'too_large', { maxBytes: 100 });
    expectRefused(new TextEncoder().encode(valid), 'too_large', { maxBytes: 100 });
  });

  it('stops a streamed document as soon as it passes maxBytes', () => {
    const decoder = new ContainerDecoder({ maxBytes: 1000 });
    const bytes = new TextEncoder().encode(valid);
    decoder.write(bytes.subarray(0, 600));
    expect(() => decoder.write(bytes.subarray(600, 1200))).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('refuses deep nesting, in opaque payloads too', () => {
    const depth = 100_000;
    expectRefused(CONTAINER(MESSAGE('', `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`)), 'too_deep');
    expectRefused(CONTAINER(MESSAGE('', '<a><b><c></c></b></a>')), 'too_deep', { maxDepth: 5 });
  });

  it('refuses more messages than maxMessages', () => {
    expectRefused(CONTAINER(MESSAGE().repeat(5)), 'too_many_messages', { maxMessages: 4 });
    expect(decodeContainer(CONTAINER(MESSAGE().repeat(4)), { maxMessages: 4 }).messages).toHaveLength(4);
  });

  it('refuses long texts and attribute values', () => {
    const long = 'x'.repeat(2000);
    expectRefused(CONTAINER(MESSAGE().replace('<ComponentType>t', `<ComponentType>${long}`)), 'text_too_long', {
      maxTextLength: 1000,
    });
    expectRefused(CONTAINER('', ` destinationHost="${long}"`), 'text_too_long', { maxTextLength: 1000 });
  });

  it('refuses elements with too many attributes', () => {
    const attributes = Array.from({ length: 40 }, (_, i) => ` a${i}="1"`).join('');
    expectRefused(CONTAINER('', attributes), 'too_many_attributes');
  });
});

describe('bytes that are not UTF-8', () => {
  const wrap = (bad: number[]) => {
    const [head = '', tail = ''] = CONTAINER('', ' destinationHost="@"').split('@');
    return new Uint8Array([...new TextEncoder().encode(head), ...bad, ...new TextEncoder().encode(tail)]);
  };

  it('refuses invalid sequences, overlong forms, surrogates and a cut-off character', () => {
    for (const bad of [[0xc3, 0x28], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0xff], [0xf4, 0x90, 0x80, 0x80]]) {
      expectRefused(wrap(bad), 'invalid_utf8');
    }
    const bytes = new TextEncoder().encode(`${CONTAINER('')}é`);
    expectRefused(bytes.subarray(0, bytes.length - 1), 'invalid_utf8');
  });

  it('refuses documents that declare another encoding', () => {
    expectRefused(`<?xml version="1.0" encoding="ISO-8859-1"?>${CONTAINER('')}`, 'unsupported_encoding');
  });

  it('accepts a byte order mark', () => {
    expect(decodeContainer(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CONTAINER(''))])).id).toBe(
      'c',
    );
  });
});

describe('wrong structure and types', () => {
  it('refuses a non-numeric sequence', () => {
    expectRefused(CONTAINER(MESSAGE(' sequence="12a"')), 'invalid_value');
    expectRefused(CONTAINER(MESSAGE(' sequence="-1"')), 'invalid_value');
  });

  it('refuses an unknown message element and unknown elements inside messages', () => {
    expectRefused(CONTAINER(MESSAGE().replace(/MeasureMessage/g, 'DropTablesMessage')), 'unknown_element');
    expectRefused(CONTAINER(MESSAGE().replace('<Body>', '<Extra/><Body>')), 'unknown_element');
    expectRefused('<Other/>', 'unknown_element');
  });

  it('refuses values, times and flags of the wrong type', () => {
    const reading = (inner: string, attributes = '') =>
      CONTAINER(
        MESSAGE(
          '',
          `<SondeDataContainer><sondeData samplingTimeStamp="t"${attributes}>${inner}</sondeData></SondeDataContainer>`,
        ),
      );
    expectRefused(reading('<Temp>warm</Temp>'), 'invalid_value');
    expectRefused(reading('<Temp>0x10</Temp>'), 'invalid_value');
    expectRefused(reading('<Temp>1</Temp><Temp>2</Temp>'), 'invalid_value');
    expectRefused(reading('<Temp flags="wet">1</Temp>'), 'invalid_value');
    expectRefused(reading('', ' sampledAt="yesterday"'), 'invalid_value');
    expectRefused(CONTAINER(MESSAGE().replace('<CreationTime>1', '<CreationTime>soon')), 'invalid_value');
    expectRefused(CONTAINER('').replace('2009-05-16T14:04:00-0700', 'May 16'), 'invalid_value');
    expectRefused(CONTAINER('', ' sondeRawLayout="q9"'), 'invalid_value');
  });

  it('refuses messages without their required parts', () => {
    expectRefused(CONTAINER(MESSAGE().replace(' messageID="m"', '')), 'invalid_value');
    expectRefused(CONTAINER(MESSAGE().replace(/<Header>.*<\/Header>/, '')), 'invalid_value');
    expectRefused('<MessagesContainer creationTime="2009-05-16T14:04:00Z"/>', 'invalid_value');
  });

  it('refuses text where only elements belong, and what is not XML', () => {
    expectRefused(CONTAINER('hello'), 'malformed');
    for (const text of [
      '',
      'not xml',
      '<MessagesContainer',
      `${CONTAINER('')}<MessagesContainer/>`,
      `${CONTAINER('')}<x>`,
    ]) {
      expect(refusal(text).code, text).toMatch(/^(malformed|unknown_element)$/);
    }
  });
});

describe('fuzzing', () => {
  it('refuses every truncation of a valid document with a ProtocolError', () => {
    const bytes = new TextEncoder().encode(valid);
    for (let cut = 0; cut < bytes.length; cut += 7) {
      const code = refusal(bytes.subarray(0, cut)).code;
      expect(['malformed', 'invalid_utf8']).toContain(code);
    }
  });

  it('answers any mutation of a valid document with a model or a ProtocolError', () => {
    const bytes = new TextEncoder().encode(valid);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const mutated = bytes.slice();
          for (const [at, value] of edits) mutated[at] = value;
          try {
            decodeContainer(mutated);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers random strings with a ProtocolError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(() => decodeContainer(text)).toThrow(ProtocolError);
      }),
      { numRuns: 150 },
    );
  });
});
