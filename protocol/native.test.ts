// Native dialect: how the reliable-delivery extensions look on the wire, and that old peers can still
// read the original parts of a native document.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureContainer, sondeSample } from './fixtures/sonde-sample.js';
import { decodeContainer } from './decode.js';
import { encodeContainer } from './encode.js';
import type { MessagesContainer, SondeReading } from './model.js';

function sondeMessages(readings: SondeReading[]): MessagesContainer {
  return measureContainer(readings, 41);
}

describe('native container attributes', () => {
  it('writes the delivery extensions as attributes of MessagesContainer', () => {
    const container: MessagesContainer = {
      id: 'c1',
      creationTime: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
      gatewayId: 'gw-7',
      acknowledgeUntil: 41,
      acknowledgedContainer: 'c0',
      serverTime: 1767323045006,
      receivedCommands: ['cmd-1', 'cmd-2'],
      queueDepth: 12,
      clockOffsetMs: -250.5,
      messages: [],
    };
    const xml = encodeContainer(container);
    expect(xml).toBe(
      '<MessagesContainer uudi="c1" ' +
        'creationTime="2026-01-02T03:04:05.006+0000" acknowledgeUntil="41" acknowledgedContainer="c0" gatewayId="gw-7" ' +
        'serverTime="1767323045006" queueDepth="12" clockOffsetMs="-250.5" receivedCommands="cmd-1 cmd-2"/>',
    );
    expect(decodeContainer(xml)).toEqual(container);
  });
});

