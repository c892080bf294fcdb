// Reading sequences: a MeasureMessage carries a run of readings, each with its own sequence, implicit on
// the wire while the run is consecutive (docs/protocol.md §4.1, §5.1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureContainer, sondeSample } from './fixtures/sonde-sample.js';
import { decodeContainer } from './decode.js';
import { encodeContainer } from './encode.js';
import type { DspMessage, MessagesContainer, SondeReading } from './model.js';
import { lastSequence, measureMessageId, messageSequences, readingSequences } from './sequences.js';

const readings = sondeSample(8).readings;

function sondeMessage(sequence: number | undefined, group: SondeReading[]): DspMessage {
  const message: DspMessage = {
    kind: 'MeasureMessage',
    messageId: `m${sequence ?? ''}`,
    header: { creationTime: 1, producer: { componentType: 'org.netbeams.dsp.ysi' } },
    body: { type: 'SondeDataContainer', readings: group },
  };
  if (sequence !== undefined) message.sequence = sequence;
  return message;
}

function container(...messages: DspMessage[]): MessagesContainer {
  return { id: 'c', creationTime: 0, messages };
}

function sequencesOf(decoded: MessagesContainer): (number | undefined)[][] {
  return decoded.messages.map((m) =>
    m.body.type === 'SondeDataContainer' ? m.body.readings.map((r) => r.sequence) : [m.sequence],
  );
}

