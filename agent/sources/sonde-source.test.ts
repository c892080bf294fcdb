import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import type { DriverReading, DriverStatus, IntervalOutcome } from '../../drivers/types.js';
import { Broker } from '../broker/broker.js';
import { Matcher } from '../broker/matcher.js';
import { defaultRules } from '../config/schema.js';
import { DurableQueue } from '../queue/durable-queue.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { SondeSource, type SondeDriverLike } from './sonde-source.js';
import { until } from '../../lab/poll.js';

/** A driver whose readings the test emits by hand. */
class HandDriver extends EventEmitter implements SondeDriverLike {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async setSamplingInterval(): Promise<IntervalOutcome> {
    return { outcome: 'rejected', reason: 'test', intervalS: 1 };
  }
  intervalS = 1;
  serialNumber: string | null = null;
  status(): DriverStatus {
    return { intervalS: this.intervalS, serialNumber: this.serialNumber } as DriverStatus;
  }
  /** Reading `i` as sampled at second `at` (default i) of the sonde's clock. */
  emitReading(i: number, at = i): void {
    const reading: DriverReading = {
      sondeTime: `t${i}`,
      sampledAt: 1_000_000 + at * 1000,
      values: { Temp: 14 + i },
      receivedAt: 2_000_000 + i,
    };
    this.emit('reading', reading);
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function rig() {
  const dir = mkdtempSync(path.join(tmpdir(), 'source-'));
  dirs.push(dir);
  const { logger, lines } = memoryLogger();
  const queue = await DurableQueue.open({
    dir,
    name: 'sink',
    limits: { maxMessages: 1000, maxBytes: 1e8, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger,
  });
  const metrics = new AgentMetrics();
  const broker = new Broker({
    matcher: new Matcher(defaultRules([{ name: 'sink', url: 'http://127.0.0.1:9/', token: '' }]), ['gw']),
    queues: new Map([['sink', queue]]),
    metrics,
    logger,
  });
  const driver = new HandDriver();
  const source = new SondeSource(driver, broker, metrics, logger);
  return { queue, metrics, driver, source, lines };
}

describe('SondeSource', () => {
  it('publishes the readings of one turn of the event loop together, each as its own message in emission order', async () => {
    const { queue, metrics, driver, source } = await rig();
    const commits: number[] = [];
    queue.on('enqueued', (depth: number) => commits.push(depth));
    for (let i = 0; i < 5; i++) driver.emitReading(i); // one serial read with five lines
    await until(() => commits.length === 1, 2000, 'the first turn committed'); // before the next line
    driver.emitReading(5); // the next second's line
    await source.stop();

    expect(commits).toEqual([5, 6]);
    expect(metrics.readingsTaken.get()).toBe(6);
    const entries = await queue.oldest({ maxMessages: 10, maxBytes: 1e9 });
    expect(entries.map((e) => [e.message.sequence, e.message.header.creationTime])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [i + 1, 2_000_000 + i]),
    );
    const first = entries[0]!.message;
    expect(first.body.type === 'SondeDataContainer' && first.body.readings).toEqual([
      { sondeTime: 't0', sampledAt: 1_000_000, values: { Temp: 14 } },
    ]);
    await queue.close();
  });

  it('counts every reading of a batch it could not queue as rejected, and logs it', async () => {
    const { queue, metrics, driver, source, lines } = await rig();
    await queue.close();
    driver.emitReading(0);
    driver.emitReading(1);
    await source.stop();
    expect(metrics.readingsTaken.get()).toBe(0);
    expect(metrics.readingsRejected.get({ reason: 'enqueue_failed' })).toBe(2);
    expect(
      lines().some((l) => l.msg === 'readings could not be queued' && l.readings === 2 && l.firstSondeTime === 't0'),
    ).toBe(true);
  });

  it('publishes a line gap report in front of the reading after a jump of the sonde clock, and counts it', async () => {
    const { queue, metrics, driver, source, lines } = await rig();
    await source.start();
    driver.emitReading(0);
    driver.emitReading(1);
    driver.emitReading(2, 62); // 60 rows (2..61) printed by the sonde never arrived
    driver.emitReading(3, 63);
    await source.stop();

    const entries = await queue.oldest({ maxMessages: 10, maxBytes: 1e9 });
    expect(entries.map((e) => e.message.kind)).toEqual([
      'MeasureMessage',
      'MeasureMessage',
      'EventMessage',
      'MeasureMessage',
      'MeasureMessage',
    ]);
    const report = entries[2]!.message;
    expect(report.contentType).toBe('org.netbeams.dsp.event.GapReport');
    expect(report.header.producer.componentType).toBe('org.netbeams.dsp.ysi');
    expect(report.body).toEqual({
      type: 'GapReport',
      gap: {
        fromSequence: 0,
        toSequence: 0,
        readings: 60,
        firstSampledAt: 1_002_000,
        lastSampledAt: 1_061_000,
        reason: 'line',
      },
    });
    expect(metrics.readingsTaken.get()).toBe(4);
    expect(metrics.lineGapReadings.get()).toBe(60);
    expect(lines().filter((l) => l.msg === 'readings lost on the serial line (the sonde clock jumped)')).toHaveLength(
      1,
    );
    await queue.close();
  });

  it('reports no gap across a break-in or when the interval changed', async () => {
    const { queue, driver, source } = await rig();
    await source.start();
    driver.emitReading(0);
    driver.emit('state', 'configuring'); // the sonde stopped sampling while the driver talked to it
    driver.emitReading(1, 30);
    driver.intervalS = 60; // changed without a break-in (passive mode)
    driver.emitReading(2, 90);
    driver.emitReading(3, 150);
    await source.stop();
    const entries = await queue.oldest({ maxMessages: 10, maxBytes: 1e9 });
    expect(entries.map((e) => e.message.kind)).toEqual(Array(4).fill('MeasureMessage'));
    await queue.close();
  });

  it('reports the sonde when its serial number is first known and again after a swap, not on every state', async () => {
    const { queue, driver, source } = await rig();
    await source.start();
    driver.emitReading(0); // the serial number is not known yet
    driver.serialNumber = '01A2345';
    driver.emit('state', 'streaming');
    driver.emitReading(1);
    driver.emit('state', 'configuring'); // the line came back: the same sonde
    driver.emit('state', 'streaming');
    driver.emitReading(2);
    driver.serialNumber = '09Z8765'; // a sonde swapped in the field
    driver.emit('state', 'streaming');
    driver.emitReading(3);
    await source.stop();

    const entries = await queue.oldest({ maxMessages: 10, maxBytes: 1e9 });
    const described = entries.map((e) =>
      e.message.body.type === 'DSProperties' ? e.message.body.properties.map((p) => p.value).join(' ') : 'reading',
    );
    expect(described).toEqual(['reading', '01A2345 YSI 6600', 'reading', 'reading', '09Z8765 YSI 6600', 'reading']);
    const description = entries[1]!.message;
    expect(description.kind).toBe('EventMessage');
    expect(description.contentType).toBe('org.netbeams.dsp.ysi.SensorDescription');
    expect(description.body).toEqual({
      type: 'DSProperties',
      properties: [
        { name: 'serialNumber', value: '01A2345' },
        { name: 'model', value: 'YSI 6600' },
      ],
    });
    await queue.close();
  });
});