it('refuses received command ids that a space-separated list cannot carry', () => {
  const container: MessagesContainer = { id: 'c', creationTime: 0, receivedCommands: ['a b'], messages: [] };
  expect(() => encodeContainer(container)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
});

describe('sequence numbers', () => {
  /** Gives message `index` (one reading) the sequence `sequence`, or none. */
  function renumber(container: MessagesContainer, index: number, sequence: number | undefined): void {
    const message = container.messages[index]!;
    const reading = message.body.type === 'SondeDataContainer' ? message.body.readings[0]! : undefined;
    if (sequence === undefined) {
      delete message.sequence;
      if (reading) delete reading.sequence;
    } else {
      message.sequence = sequence;
      if (reading) reading.sequence = sequence;
    }
  }

  it('writes the first sequence of a run and leaves out the ones that follow by one', () => {
    const container = sondeMessages(sondeSample(3).readings);
    renumber(container, 2, 90);
    const xml = encodeContainer(container);
    expect(xml.match(/ sequence="[^"]*"/g)).toEqual([' sequence="41"', ' sequence="90"']);
    expect(decodeContainer(xml)).toEqual(container);
  });

  it('says "none" for a message without a sequence after one that has one', () => {
    const container = sondeMessages(sondeSample(3).readings);
    renumber(container, 1, undefined);
    const xml = encodeContainer(container);
    expect(xml).toContain('messageID="sink-42" sequence="none"');
    expect(decodeContainer(xml).messages.map((m) => m.sequence)).toEqual([41, undefined, 43]);
    expect(decodeContainer(xml)).toEqual(container);
  });
});

describe('sonde readings', () => {
  const sample = sondeSample(5);

  it('keeps the values as the original elements, readable by old peers', () => {
    const xml = encodeContainer(sondeMessages(sample.readings));
    expect(xml).toContain('<sondeData samplingTimeStamp="2009/05/16 14:03:06"><Temp>14.48</Temp>');
    expect(xml).toContain('<Body><SondeDataContainer><sondeData');
  });

  it('sends neither the raw line, nor sampledAt, nor standard units when the container declares them', () => {
    const xml = encodeContainer(sondeMessages(sample.readings));
    expect(xml).toContain('sondeClock="ymd-0700"');
    expect(xml).toContain('sondeRawLayout="netbeams"');
    expect(xml).not.toMatch(/ raw=| sampledAt=| unit=|sondeUnits/);
    const decoded = decodeContainer(xml).messages.map((m) =>
      m.body.type === 'SondeDataContainer' ? m.body.readings[0] : undefined,
    );
    expect(decoded).toEqual(sample.readings.map((reading, index) => ({ ...reading, sequence: 41 + index })));
    expect(decoded[0]?.raw).toBe(sample.lines[0]);
  });

  it('rebuilds the printed decimals of the raw line: 3.30 travels as 3.3 and comes back as 3.30', () => {
    const line = '2009/05/16 14:03:06   14.48   3.30   0.0';
    const reading: SondeReading = {
      sondeTime: '2009/05/16 14:03:06',
      values: { Temp: 14.48, ODOConc: 3.3, Turbid: 0 },
      raw: line,
    };
    const xml = encodeContainer(sondeMessages([reading]));
    expect(xml).toContain('<ODOConc>3.3</ODOConc><Turbid>0</Turbid>');
    expect(xml).not.toContain(' raw=');
    const body = decodeContainer(xml).messages[0]?.body;
    expect(body?.type === 'SondeDataContainer' && body.readings[0]?.raw).toBe(line);
    expect(body?.type === 'SondeDataContainer' && body.readings[0]?.values.ODOConc).toBe(3.3);
  });

  it('carries a line verbatim when the layout cannot rebuild it (noise, missing value, odd spacing)', () => {
    const readings = sondeSample(4).readings;
    readings[1]!.raw = `${readings[1]!.raw!} <noise>`;
    readings[2]!.values.Temp = null;
    readings[2]!.valueFlags = { Temp: ['missing'] };
    readings[2]!.raw = readings[2]!.raw!.replace(/^(\S+ \S+)\s+\S+/, '$1   -99999');
    const container = sondeMessages(readings);
    const xml = encodeContainer(container);
    expect(xml.match(/ raw="/g)).toHaveLength(2);
    expect(xml).toContain(' &lt;noise&gt;"');
    expect(xml).toContain('<Temp flags="missing"/>');
    expect(decodeContainer(xml)).toEqual(container);
  });

  it('declares a non-standard unit once and marks the values that differ from it', () => {
    const readings = sondeSample(3).readings;
    for (const reading of readings) reading.units = { ...reading.units, Temp: 'F' };
    readings[1]!.units = { ...readings[1]!.units, Temp: 'K' };
    delete readings[2]!.units!.Depth;
    const container = sondeMessages(readings);
    const xml = encodeContainer(container);
    expect(xml).toContain('sondeUnits="Temp=F"');
    expect(xml).toContain('<Temp unit="K">');
    expect(xml).toContain('<Depth unit="">');
    expect(decodeContainer(xml)).toEqual(container);
  });

  it('writes sampledAt when the sonde clock does not give it, and "none" when a reading has none', () => {
    const readings = sondeSample(3).readings;
    readings[1]!.sampledAt = readings[1]!.sampledAt! + 3_600_000; // a daylight-saving step
    delete readings[2]!.sampledAt;
    const container = sondeMessages(readings);
    const xml = encodeContainer(container);
    expect(xml).toContain(`sampledAt="${readings[1]!.sampledAt}"`);
    expect(xml).toContain('sampledAt="none"');
    expect(decodeContainer(xml)).toEqual(container);
  });
});

describe('escaping', () => {
  it('escapes every text and attribute, including what looks like an entity already', () => {
    const container: MessagesContainer = {
      id: 'a"b<c>&amp;',
      creationTime: 0,
      messages: [
        {
          kind: 'UpdateMessage',
          messageId: 'x\r\ny\tz',
          header: { creationTime: 1, producer: { componentType: '&lt;not a tag&gt; & <b>' } },
          body: { type: 'DSProperties', properties: [{ name: 'N', value: ']]> &#38;' }] },
        },
      ],
    };
    const xml = encodeContainer(container);
    expect(xml).toContain('uudi="a&quot;b&lt;c&gt;&amp;amp;"');
    expect(xml).toContain('messageID="x&#13;&#10;y&#9;z"');
    expect(xml).toContain('<ComponentType>&amp;lt;not a tag&amp;gt; &amp; &lt;b&gt;</ComponentType>');
    expect(decodeContainer(xml)).toEqual(container);
  });
});

describe('opaque payloads', () => {
  it('keeps a payload this system does not model through decode and encode', () => {
    const xml =
      '<MessagesContainer uudi="c" creationTime="2009-05-16T14:04:00-0700"><EventMessage messageID="e">' +
      '<Header><CreationTime>5</CreationTime><Producer><ComponentType>t</ComponentType></Producer></Header>' +
      '<Body><Alarm level="2" note="a&amp;b"><Text>high &lt;water&gt;</Text><Empty/></Alarm></Body></EventMessage></MessagesContainer>';
    const container = decodeContainer(xml);
    expect(container.messages[0]?.body).toEqual({
      type: 'Opaque',
      xml: '<Alarm level="2" note="a&amp;b"><Text>high &lt;water&gt;</Text><Empty></Empty></Alarm>',
    });
    expect(decodeContainer(encodeContainer(container))).toEqual(container);
  });
});

describe('gap reports', () => {
  it('travel as a GapReport element with the lost range', () => {
    const container: MessagesContainer = {
      id: 'c',
      creationTime: 0,
      messages: [
        {
          kind: 'EventMessage',
          messageId: 'gap-1',
          contentType: 'org.netbeams.dsp.event.GapReport',
          sequence: 500,
          header: { creationTime: 9, producer: { componentType: 'org.netbeams.dsp.wiretransport.client' } },
          body: {
            type: 'GapReport',
            gap: {
              fromSequence: 10,
              toSequence: 20,
              readings: 11,
              reason: 'overflow',
              firstSampledAt: 1,
              lastSampledAt: 2,
            },
          },
        },
      ],
    };
    const xml = encodeContainer(container);
    expect(xml).toContain(
      '<Body><GapReport fromSequence="10" toSequence="20" readings="11" firstSampledAt="1" lastSampledAt="2" reason="overflow"/></Body>',
    );
    expect(decodeContainer(xml)).toEqual(container);
  });
});

describe('the example in docs/protocol.md §4.6', () => {
  it('decodes as the text says it does', () => {
    const docs = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('### 4.6 Example'));
    const xml = section.slice(section.indexOf('```xml') + 6, section.indexOf('```', section.indexOf('```xml') + 6));
    const [measure, ack] = decodeContainer(xml).messages;
    const readings = measure?.body.type === 'SondeDataContainer' ? measure.body.readings : [];
    expect([measure?.messageId, measure?.sequence, measure?.header.consumer]).toEqual([
      'sink-1041..1042',
      1041,
      undefined,
    ]);
    expect(readings.map((r) => [r.sequence, r.sampledAt])).toEqual([
      [1041, 1242507786000],
      [1042, 1242507788000],
    ]);
    expect(readings[0]?.raw).toMatch(/ 8\.30 {3}11\.2 {3}12\.7$/);
    expect([readings[1]?.values.Turbid, readings[1]?.valueFlags]).toEqual([null, { Turbid: ['missing'] }]);
    expect(ack?.sequence).toBe(1043);
  });
});
