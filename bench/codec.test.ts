import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './codec.js';
import { runBenchmarks } from './run.js';

describe('codec benchmark (quick)', () => {
  it('produces well-formed figures with baselines measured in the same run', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, [
      'wire_bytes_per_reading',
      'wire_bytes_per_reading_xml',
      'wire_bytes_per_reading_one_per_message',
      'wire_bytes_per_reading_with_producer_locator',
      'wire_bytes_per_reading_vs_legacy',
      'native_xml_bytes_per_reading',
      'wire_bytes_per_reading_at_1',
      'wire_bytes_per_reading_xml_at_1',
      'wire_bytes_per_reading_at_10',
      'wire_bytes_per_reading_xml_at_10',
      'wire_bytes_per_reading_at_600',
      'wire_bytes_per_reading_xml_at_600',
      'codec_native_readings_per_s',
      'codec_legacy_readings_per_s',
      'codec_columnar_readings_per_s',
    ]);
    const wire = figures.find((figure) => figure.name === 'wire_bytes_per_reading');
    // The columnar encoding (the default between agents and sinks of this system) at most the raw lines' gzip,
    // and the XML that older sinks get within its own target.
    expect(wire?.met).toBe(wire!.ratio <= 1.0);
    const xml = figures.find((figure) => figure.name === 'wire_bytes_per_reading_xml');
    expect(xml?.met).toBe(true);
    // Sizes do not depend on the machine (the quick run builds the same upload with the agent's own code,
    // agent-wire.ts), so the wire-size target is guarded here: a byte the agent adds to every upload shows
    // up as a failing test, not only in a bench file.
    expect(wire?.met).toBe(true);
    const onePerMessage = figures.find((figure) => figure.name === 'wire_bytes_per_reading_one_per_message');
    expect(onePerMessage!.value).toBeGreaterThan(xml!.value);
    expect(xml!.value).toBeGreaterThan(wire!.value);
  });

  it('writes bench results in the shared format', async () => {
    const outFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'latest.json');
    // The file's format, from one module: each module's own quick test runs it (all of them here took minutes).
    await runBenchmarks({ quick: true, outFile, only: ['codec'] });
    const results = JSON.parse(readFileSync(outFile, 'utf8')) as { machine: string; date: string; figures: unknown[] };
    expect(results.machine).toMatch(/node v\d+/);
    expect(Number.isNaN(Date.parse(results.date))).toBe(false);
    expect(results.figures.length).toBeGreaterThan(0);
    for (const figure of results.figures) {
      expect(Object.keys(figure as object).sort()).toEqual([
        'baseline',
        'baselineName',
        'met',
        'name',
        'ratio',
        'target',
        'unit',
        'value',
      ]);
    }
  });
});
