// fast-check arbitraries for the protocol model in its canonical form (docs/protocol.md, "Round trips"):
// texts carried in elements have no whitespace at their ends, maps are never empty, units and flags name
// values the reading has. decode(encode(x)) must deep-equal every such x.
import fc from 'fast-check';
import {
  MESSAGE_KINDS,
  QUALITY_FLAGS,
  type Body,
  type Component,
  type DspMessage,
  type MessagesContainer,
  type Property,
  type SondeReading,
} from '../../protocol/model.js';
import { renderRawLine, type RawLayout } from '../../protocol/raw-layout.js';

const tricky = fc.constantFrom(
  '&',
  '<',
  '>',
  '"',
  "'",
  '&lt;',
  '&amp;',
  ']]>',
  '\r',
  '\n',
  '\t',
  ' ',
  'é',
  '€',
  '😀',
  '%',
);
const character = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), tricky);

/** Any text XML can carry (attribute values keep every character). */
export const attributeText = fc.string({ unit: character, maxLength: 20 });
/** Text carried as element content: no XML whitespace at either end (decoders trim it). */
export const elementText = attributeText.map((text) => text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
const token = fc.stringMatching(/^[A-Za-z0-9._:-]{1,12}$/);
const elementName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const epochMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
const flags = fc.array(fc.constantFrom(...QUALITY_FLAGS), { minLength: 1, maxLength: 3 });
const anyNumber = fc.double({ noNaN: true, noDefaultInfinity: true });
const sondeNumber = fc.integer({ min: -99999, max: 99999 }).chain((n) => fc.constantFrom(n / 100, n / 10, n, n / 1000));

const component: fc.Arbitrary<Component> = fc.record(
  {
    componentType: elementText,
    locator: fc.record({ componentNodeId: elementText, nodeAddress: elementText }, { requiredKeys: [] }),
  },
  { requiredKeys: ['componentType'] },
);

const property: fc.Arbitrary<Property> = fc
  .record(
    {
      name: attributeText,
      type: attributeText,
      format: attributeText,
      unit: attributeText,
      instruction: attributeText,
      content: fc.oneof(
        fc.record({ value: elementText }),
        fc.record({ values: fc.array(elementText, { maxLength: 3 }) }),
        fc.constant({}),
      ),
    },
    { requiredKeys: ['name', 'content'] },
  )
  .map(({ content, ...rest }) => ({ ...rest, ...content }));

/** A layout as a sonde would print: most readings of a container are rendered with it. */
const layout: fc.Arbitrary<RawLayout> = fc.record({
  lead: fc.constantFrom('', '  '),
  columns: fc.array(
    fc.record({
      align: fc.constantFrom('gap' as const, 'width' as const),
      size: fc.integer({ min: 1, max: 10 }),
      decimals: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  tail: fc.constantFrom('', '\r\n', ' \r'),
});

function reading(lineLayout: RawLayout): fc.Arbitrary<SondeReading> {
  const keys = fc.uniqueArray(elementName, {
    minLength: lineLayout.columns.length,
    maxLength: lineLayout.columns.length,
  });
  return fc
    .record({
      sondeTime: attributeText,
      keys,
      numbers: fc.array(fc.oneof(sondeNumber, anyNumber, fc.constant(null)), {
        minLength: lineLayout.columns.length,
        maxLength: lineLayout.columns.length,
      }),
      sampledAt: fc.option(epochMs, { nil: undefined }),
      flags: fc.option(flags, { nil: undefined }),
      unitPick: fc.array(fc.constantFrom('C', 'F', 'uS/cm', 'mg/L', '% sat', undefined), {
        minLength: 4,
        maxLength: 4,
      }),
      flagPick: fc.array(fc.option(flags, { nil: undefined }), { minLength: 4, maxLength: 4 }),
      rawKind: fc.constantFrom('layout', 'layout', 'verbatim', 'none'),
      verbatim: attributeText,
    })
    .map((r) => {
      const values: Record<string, number | null> = {};
      const units: Record<string, string> = {};
      const valueFlags: Record<string, SondeReading['flags'] & object> = {};
      r.keys.forEach((key, index) => {
        values[key] = r.numbers[index] ?? null;
        const unit = r.unitPick[index];
        if (unit !== undefined) units[key] = unit;
        const flagged = r.flagPick[index];
        if (flagged) valueFlags[key] = flagged;
      });
      const result: SondeReading = { sondeTime: r.sondeTime, values };
      if (r.sampledAt !== undefined) result.sampledAt = r.sampledAt;
      if (r.flags) result.flags = r.flags;
      if (Object.keys(units).length > 0) result.units = units;
      if (Object.keys(valueFlags).length > 0) result.valueFlags = valueFlags;
      const raw =
        r.rawKind === 'layout' ? renderRawLine(lineLayout, result) : r.rawKind === 'verbatim' ? r.verbatim : undefined;
      if (raw !== undefined) result.raw = raw;
      return result;
    });
}

function body(lineLayout: RawLayout): fc.Arbitrary<Body> {
  return fc.oneof(
    fc
      .array(reading(lineLayout), { minLength: 1, maxLength: 3 })
      .map((readings) => ({ type: 'SondeDataContainer' as const, readings })),
    fc.array(property, { maxLength: 3 }).map((properties) => ({ type: 'DSProperties' as const, properties })),
    fc
      .record(
        {
          fromSequence: count,
          toSequence: count,
          readings: count,
          firstSampledAt: epochMs,
          lastSampledAt: epochMs,
          reason: attributeText,
        },
        { requiredKeys: ['fromSequence', 'toSequence', 'readings', 'reason'] },
      )
      .map((gap) => ({ type: 'GapReport' as const, gap })),
    fc.constant({ type: 'Empty' as const }),
  );
}

/** Sequences low enough that a message's readings after it still fit in a safe integer. */
const sequenceNumber = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 10_000 });
/** Steps between a message's reading sequences: mostly consecutive, sometimes a break in the run. */
const sequenceSteps = fc.array(fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 2, max: 1000 })), {
  minLength: 3,
  maxLength: 3,
});

