import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContainer } from '../protocol/decode.js';
import { decodeColumnar } from '../protocol/columnar/index.js';
import { readingSequences } from '../protocol/sequences.js';
import { compressUpload } from '../agent/transport/http-client.js';
import { agentUpload } from './agent-wire.js';

describe('the agent upload the wire figure measures', () => {
  it("is the sender's container of the queued readings: one coalesced MeasureMessage, the lines' readings, gzip'd as sent", async () => {
    const upload = await agentUpload(60);
    expect(upload.container).toMatchObject({ id: 'sink-1041-60', gatewayId: 'gw-sfbay-01', queueDepth: 60 });
    expect(upload.container.messages).toHaveLength(1);
    const [message] = upload.container.messages;
    expect(message).toMatchObject({ messageId: 'sink-1041..1100', sequence: 1041 });
    expect(message!.header.consumer).toBeUndefined();
    expect(message!.header.producer).toEqual({ componentType: 'org.netbeams.dsp.ysi' });

    // What arrives is what the sonde printed: the lines of the baseline, the sequences the queue gave.
    const decoded = decodeContainer(gunzipSync(await compressUpload(upload.xml)));
    const [arrived] = decoded.messages;
    expect(readingSequences(arrived!)).toEqual(Array.from({ length: 60 }, (_, i) => 1041 + i));
    if (arrived!.body.type !== 'SondeDataContainer') throw new Error('not readings');
    expect(arrived!.body.readings.map((r) => r.raw)).toEqual(upload.sample.lines);
    expect(arrived!.body.readings.map((r) => r.sampledAt)).toEqual(upload.sample.readings.map((r) => r.sampledAt));
    expect(upload.gzipBytes).toBe((await compressUpload(upload.xml)).byteLength);
    // The columnar body the figure measures carries the very same container.
    expect(decodeColumnar(gunzipSync(await compressUpload(upload.columnar)))).toEqual(decoded);
    expect(upload.columnarGzipBytes).toBe((await compressUpload(upload.columnar)).byteLength);
  });
});
