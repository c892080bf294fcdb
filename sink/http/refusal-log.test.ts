import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { startInProcessSink, type InProcessSink } from '../../test/sink/harness.js';
import { RefusalLog } from './refusal-log.js';

const refusedLines = (lines: Record<string, unknown>[]): Record<string, unknown>[] =>
  lines.filter((l) => l.msg === 'request refused' || l.msg === 'requests refused');

describe('RefusalLog', () => {
  afterEach(() => void vi.useRealTimers());

  it('logs the first refusal of a kind, then one line per 10 s with the count of those not logged', () => {
    vi.useFakeTimers();
    const { logger, lines } = memoryLogger();
    const log = new RefusalLog(logger);
    const unauthorized = { route: 'readings', status: 401, error: 'unauthorized' };
    for (let i = 0; i < 100; i++) log.refused(unauthorized);
    log.refused({ route: 'ingest', status: 413, error: 'too_large' });
    expect(refusedLines(lines()).map((l) => [l.msg, l.error])).toEqual([
      ['request refused', 'unauthorized'],
      ['request refused', 'too_large'],
    ]);
    vi.advanceTimersByTime(10_000);
    expect(refusedLines(lines()).slice(2)).toEqual([
      expect.objectContaining({ msg: 'requests refused', error: 'unauthorized', status: 401, count: 99, windowS: 10 }),
    ]);
    for (let i = 0; i < 5; i++) log.refused(unauthorized); // still inside the window the summary opened
    vi.advanceTimersByTime(10_000);
    expect(refusedLines(lines()).at(-1)).toMatchObject({ msg: 'requests refused', count: 5 });
    vi.advanceTimersByTime(60_000); // quiet: nothing more
    expect(refusedLines(lines())).toHaveLength(4);
    log.refused(unauthorized); // a new burst starts with a line of its own
    expect(refusedLines(lines())).toHaveLength(5);
    log.close();
  });
});

describe('refused requests at the sink', () => {
  let t: InProcessSink;
  afterEach(async () => t.close());

  it('2,000 unauthenticated requests write a few log lines, and /metrics counts all 2,000', async () => {
    t = await startInProcessSink();
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < 2000) {
        sent++;
        const res = await t.api('/api/readings', { token: null });
        expect(res.status).toBe(401);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(sent).toBe(2000);
    const lines = refusedLines(t.logs());
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(3);
    const metrics = await (await t.api('/metrics')).text();
    expect(metrics).toContain('dsp_sink_rejected_requests_total{reason="unauthorized",status="401"} 2000');
  });
});