function message(lineLayout: RawLayout): fc.Arbitrary<DspMessage> {
  return fc
    .tuple(
      fc.record(
        {
          kind: fc.constantFrom(...MESSAGE_KINDS),
          messageId: attributeText,
          contentType: attributeText,
          sequence: sequenceNumber,
          header: fc.record(
            { creationTime: epochMs, correlationId: elementText, producer: component, consumer: component },
            { requiredKeys: ['creationTime', 'producer'] },
          ),
          body: body(lineLayout),
        },
        { requiredKeys: ['kind', 'messageId', 'header', 'body'] },
      ),
      sequenceSteps,
    )
    .map(([generated, steps]) => {
      // Canonical form: the readings of a sequenced message carry their sequences, the first the message's.
      if (generated.sequence === undefined || generated.body.type !== 'SondeDataContainer') return generated;
      let sequence = generated.sequence;
      const readings = generated.body.readings.map((reading, index) => {
        if (index > 0) sequence += steps[index - 1] ?? 1;
        return { ...reading, sequence };
      });
      return { ...generated, body: { type: 'SondeDataContainer' as const, readings } };
    });
}

export const messagesContainer: fc.Arbitrary<MessagesContainer> = layout.chain((lineLayout) =>
  fc.record(
    {
      id: attributeText,
      creationTime: epochMs,
      destinationHost: attributeText,
      windowSize: count,
      acknowledgeUntil: count,
      acknowledgedContainer: attributeText,
      gatewayId: attributeText,
      serverTime: epochMs,
      receivedCommands: fc.array(token, { maxLength: 3 }),
      queueDepth: count,
      clockOffsetMs: anyNumber,
      messages: fc.array(message(lineLayout), { maxLength: 4 }),
    },
    { requiredKeys: ['id', 'creationTime', 'messages'] },
  ),
);
