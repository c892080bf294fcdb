import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../lab/poll.js';
import { LatestFileWriter } from './latest-file-writer.js';
import { memoryLogger } from './log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'latest-file-'));
  dirs.push(dir);
  return dir;
}

describe('LatestFileWriter', () => {
  it('a burst of changes is one write of the newest text, 0600', async () => {
    const file = path.join(tempDir(), 'state.json');
    const writer = new LatestFileWriter(file, memoryLogger().logger, 'state not written');
    const done = Array.from({ length: 20 }, (_, i) => writer.write(`text ${i}\n`));
    await Promise.all(done);
    expect(readFileSync(file, 'utf8')).toBe('text 19\n');
    expect(writer.writes).toBe(1); // none had started when the next came: the newest text, written once
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("a caller's promise resolves only once its text (or a newer one) is on disk", async () => {
    const file = path.join(tempDir(), 'state.json');
    const writer = new LatestFileWriter(file, memoryLogger().logger, 'state not written');
    await writer.write('a');
    const b = writer.write('b');
    await until(() => writer.writes === 2); // b's write has started
    const c = writer.write('c');
    const d = writer.write('d');
    await b;
    expect(readFileSync(file, 'utf8')).toBe('b');
    await c;
    expect(readFileSync(file, 'utf8')).toBe('d'); // c's write, after b's, took d, the newer text
    expect(d).toBe(c); // one write for both
    expect(writer.writes).toBe(3);
  });

  it('a failed write rejects its callers and is logged; the next write goes ahead', async () => {
    const dir = path.join(tempDir(), 'not-yet');
    const file = path.join(dir, 'state.json');
    const log = memoryLogger();
    const writer = new LatestFileWriter(file, log.logger, 'state not written');
    await expect(writer.write('lost')).rejects.toThrow(/ENOENT/);
    await writer.flush();
    expect(log.lines().filter((l) => l.msg === 'state not written')).toHaveLength(1);
    mkdirSync(dir);
    await writer.write('kept');
    expect(readFileSync(file, 'utf8')).toBe('kept');
  });
});
