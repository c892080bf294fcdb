// The remembered binding: when a row fits it, and the state file's round trip.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { columnsFromPara } from './columns.js';
import { BindingStateFile, loadRememberedBinding, rowFitsBinding } from './remembered-binding.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dsp-binding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Date m/d/y, time, Temp C, SpCond uS/cm, pH, Battery V.
const columns = columnsFromPara([52, 54, 1, 7, 18, 28]);
const options = { timeZone: 'UTC', dateFormat: 'mdy' as const };

describe('rowFitsBinding', () => {
  it('accepts a row with the same fields, a valid date and time, and plausible values (missing ones too)', () => {
    expect(rowFitsBinding('11/22/2026 17:14:48  15.96  46396  7.92  12.2', columns, options)).toBe(true);
    expect(rowFitsBinding('11/22/2026 17:14:48  -99999  46396  7.92  12.2', columns, options)).toBe(true);
  });

  it('refuses a cut row, another column count, a bad date, a non-number and values out of their column range', () => {
    expect(rowFitsBinding('17:14:48  15.96  46396  7.92  12.2', columns, options)).toBe(false); // cut at the start
    expect(rowFitsBinding('11/22/2026 17:14:48  15.96  46396  7.92  12.2  3.1', columns, options)).toBe(false);
    expect(rowFitsBinding('22/11/2026 17:14:48  15.96  46396  7.92  12.2', columns, options)).toBe(false); // d/m/y
    expect(rowFitsBinding('11/22/2026 17:14:48  15.96  463x6  7.92  12.2', columns, options)).toBe(false);
    expect(rowFitsBinding('11/22/2026 17:14:48  46396  15.96  7.92  12.2', columns, options)).toBe(false); // swapped
  });
});

describe('the state file', () => {
  it('round-trips a binding; a missing file is no binding, silently', async () => {
    const { logger, lines } = memoryLogger();
    const file = path.join(dir, 'state.json');
    expect(await loadRememberedBinding(file, logger)).toBeNull();
    expect(lines()).toEqual([]);
    const state = new BindingStateFile(file, logger);
    const binding = { serialNumber: '0167BF55', intervalS: 0.5, columns };
    await state.save(binding);
    await state.save(binding); // unchanged: no second write
    expect(await loadRememberedBinding(file, logger)).toEqual(binding);
    expect(readdirSync(dir).filter((f) => f.startsWith('state.json'))).toEqual(['state.json']); // no temporary left
  });

  it('moves a file that is not a binding aside (kept), with a warning naming the problem', async () => {
    const { logger, lines } = memoryLogger();
    const cases = [
      ['not-json', '{', /not JSON/],
      ['null', 'null', /expected Object, got null/],
      ['wrong-version', JSON.stringify({ version: 2, serialNumber: null, intervalS: 1, columns }), /^version: /],
      [
        'bad-column',
        JSON.stringify({ version: 1, serialNumber: null, intervalS: 1, columns: [{ kind: 'value', key: '' }] }),
        /^columns\[0\]\.key: expected length >=1, got length 0; columns\[0\]\.unit: is required$/,
      ],
      ['no-interval', JSON.stringify({ version: 1, serialNumber: 'x', columns }), /^intervalS: is required/],
      ['too-large', JSON.stringify({ version: 1, serialNumber: 'x'.repeat(70_000), intervalS: 1, columns }), /larger/],
    ] as const;
    for (const [name, text] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      expect(await loadRememberedBinding(file, logger), name).toBeNull();
      const kept = readdirSync(dir).filter((f) => f.startsWith(`${name}.bad-`));
      expect(kept, name).toHaveLength(1);
      expect(readFileSync(path.join(dir, kept[0]!), 'utf8')).toBe(text);
      expect(existsSync(file)).toBe(false);
    }
    const warnings = lines().filter((l) => l.msg === 'sonde state file is not a remembered binding; moved aside');
    expect(warnings.map((w) => w.problem)).toEqual(cases.map(([, , problem]) => expect.stringMatching(problem)));
  });

  it('logs a write that fails and does not reject', async () => {
    const { logger, lines } = memoryLogger();
    const state = new BindingStateFile(path.join(dir, 'no-such-dir', 'state.json'), logger);
    await expect(state.save({ serialNumber: null, intervalS: 1, columns })).resolves.toBeUndefined();
    expect(lines().some((l) => l.msg === 'sonde state file not written')).toBe(true);
  });
});
