import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer, MAX_LINE_BYTES, type Frame } from './framer.js';
import { readFixture } from '../test/support/ysi.js';

function frameAll(chunks: (string | Buffer)[]): Frame[] {
  const framer = new LineFramer();
  return chunks.flatMap((c, i) => framer.push(c, 1000 + i));
}

const texts = (frames: Frame[]) => frames.map((f) => (f.kind === 'line' ? f.text : `<${f.prompt}>`));

describe('LineFramer', () => {
  it('splits CR LF, LF and CR endings and drops empty lines', () => {
    expect(texts(frameAll(['a\r\nb\nc\rd\r\r\n\ne\r\n']))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('treats a CR LF split across chunks as one ending', () => {
    expect(texts(frameAll(['one\r', '\ntwo\r', '\n']))).toEqual(['one', 'two']);
  });

  it('emits the `# ` prompt and (Y/N)? without a line ending', () => {
    const frames = frameAll(['OK\r\n# ', 'sn\r\n0167BF55\r\n# ', 'Exit menu (Y/N)?']);
    expect(texts(frames)).toEqual(['OK', '<#>', 'sn', '0167BF55', '<#>', '<yn>']);
    expect(frames.at(-1)).toMatchObject({ kind: 'prompt', text: 'Exit menu (Y/N)?' });
  });

  it('strips VT100 sequences, NULs and applies backspaces like a terminal', () => {
    const frames = frameAll(['\x1b[2J\x1b[1;1H\0Main\x1b[0m menu\r\n', 'Stabilizing 4\b \b3\b \b2\b \b1\b \b\r\n']);
    expect(texts(frames)).toEqual(['Main menu', 'Stabilizing']);
  });

  it('keeps escape state across chunk boundaries', () => {
    expect(texts(frameAll(['x\x1b', '[1', ';1Hy\r\n']))).toEqual(['xy']);
  });

  it('keeps the arrival time of the first byte of each line', () => {
    const framer = new LineFramer();
    framer.push('12.3 ', 100);
    const [line] = framer.push('4.5\r\n', 200);
    expect(line).toEqual({ kind: 'line', text: '12.3 4.5', receivedAt: 100 });
  });

  it('never emits a line over the limit or a control character, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 5 }), (chunks) => {
        for (const frame of frameAll(chunks.map((c) => Buffer.from(c)))) {
          expect(frame.text.length).toBeLessThanOrEqual(MAX_LINE_BYTES);
          // eslint-disable-next-line no-control-regex -- the framer must strip exactly these control bytes
          expect(frame.text).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('discards a line longer than the limit up to its ending and counts it', () => {
    const framer = new LineFramer();
    const long = 'x'.repeat(MAX_LINE_BYTES + 100);
    const frames = framer.push(`${long}\r\nnext\r\n`);
    expect(texts(frames)).toEqual(['next']);
    expect(framer.overflows).toBe(1);
    // exactly at the limit is still a line
    expect(texts(framer.push(`${'y'.repeat(MAX_LINE_BYTES)}\r\n`))[0]).toHaveLength(MAX_LINE_BYTES);
    expect(framer.overflows).toBe(1);
  });
});

describe('LineFramer on recorded transcripts', () => {
  const transcripts = ['command-session.txt', 'run-header-stream.txt', 'menu-session.txt', 'upload-csv.txt'];

  for (const name of transcripts) {
    it(`${name}: one byte at a time gives the same frames as whole`, () => {
      const bytes = readFixture(name);
      const whole = texts(frameAll([bytes]));
      const framer = new LineFramer();
      const bytewise = [...bytes].flatMap((b) => framer.push(Buffer.of(b)));
      expect(texts(bytewise)).toEqual(whole);
      expect(whole.length).toBeGreaterThan(3);
    });
  }

  it('command-session.txt yields the replies and prompts in order', () => {
    const frames = texts(frameAll([readFixture('command-session.txt')]));
    expect(frames.slice(0, 3)).toEqual(['<#>', 'reset', 'OK']);
    expect(frames).toContain('0167BF55');
    expect(frames).toContain('Stabilizing');
    expect(frames.filter((f) => f === '<#>')).toHaveLength(9);
    expect(frames.filter((f) => f.startsWith('06/19/13 '))).toHaveLength(4);
  });

  it('menu-session.txt yields menu prompts, the (Y/N)? question and the final prompt', () => {
    const frames = texts(frameAll([readFixture('menu-session.txt')]));
    expect(frames.filter((f) => f === '<menu>')).toHaveLength(3);
    expect(frames.slice(-3)).toEqual(['<yn>', 'y', '<#>']);
    expect(frames).toContain('-----------------Main------------------');
  });

  it('any split of a transcript into chunks gives the same lines and prompts', () => {
    const bytes = readFixture('command-session.txt');
    const whole = texts(frameAll([bytes]));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        expect(texts(frameAll(chunks))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('two transcripts glued together frame as the sum of both', () => {
    const a = readFixture('run-header-stream.txt');
    const b = readFixture('command-session.txt');
    const glued = texts(frameAll([Buffer.concat([a, b])]));
    expect(glued).toEqual([...texts(frameAll([a])), ...texts(frameAll([b]))]);
  });
});
