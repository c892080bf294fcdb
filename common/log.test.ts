import { describe, expect, it } from 'vitest';
import { memoryLogger } from './log.js';

describe('Logger', () => {
  it('writes one JSON object per line with the fixed fields of its children', () => {
    const { logger, lines } = memoryLogger({ component: 'agent' });
    logger
      .child({ destination: 'sink' })
      .warn('send failed', { err: Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const [line] = lines();
    expect(line).toMatchObject({ level: 'warn', msg: 'send failed', component: 'agent', destination: 'sink' });
    expect(line?.err).toEqual({ name: 'Error', message: 'ECONNREFUSED', code: 'ECONNREFUSED' });
  });

  it('drops lines below the level, and a level change reaches children', () => {
    const { logger, lines } = memoryLogger();
    const child = logger.child({ part: 'x' });
    logger.setLevel('warn');
    child.info('hidden');
    child.error('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });

  it('keeps its own time, level and msg when a caller passes fields of those names', () => {
    const { logger, lines } = memoryLogger({ level: 'from-child' });
    const before = Date.now();
    logger.info('sonde clock checked', { time: '14:03:06', level: 'x', msg: 'y', driftMs: 3 });
    const [line] = lines();
    expect(Object.keys(line!).slice(0, 3)).toEqual(['time', 'level', 'msg']);
    expect(line).toMatchObject({ level: 'info', msg: 'sonde clock checked', driftMs: 3 });
    expect(Date.parse(String(line!.time))).toBeGreaterThanOrEqual(before - 1000);
    expect(line!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
