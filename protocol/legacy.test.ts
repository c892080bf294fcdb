// Golden tests: the original NetBEAMS documents decode, and encode back byte for byte in the legacy dialect.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeContainer } from './decode.js';
import { encodeContainer } from './encode.js';
import { decodeLegacyForm, encodeLegacyForm } from './legacy-form.js';
import { ProtocolError } from './errors.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../test/fixtures/netbeams/${name}`, import.meta.url));

describe('legacy request container (gateway -> server)', () => {
  const original = fixture('legacy-request-container.xml');

  it('decodes every field of the original', () => {
    const container = decodeContainer(original);
    expect(container.id).toBe('a7d3c9e2-1b4f-4e8a-9c60-5f2e7d1b3a44');
    expect(container.creationTime).toBe(Date.UTC(2009, 4, 16, 21, 4, 0));
    expect(container.creationTimeText).toBe('2009-05-16T14:04:00-0700');
    expect(container.destinationHost).toBe('192.168.0.197');
    expect(container.windowSize).toBe(2);
    expect(container.messages.map((m) => m.kind)).toEqual(['MeasureMessage', 'AcknowledgementMessage']);
    const [measure, ack] = container.messages;
    expect(measure?.contentType).toBe('org.netbeams.dsp.ysi.SondeDataContainer');
    expect(measure?.header).toEqual({
      creationTime: 1242507786123,
      producer: {
        componentType: 'org.netbeams.dsp.ysi',
        locator: { componentNodeId: 'SondeProducer', nodeAddress: '192.168.0.198' },
      },
      consumer: { componentType: 'org.netbeams.dsp.management', locator: { nodeAddress: '192.168.0.197' } },
    });
    expect(measure?.body).toEqual({
      type: 'SondeDataContainer',
      readings: [
        {
          sondeTime: '2009/05/16 14:03:06',
          values: {
            Temp: 14.48,
            SpCond: 155.5,
            Cond: 28.5,
            Resist: 3248.87,
            Sal: 0.05,
            Press: 0.046,
            Depth: 0.052,
            pH: 4.36,
            phmV: -35.7,
            ODOSat: 2.6,
            ODOConc: 3.3,
            Turbid: 0.2,
            Battery: 8.7,
          },
          // The original's units were fixed; they are this system's standard units (STANDARD_UNITS).
          units: {
            Temp: 'C',
            SpCond: 'uS/cm',
            Cond: 'uS/cm',
            Resist: 'ohm*cm',
            Sal: 'ppt',
            Press: 'psi',
            Depth: 'm',
            pH: 'pH',
            phmV: 'mV',
            ODOSat: '%',
            ODOConc: 'mg/L',
            Turbid: 'NTU',
            Battery: 'V',
          },
        },
      ],
    });
    expect(ack?.header.correlationId).toBe('3e8c1f77-9a2b-4c61-b0de-7d5e2a4c8b90');
    expect(ack?.body).toEqual({ type: 'DSProperties', properties: [] });
  });

  it('encodes back to the original bytes', () => {
    expect(encodeContainer(decodeContainer(original), { dialect: 'legacy' })).toBe(original.toString('utf8'));
  });

  it('writes the sonde value 3.30 as Java did: 3.3', () => {
    const container = decodeContainer(original);
    const body = container.messages[0]?.body;
    if (body?.type !== 'SondeDataContainer') throw new Error('expected sonde data');
    body.readings[0]!.values.ODOConc = Number('3.30');
    body.readings[0]!.values.Temp = 14;
    const xml = encodeContainer(container, { dialect: 'legacy' });
    expect(xml).toContain('<ODOConc>3.3</ODOConc>');
    expect(xml).toContain('<Temp>14.0</Temp>');
  });
});

describe('Java float texts without a number', () => {
  it('read as unusable values flagged parse_error, not as a refused document', () => {
    const xml = readFileSync(new URL('../test/fixtures/netbeams/legacy-request-container.xml', import.meta.url), 'utf8')
      .replace('<Temp>14.48</Temp>', '<Temp>NaN</Temp>')
      .replace('<Turbid>0.2</Turbid>', '<Turbid>-Infinity</Turbid>');
    const body = decodeContainer(xml).messages[0]?.body;
    if (body?.type !== 'SondeDataContainer') throw new Error('expected sonde data');
    expect(body.readings[0]?.values.Temp).toBeNull();
    expect(body.readings[0]?.values.Turbid).toBeNull();
    expect(body.readings[0]?.valueFlags).toEqual({ Temp: ['parse_error'], Turbid: ['parse_error'] });
  });
});

