// Original NetBEAMS gateways: the urlencoded form of test/fixtures/netbeams/legacy-http-request.txt, from a
// configured address, answered with the original's text/xml container.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeContainer } from '../../protocol/index.js';
import { startInProcessSink, type InProcessSink } from '../../test/sink/harness.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/netbeams/${name}`, import.meta.url), 'utf8');
const httpRequest = fixture('legacy-http-request.txt');
const [head = '', formBody = ''] = httpRequest.split(/\r?\n\r?\n/);
const referenceResponse = fixture('legacy-response-with-update.xml').trim();

let t: InProcessSink;
afterEach(async () => t.close());

function postLegacy(body = formBody.trim()): Promise<Response> {
  const contentType = /^Content-Type: (.+)$/m.exec(head)?.[1]?.trim() ?? '';
  return fetch(`${t.url}/transportDspMessages`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, 'User-Agent': 'DSP-Gateway-0.1' },
    body,
  });
}

describe('legacy NetBEAMS form', () => {
  it('stores the reference request under the mapped gateway and answers with the original text/xml container', async () => {
    t = await startInProcessSink({ legacy: { '127.0.0.1': 'bay-legacy' } });
    const res = await postLegacy();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const text = await res.text();
    // The original's one-line document: same declaration, legacy attributes, no extensions.
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><MessagesContainer uudi="')).toBe(
      true,
    );
    expect(text).toMatch(/ acknowledgeUntil="2"/); // the windowSize the gateway sent
    expect(text).not.toMatch(/serverTime|acknowledgedContainer/);

    const readings = (await (await t.api('/api/readings?gateway=bay-legacy')).json()) as Array<Record<string, unknown>>;
    expect(readings).toHaveLength(1);
    expect(readings[0]).toMatchObject({
      gateway: 'bay-legacy',
      producer: 'SondeProducer',
      sondeTime: '2009/05/16 14:03:06',
      values: { Temp: 14.48, SpCond: 155.5, pH: 4.36, Battery: 8.7 },
    });
    const { messages } = (await (await t.api('/api/gateways/bay-legacy/messages')).json()) as {
      messages: Array<{ kind: string }>;
    };
    expect(messages.map((m) => m.kind).sort()).toEqual(['AcknowledgementMessage', 'MeasureMessage']);

    const again = await postLegacy();
    expect(await again.text()).toMatch(/ acknowledgeUntil="2"/);
    expect(((await (await t.api('/api/readings?gateway=bay-legacy')).json()) as unknown[]).length).toBe(1);
  });

  it('piggybacks an update in the form of the reference response', async () => {
    t = await startInProcessSink({ legacy: { '127.0.0.1': 'bay-legacy' } });
    const created = await t.api('/api/gateways/bay-legacy/commands', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'update', properties: { SAMPLING_FREQUENCY: 2 } }),
    });
    const { id } = (await created.json()) as { id: string };
    const text = await (await postLegacy()).text();
    const answer = decodeContainer(text);
    const reference = decodeContainer(referenceResponse);
    expect(answer).toMatchObject({
      acknowledgeUntil: reference.acknowledgeUntil,
      windowSize: reference.windowSize,
      destinationHost: '127.0.0.1',
    });
    expect(answer.messages).toHaveLength(1);
    const [sent] = answer.messages;
    const [expected] = reference.messages;
    expect(sent).toMatchObject({
      kind: expected?.kind,
      contentType: expected?.contentType,
      messageId: id,
      body: expected?.body,
    });
    expect(sent?.header.producer.componentType).toBe(expected?.header.producer.componentType);
    expect(sent?.header.consumer?.componentType).toBe(expected?.header.consumer?.componentType);
    // Same element layout as the original writer, ids and times aside.
    const shape = (xml: string) =>
      xml
        .replace(/="[^"]*"/g, '=""')
        .replace(/>[^<]*</g, '><')
        .replace(/<ComponentLocator>.*?<\/ComponentLocator>/g, '');
    expect(shape(text.trim())).toBe(shape(referenceResponse));
    // An original gateway never confirms receipt: sending it is delivery.
    const { commands } = (await (await t.api('/api/gateways/bay-legacy/commands')).json()) as {
      commands: Array<{ state: string }>;
    };
    expect(commands[0]?.state).toBe('delivered');
  });

  it('refuses the legacy form from an address that is not configured, and a broken form', async () => {
    t = await startInProcessSink({ legacy: { '10.9.9.9': 'elsewhere' } });
    const res = await postLegacy();
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unknown_legacy_address' });
    await t.close();

    t = await startInProcessSink({ legacy: { '127.0.0.1': 'bay-legacy' } });
    const broken = await postLegacy('dspMessagesContainer=%3C%ZZ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'invalid_form' });
  });
});