function refusal(action: () => unknown): { code?: string } {
  try {
    action();
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected a refusal');
}

/** A well-formed document whose second message holds `readingsXml`. */
function documentWith(messageAttributes: string, readingsXml: string): string {
  return (
    '<MessagesContainer uudi="c" creationTime="2009-05-16T14:04:00-0700">' +
    `<MeasureMessage messageID="m"${messageAttributes}><Header><CreationTime>1</CreationTime>` +
    `<Producer><ComponentType>t</ComponentType></Producer></Header><Body><SondeDataContainer>${readingsXml}` +
    '</SondeDataContainer></Body></MeasureMessage></MessagesContainer>'
  );
}
const reading = (attributes = '') => `<sondeData samplingTimeStamp="t"${attributes}><Temp>1</Temp></sondeData>`;

describe('a message with a run of readings', () => {
  it('writes one sequence for a consecutive run, and every reading decodes with its own', () => {
    const upload = measureContainer(readings, 1041, 8);
    const xml = encodeContainer(upload);
    expect(xml.match(/ sequence="[^"]*"/g)).toEqual([' sequence="1041"']);
    expect(xml).toContain('messageID="sink-1041..1048"');
    const decoded = decodeContainer(xml);
    expect(sequencesOf(decoded)).toEqual([[1041, 1042, 1043, 1044, 1045, 1046, 1047, 1048]]);
    expect(decoded).toEqual(upload);
  });

  it('gives readings without sequences in the model the message sequence + their index', () => {
    const plain = container(sondeMessage(7, readings.slice(0, 3)));
    const decoded = decodeContainer(encodeContainer(plain));
    expect(sequencesOf(decoded)).toEqual([[7, 8, 9]]);
    expect(readingSequences(plain.messages[0]!)).toEqual([7, 8, 9]);
  });

  it('writes a reading sequence only where the run breaks', () => {
    const group = readings.slice(0, 4).map((r, i) => ({ ...r, sequence: [10, 11, 15, 16][i]! }));
    const model = container(sondeMessage(10, group));
    const xml = encodeContainer(model);
    expect(xml.match(/<sondeData[^>]*>/g)?.map((tag) => / sequence="(\d+)"/.exec(tag)?.[1])).toEqual([
      undefined,
      undefined,
      '15',
      undefined,
    ]);
    expect(decodeContainer(xml)).toEqual(model);
  });

  it('numbers the next message after the last reading of the previous one', () => {
    const model = container(sondeMessage(20, readings.slice(0, 3)), sondeMessage(23, readings.slice(3, 5)), {
      kind: 'AcknowledgementMessage',
      messageId: 'ack',
      sequence: 25,
      header: { creationTime: 1, producer: { componentType: 'x' } },
      body: { type: 'Empty' },
    });
    const xml = encodeContainer(model);
    expect(xml.match(/ sequence="[^"]*"/g)).toEqual([' sequence="20"']);
    expect(sequencesOf(decodeContainer(xml))).toEqual([[20, 21, 22], [23, 24], [25]]);
  });

  it('round-trips any run, consecutive or not, and decodes to the sequences readingSequences gives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 8 }),
        (first, steps) => {
          // undefined step: the reading has no sequence in the model (implicit); a number: an explicit jump.
          let previous = first;
          const group = steps.map((step, index) => {
            const r: SondeReading = { ...readings[index]! };
            if (index === 0) return r;
            if (step !== undefined) r.sequence = previous + step;
            previous = r.sequence ?? previous + 1;
            return r;
          });
          const model = container(sondeMessage(first, group));
          const decoded = decodeContainer(encodeContainer(model));
          const expected = readingSequences(model.messages[0]!);
          expect(sequencesOf(decoded)).toEqual([expected]);
          expect(expected.every((s, i) => i === 0 || s > expected[i - 1]!)).toBe(true);
          expect(decodeContainer(encodeContainer(decoded))).toEqual(decoded);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('inconsistent sequences', () => {
  it('are refused by the decoder with invalid_sequence', () => {
    const cases = [
      documentWith(' sequence="10"', reading() + reading(' sequence="10"')), // not increasing
      documentWith(' sequence="10"', reading() + reading(' sequence="12"') + reading(' sequence="11"')), // going back
      documentWith(' sequence="10"', reading(' sequence="11"')), // the first reading is the message's
      documentWith('', reading() + reading(' sequence="5"')), // a reading sequence in a message without one
    ];
    for (const xml of cases) expect(refusal(() => decodeContainer(xml)).code).toBe('invalid_sequence');
  });

  it('are refused exactly when explicit reading sequences do not increase', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 6 }), (sequences) => {
        const xml = documentWith(
          ` sequence="${sequences[0]}"`,
          sequences.map((n, i) => reading(i === 0 ? '' : ` sequence="${n}"`)).join(''),
        );
        const increasing = sequences.every((n, i) => i === 0 || n > sequences[i - 1]!);
        if (increasing) expect(sequencesOf(decodeContainer(xml))).toEqual([sequences]);
        else expect(refusal(() => decodeContainer(xml)).code).toBe('invalid_sequence');
      }),
      { numRuns: 300 },
    );
  });

  it('are refused where an implicit sequence would leave the safe integers', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(refusal(() => decodeContainer(documentWith(` sequence="${max}"`, reading() + reading()))).code).toBe(
      'invalid_sequence',
    );
    expect(sequencesOf(decodeContainer(documentWith(` sequence="${max}"`, reading())))).toEqual([[max]]);
  });

  it('accepts an explicit first reading sequence equal to the message one, and refuses a non-number', () => {
    expect(sequencesOf(decodeContainer(documentWith(' sequence="10"', reading(' sequence="10"') + reading())))).toEqual(
      [[10, 11]],
    );
    expect(
      refusal(() => decodeContainer(documentWith(' sequence="10"', reading() + reading(' sequence="x"')))).code,
    ).toBe('invalid_value');
  });

  it('are refused by the encoder with invalid_sequence', () => {
    const backwards = readings.slice(0, 2).map((r, i) => ({ ...r, sequence: [5, 4][i]! }));
    expect(refusal(() => encodeContainer(container(sondeMessage(5, backwards)))).code).toBe('invalid_sequence');
    const unsequenced = [{ ...readings[0]!, sequence: 3 }];
    expect(refusal(() => encodeContainer(container(sondeMessage(undefined, unsequenced)))).code).toBe(
      'invalid_sequence',
    );
    const offset = [{ ...readings[0]!, sequence: 6 }];
    expect(refusal(() => encodeContainer(container(sondeMessage(5, offset)))).code).toBe('invalid_sequence');
  });
});

describe('helpers the agent and the sink share', () => {
  it('name a run by its first reading id and last sequence, a single reading by its own id', () => {
    expect(measureMessageId('sink-1041', 1041, 1100)).toBe('sink-1041..1100');
    expect(measureMessageId('sink-1041', 1041, 1041)).toBe('sink-1041');
  });

  it('list the sequences a message occupies', () => {
    const run = sondeMessage(20, readings.slice(0, 3));
    expect(messageSequences(run)).toEqual([20, 21, 22]);
    expect(lastSequence(run)).toBe(22);
    const ack: DspMessage = {
      kind: 'AcknowledgementMessage',
      messageId: 'a',
      sequence: 9,
      header: { creationTime: 1, producer: { componentType: 'x' } },
      body: { type: 'Empty' },
    };
    expect(messageSequences(ack)).toEqual([9]);
    expect(messageSequences(sondeMessage(undefined, readings.slice(0, 2)))).toEqual([]);
    expect(lastSequence(sondeMessage(undefined, readings.slice(0, 2)))).toBeUndefined();
  });
});
