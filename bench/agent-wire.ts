// The upload the agent really sends (docs/protocol.md §9): sonde lines (protocol/fixtures/sonde-sample.ts) parsed by the
// driver's SondeParser, taken by the agent's SondeSource through its broker and default rules into a real
// durable queue, read and built into a container by the sender's own code (batcher.ts, coalesce.ts),
// encoded by its codec and gzip'd as its HTTP client gzips. bench/codec.ts measures `wire_bytes_per_reading`
// on it, so a byte the agent adds to every upload shows in the figure and fails `npm test`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../common/log.js';
import { SondeParser } from '../drivers/parser.js';
import { DurableQueue } from '../agent/queue/durable-queue.js';
import { buildContainer, fitContainer, nextBatch } from '../agent/transport/batcher.js';
import { nativeCodec, NegotiatedCodec } from '../agent/transport/codec.js';
import { COLUMNAR_CONTENT_TYPE } from '../protocol/columnar/index.js';
import { compressUpload } from '../agent/transport/http-client.js';
import type { MessagesContainer } from '../protocol/model.js';
import { FeedDriver, ingest } from './agent-intake.js';
import { sondeSample, type SondeSample } from '../protocol/fixtures/sonde-sample.js';

export interface AgentUpload {
  /** The lines of the readings in the upload, as the sonde printed them (the baseline's input). */
  sample: SondeSample;
  container: MessagesContainer;
  xml: string;
  gzipBytes: number;
  /** The same container as the agent sends it to a sink that accepts the columnar encoding (its default). */
  columnar: Uint8Array;
  columnarGzipBytes: number;
}

/** The sonde clock of protocol/fixtures/sonde-sample.ts: UTC-7, as the SF-BEAMS sonde in 2009. */
const SONDE_TIME_ZONE = 'Etc/GMT+7';
const DESTINATION = 'sink';

/**
 * The agent's upload of `count` readings, as the sender builds it when they are all that waits. The
 * `acknowledged` readings before them were taken and acknowledged first, so the upload starts at sequence
 * `acknowledged + 1`, as on a gateway that has been running for a while. `seed` varies the sonde's values.
 */
export async function agentUpload(count: number, acknowledged = 1040, seed = 1): Promise<AgentUpload> {
  const sample = sondeSample(acknowledged + count, undefined, seed);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-wire-'));
  const { logger } = memoryLogger();
  const queue = await DurableQueue.open({
    dir,
    name: DESTINATION,
    limits: { maxMessages: 1e6, maxBytes: 1e9, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger,
  });
  try {
    const parser = new SondeParser({ layout: 'netbeams', timeZone: SONDE_TIME_ZONE, dateFormat: 'ymd' });
    const receivedAt = sample.readings.map((r) => r.sampledAt! + 800);
    const driver = new FeedDriver((emit) =>
      sample.lines.forEach((line, i) => {
        const parsed = parser.parse(line, receivedAt[i]);
        if (parsed.kind !== 'reading') throw new Error(`the parser did not read line ${i}: ${JSON.stringify(parsed)}`);
        emit(parsed.reading, receivedAt[i]);
      }),
    );
    await ingest(driver, queue);
    if (queue.stats().depth !== acknowledged + count)
      throw new Error(`the source queued ${queue.stats().depth} of ${acknowledged + count} readings`);
    await queue.acknowledgeUntil(acknowledged);

    const limits = { maxMessages: count, maxBytes: 1024 * 1024 };
    const batch = await nextBatch(queue, limits, 'backfill');
    const sentAt = sample.readings.at(-1)!.sampledAt! + 1000;
    const fields = {
      destination: DESTINATION,
      gatewayId: 'gw-sfbay-01',
      receivedCommands: [],
      queueDepth: queue.stats().depth,
      nextSequence: queue.stats().lastSequence + 1,
      now: sentAt,
    };
    const { container, encoded } = fitContainer(
      batch,
      limits.maxBytes,
      (messages) => buildContainer(messages, fields),
      (c) => nativeCodec.encode(c),
      (e) => Buffer.byteLength(e.data),
    );
    const xml = String(encoded.data);
    const uploaded = sample.lines.slice(acknowledged);
    // The agent's codec after a sink's answer listed the columnar type.
    const negotiated = new NegotiatedCodec();
    negotiated.learn(`application/xml, ${COLUMNAR_CONTENT_TYPE}`);
    const columnar = negotiated.encode(container).data as Uint8Array;
    return {
      sample: {
        lines: uploaded,
        stream: uploaded.map((line) => `${line}\r\n`).join(''),
        readings: sample.readings.slice(acknowledged),
      },
      container,
      xml,
      gzipBytes: (await compressUpload(xml)).byteLength,
      columnar,
      columnarGzipBytes: (await compressUpload(columnar)).byteLength,
    };
  } finally {
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
