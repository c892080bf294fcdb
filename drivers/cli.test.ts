import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, parseFaults } from './cli.js';
import { FIXTURES } from '../test/support/ysi.js';

/** Runs the CLI's main() and captures what it prints. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  const records = () =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, stdout, stderr, records };
}

afterEach(() => vi.restoreAllMocks());

describe('dsp-sonde parse', () => {
  it('prints one JSON object per reading of a space-aligned upload file, and a summary on stderr', async () => {
    const {
      code,
      records: parsed,
      stderr,
    } = await run(['parse', '--timezone', 'America/Los_Angeles', FIXTURES + 'upload-space.txt']);
    const records = parsed();
    expect(code).toBe(0);
    expect(records).toHaveLength(4);
    expect(Object.keys(records[0]!)).toEqual(['sampledAt', 'sondeTime', 'values', 'units', 'flags', 'raw']);
    expect(records[0]).toMatchObject({
      sampledAt: '2006-01-31T22:00:00.000Z',
      sondeTime: '01/31/06 14:00:00',
      flags: [],
    });
    expect(records[2]!.flags).toEqual(['missing']);
    expect(JSON.parse(stderr)).toMatchObject({ readings: 4, rejected: {} });
  });

  it('replays a whole command-line transcript, binding columns from its para reply', async () => {
    const { code, records: parsed, stderr } = await run(['parse', FIXTURES + 'command-session.txt']);
    const records = parsed();
    expect(code).toBe(0);
    expect(records.map((r) => r.sondeTime)).toEqual([
      '06/19/13 09:37:01',
      '06/19/13 09:37:02',
      '06/19/13 09:37:03',
      '06/19/13 09:37:04',
    ]);
    expect(JSON.parse(stderr)).toMatchObject({ readings: 4, rejected: {} });
  });

  it('uses the fixed netbeams layout only when asked to', async () => {
    const legacy = await run(['parse', '--layout', 'netbeams', FIXTURES + 'netbeams-legacy-stream.txt']);
    expect(legacy.records()).toHaveLength(7);
    const auto = await run(['parse', FIXTURES + 'netbeams-legacy-stream.txt']);
    expect(auto.records()).toHaveLength(0);
    expect(JSON.parse(auto.stderr)).toMatchObject({ readings: 0, rejected: { unbound: 7 } });
  });

  it('exits 2 when the file cannot be read or the options are wrong', async () => {
    const missing = await run(['parse', '/nonexistent/file.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/file.txt');
    expect((await run(['parse', '--timezone', 'Mars/Base', FIXTURES + 'upload-csv.txt'])).code).toBe(2);
    expect((await run(['parse', '--date-format', 'ydm', FIXTURES + 'upload-csv.txt'])).code).toBe(2);
    expect((await run(['parse'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('dsp-sonde parse');
  });
});

describe('dsp-sonde sim options', () => {
  it('reads a fault list and refuses nonsense', () => {
    expect(parseFaults('garbage=0.05, cut=0.02,silenceS=3')).toEqual({ garbage: 0.05, cut: 0.02, silenceS: 3 });
    expect(() => parseFaults('gremlins=0.1')).toThrow(/unknown fault/);
    expect(() => parseFaults('cut=2')).toThrow(/probability/);
  });

  it('needs a port', async () => {
    const { code, stderr } = await run(['sim']);
    expect(code).toBe(2);
    expect(stderr).toContain('--port');
  });
});