describe('legacy response container (server -> gateway)', () => {
  const original = fixture('legacy-response-with-update.xml');

  it('decodes the piggybacked update and the acknowledgement', () => {
    const container = decodeContainer(original);
    expect(container.acknowledgeUntil).toBe(2);
    expect(container.windowSize).toBe(1);
    expect(container.messages[0]?.kind).toBe('UpdateMessage');
    expect(container.messages[0]?.body).toEqual({
      type: 'DSProperties',
      properties: [{ name: 'SAMPLING_FREQUENCY', value: '2' }],
    });
  });

  it('encodes back to the original bytes, final newline included', () => {
    expect(encodeContainer(decodeContainer(original), { dialect: 'legacy' })).toBe(original.toString('utf8'));
  });
});

describe('legacy HTTP request form', () => {
  const request = fixture('legacy-http-request.txt').toString('utf8');
  const [head = '', body = ''] = request.split('\r\n\r\n');

  it('carries the request container in the dspMessagesContainer field', () => {
    expect(head).toContain('Content-Type: application/x-www-form-urlencoded');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(decodeLegacyForm(body)).toBe(fixture('legacy-request-container.xml').toString('utf8'));
  });

  it('decodes and encodes back to the original body', () => {
    const container = decodeContainer(decodeLegacyForm(body));
    expect(encodeLegacyForm(encodeContainer(container, { dialect: 'legacy' }))).toBe(body);
  });

  it('encodes like Java URLEncoder: "*-._" kept, space as +, other UTF-8 bytes as upper-case %XX', () => {
    expect(encodeLegacyForm('a-b_c.d*e f/é')).toBe('dspMessagesContainer=a-b_c.d*e+f%2F%C3%A9');
    expect(decodeLegacyForm('x=1&dspMessagesContainer=a-b_c.d*e+f%2F%C3%A9&y=2')).toBe('a-b_c.d*e f/é');
  });

  it('refuses bodies without the field or with broken escapes', () => {
    for (const bad of [
      '',
      'other=1',
      'dspMessagesContainer=',
      'dspMessagesContainer=%3',
      'dspMessagesContainer=%C3%28',
      'dspMessagesContainer=a&dspMessagesContainer=b',
    ]) {
      expect(() => decodeLegacyForm(bad), bad).toThrow(ProtocolError);
    }
  });
});

describe('pretty-printed bootstrap document of the original wire-transport client', () => {
  it('decodes with the whitespace around texts trimmed', () => {
    const container = decodeContainer(fixture('bootstrap-update-wire-client.xml'));
    expect(container.creationTimeText).toBe('2009-03-06T15:17:18-0800');
    const [update] = container.messages;
    expect(update?.messageId).toBe('9f33232f-5574-412a-99c7-ca38a169baf6');
    expect(update?.header.producer).toEqual({
      componentType: 'org.netbeams.dsp.platform.management.component.ComponentManager',
      locator: { componentNodeId: '1234', nodeAddress: 'LOCAL' },
    });
    expect(update?.header.consumer?.componentType).toBe('org.netbeams.dsp.wiretransport.client');
    expect(update?.body).toEqual({
      type: 'DSProperties',
      properties: [
        { name: 'WIRE_TRANSPORT_SERVER_IP', value: '192.168.0.197' },
        { name: 'WIRE_TRANSPORT_SERVER_PORT', value: '8080' },
        { name: 'HTTP_SERVER_BASE_URI', value: '/transportDspMessages' },
        { name: 'HTTP_SERVER_REQUEST_VARIABLE', value: 'dspMessagesContainer' },
        { name: 'WIRE_TRANSPORT_TRANSFER_DELAY', value: '60000' },
      ],
    });
  });

  it('re-encodes (one line) to a document that decodes to the same model', () => {
    const container = decodeContainer(fixture('bootstrap-update-wire-client.xml'));
    const legacy = encodeContainer(container, { dialect: 'legacy' });
    expect(legacy).not.toContain('\n');
    expect(decodeContainer(legacy)).toEqual(container);
  });
});
