// `dsp-sonde parse` on the sonde's binary file, run as shipped: the compiled dist/drivers/cli.js.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'drivers', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'ysi');
const dir = mkdtempSync(path.join(tmpdir(), 'sonde-file-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(args: string[], input?: Buffer) {
  const run = spawnSync(process.execPath, [CLI, 'parse', ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('dsp-sonde parse (compiled) on a PC6000 file', () => {
  it('recognises the file by its content, whatever its name, and prints its readings with the header on stderr', () => {
    const named = path.join(dir, 'download.txt');
    copyFileSync(path.join(FIXTURES, 'pc6000-small.dat'), named);
    const { code, stdout, stderr } = parse(['--tz', 'America/Los_Angeles', named]);
    expect(code).toBe(0);
    const records = jsonLines(stdout);
    expect(records.map((r) => [r.sampledAt, r.sondeTime, r.values, r.flags])).toEqual([
      ['2006-01-31T22:00:08.000Z', '2006/01/31 14:00:08', { Temp: 15.5, Cond: 45.25, Depth: 3.125, Battery: 12.5 }, []],
      [
        '2006-01-31T22:15:08.000Z',
        '2006/01/31 14:15:08',
        { Temp: 15.25, Cond: 45.5, Depth: null, Battery: 12.5 },
        ['missing'],
      ],
      [
        '2006-01-31T22:30:08.000Z',
        '2006/01/31 14:30:08',
        { Temp: 16, Cond: 0, Depth: -0.25, Battery: 12.25 },
        ['out_of_water'],
      ],
    ]);
    expect(records[0]!.units).toEqual({ Temp: 'C', Cond: 'mS/cm', Depth: 'm', Battery: 'V' });
    expect(JSON.parse(stderr)).toMatchObject({
      format: 'pc6000',
      serialNumber: '0167BF55',
      site: 'Tomales Bay',
      intervalS: 900,
      channels: ['Temp', 'Cond', 'Depth', 'Battery'],
      skipped: { F: 1 },
      stop: null,
    });
  });

  it('prints CSV, from stdin too', () => {
    const { code, stdout } = parse(['--format', 'csv', '-'], readFileSync(path.join(FIXTURES, 'pc6000-small.dat')));
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'sampledAt,sondeTime,Temp (C),Cond (mS/cm),Depth (m),Battery (V),flags',
        '2006-01-31T14:00:08.000Z,2006/01/31 14:00:08,15.5,45.25,3.125,12.5,',
        '2006-01-31T14:15:08.000Z,2006/01/31 14:15:08,15.25,45.5,,12.5,missing',
        '2006-01-31T14:30:08.000Z,2006/01/31 14:30:08,16,0,-0.25,12.25,out_of_water',
        '',
      ].join('\n'),
    );
  });

  it('prints the whole records of a truncated file, then exits 2 saying where it stopped', () => {
    const cut = path.join(dir, 'cut.dat');
    writeFileSync(cut, readFileSync(path.join(FIXTURES, 'pc6000-small.dat')).subarray(0, 200));
    const { code, stdout, stderr } = parse([cut]);
    expect(code).toBe(2);
    expect(jsonLines(stdout)).toHaveLength(1);
    expect(stderr).toContain('file cut short at offset 192, record 6: a D record needs 21 bytes, 8 left');
  });

  it('exits 2 with the reason and offset for a file it cannot read at all', () => {
    const bytes = readFileSync(path.join(FIXTURES, 'pc6000-small.dat'));
    bytes.writeInt16LE(52, 111 + 3); // the first channel's sensor code: a date id
    const bad = path.join(dir, 'bad.dat');
    writeFileSync(bad, bytes);
    const { code, stdout, stderr } = parse([bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('offset 111, record 1: sensor code 52 is not the id of a measured parameter');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('still reads the text upload forms, and refuses a wrong --format', () => {
    const text = parse(['--format', 'csv', path.join(FIXTURES, 'upload-space.txt')]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^sampledAt,sondeTime,Temp \(C\),/);
    expect(JSON.parse(text.stderr)).toMatchObject({ format: 'text', readings: 4 });
    const wrong = parse(['--format', 'xml', path.join(FIXTURES, 'pc6000-small.dat')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--format must be jsonl or csv');
  });
});
