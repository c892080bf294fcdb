// What a sink accepts is remembered across restarts (sink-encodings.ts, docs/protocol.md §11): a restarted
// agent sends columnar from its first request to the sink that accepted it, pipelined from the start; a
// changed URL, or a file that does not read, starts with XML; a sink that stopped taking columnar between
// two runs answers 415 to every columnar request in flight, and each reading still arrives exactly once.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { until } from '../../lab/poll.js';
import { COLUMNAR_CONTENT_TYPE } from '../../protocol/columnar/index.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { senderRig, type Rig } from '../../test/support/agent/sender-rig.js';
import { TestSink } from '../../test/support/agent/test-sink.js';
import { NegotiatedCodec } from './codec.js';
import { SINK_ENCODINGS_FILE, SinkEncodings } from './sink-encodings.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const XML = 'application/xml';
const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function enqueue(rig: Rig, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) await rig.queue.enqueue(readingMessage(i));
}

/** A sink that takes columnar, and a directory for the encodings file (what an agent's data_dir holds). */
async function setup(maxMessages: number) {
  const sink = await TestSink.start('tok', 'gw-test');
  cleanups.push(() => sink.close());
  sink.acceptColumnar = true;
  const dir = mkdtempSync(path.join(tmpdir(), 'sink-encodings-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, SINK_ENCODINGS_FILE);
  const log = memoryLogger();
  /** What a starting agent does: read the file, give the destination's codec what it recalls. */
  const start = async (sinkUrl = sink.url) => {
    const encodings = await SinkEncodings.load(file, log.logger);
    return { encodings, codec: new NegotiatedCodec({ memory: encodings.for('sink'), sinkUrl }) };
  };
  const first = await start();
  const rig = await senderRig({ sink, codec: first.codec, maxMessages }, cleanups);
  return { sink, rig, file, log, start, first };
}

/** A first run that drained `n` readings with a sink that takes columnar: the file says so. */
async function firstRun(s: Awaited<ReturnType<typeof setup>>, n: number): Promise<void> {
  await enqueue(s.rig, 0, n);
  s.rig.sender.start();
  await until(() => s.rig.queue.stats().depth === 0 && s.first.codec.encoding === 'columnar');
  await s.rig.sender.stop();
  await s.first.encodings.flush();
}

describe('the remembered encoding', () => {
  it('is written once when the sink first accepts columnar, not per exchange, 0600', async () => {
    const s = await setup(10);
    await firstRun(s, 50);
    expect(s.sink.contentTypes.filter((t) => t === COLUMNAR_CONTENT_TYPE).length).toBeGreaterThan(2);
    expect(s.first.encodings.writes).toBe(1);
    expect(JSON.parse(readFileSync(s.file, 'utf8'))).toEqual({
      version: 1,
      sinks: { sink: { url: s.sink.url, encoding: 'columnar' } },
    });
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
  });

  it('makes a restart send columnar from its first request, pipelined before the first answer', async () => {
    const s = await setup(10);
    await firstRun(s, 10);
    const before = s.sink.contentTypes.length;
    const second = await s.start();
    expect(second.codec.settled).toBe(true);
    await enqueue(s.rig, 10, 40);
    // The first request of the new run is held until another joins it: only a settled encoding lets one join.
    let joined: boolean | undefined;
    s.sink.intercept = async () => {
      if (joined === undefined) {
        joined = false;
        joined = await until(() => s.sink.maxConcurrent >= 2, 1_500).then(
          () => true,
          () => false,
        );
      }
      return undefined;
    };
    s.sink.maxConcurrent = 0;
    await s.rig.restart(second.codec);
    await until(() => s.rig.queue.stats().depth === 0);
    expect(joined).toBe(true);
    expect(s.sink.contentTypes.slice(before)[0]).toBe(COLUMNAR_CONTENT_TYPE);
    expect(new Set(s.sink.contentTypes.slice(before))).toEqual(new Set([COLUMNAR_CONTENT_TYPE]));
    expect(s.sink.readingSequences()).toEqual(all(50));
    expect(s.sink.duplicates).toBe(0);
    expect(second.encodings.writes).toBe(0); // nothing changed: nothing written
  });

  it('is not used for another sink URL: XML first, one request until the answer, then learned anew', async () => {
    const s = await setup(10);
    writeFileSync(
      s.file,
      JSON.stringify({ version: 1, sinks: { sink: { url: 'http://127.0.0.1:9/old', encoding: 'columnar' } } }),
    );
    const second = await s.start();
    expect(second.codec.settled).toBe(false);
    await enqueue(s.rig, 0, 30);
    await s.rig.restart(second.codec);
    await until(() => s.rig.queue.stats().depth === 0);
    // Three containers' worth: had the first been joined before its answer, all three would have gone as XML.
    expect(s.sink.contentTypes.filter((t) => t === XML)).toEqual([XML]);
    expect(s.sink.contentTypes[0]).toBe(XML);
    expect(s.sink.contentTypes.slice(1)).toContain(COLUMNAR_CONTENT_TYPE);
    expect(s.sink.readingSequences()).toEqual(all(30));
    await second.encodings.flush();
    expect(JSON.parse(readFileSync(s.file, 'utf8')).sinks.sink).toEqual({ url: s.sink.url, encoding: 'columnar' });
  });

  it('is set aside with a warning when the file does not read: XML first', async () => {
    const s = await setup(10);
    const torn = '{"version":1,"sinks":{"sink":{"url":"http';
    writeFileSync(s.file, torn);
    const second = await s.start();
    expect(second.codec.settled).toBe(false);
    expect(second.codec.encoding).toBe('xml');
    const warning = s.log.lines().find((l) => l.msg === 'sink encodings unusable; moved aside, starting with XML');
    expect(warning?.level).toBe('warn');
    expect(warning?.problem).toMatch(/not JSON/);
    const kept = readdirSync(path.dirname(s.file)).filter((f) => f.startsWith(`${SINK_ENCODINGS_FILE}.bad-`));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(s.file), kept[0]!), 'utf8')).toBe(torn);
    await enqueue(s.rig, 0, 10);
    await s.rig.restart(second.codec);
    await until(() => s.rig.queue.stats().depth === 0);
    expect(s.sink.contentTypes[0]).toBe(XML);
    expect(s.sink.readingSequences()).toEqual(all(10));
  });

  it('refused (415) by a sink that stopped taking columnar between two runs: every reading once, as XML', async () => {
    // Containers of one reading: a columnar request refused as a reading is refused would set that reading aside.
    const s = await setup(1);
    await firstRun(s, 3);
    s.sink.acceptColumnar = false; // the sink was replaced by an older one while the agent was down
    const before = s.sink.contentTypes.length;
    const second = await s.start();
    expect(second.codec.encoding).toBe('columnar');
    await enqueue(s.rig, 3, 20);
    await s.rig.restart(second.codec);
    await until(() => s.rig.queue.stats().depth === 0 && s.sink.readingSequences().length === 23);
    const run = s.sink.contentTypes.slice(before);
    // Several columnar requests were in flight, each refused: all of them went again as XML.
    expect(run.filter((t) => t === COLUMNAR_CONTENT_TYPE).length).toBeGreaterThanOrEqual(2);
    expect(run.at(-1)).toBe(XML);
    expect(s.sink.readingSequences()).toEqual(all(23));
    expect(s.sink.duplicates).toBe(0);
    expect(s.rig.metrics.deadLettered.get({ destination: 'sink' })).toBe(0);
    expect(s.sink.messages.size).toBe(0); // no gap report: nothing was set aside
    await second.encodings.flush();
    expect(JSON.parse(readFileSync(s.file, 'utf8')).sinks.sink).toEqual({ url: s.sink.url, encoding: 'xml' });
  });
});
