// Turns the sonde's byte stream into lines and prompt tokens.
//
// The sonde paints screens for a VT100 terminal: escape sequences, backspace countdowns ("Stabilizing"),
// stray NULs, and prompts that end without a line ending (`# `, `(Y/N)?`, menu `Select option ...: `).
// The framer applies what a terminal would show (a backspace erases the character before it), drops
// the rest, and keeps the arrival time of each line's first byte. Its buffer is bounded: a line longer
// than maxLineBytes is discarded up to its line ending and counted, so noise can never exhaust memory.

export type Frame =
  | { kind: 'line'; text: string; receivedAt: number }
  /** `#` = command prompt, `yn` = a `(Y/N)?` question, `menu` = `Select option (0 for previous menu):`. */
  | { kind: 'prompt'; prompt: PromptKind; text: string; receivedAt: number };

export type PromptKind = '#' | 'yn' | 'menu';

export const MAX_LINE_BYTES = 512;

const ESC = 0x1b;
const BS = 0x08;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;

type EscapeState = 'none' | 'esc' | 'csi';

export class LineFramer {
  private line = '';
  private lineStartedAt = 0;
  private discarding = false;
  private lastWasCR = false;
  private escape: EscapeState = 'none';
  private overflowCount = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** Lines discarded because they exceeded the limit. */
  get overflows(): number {
    return this.overflowCount;
  }

  /** Feeds a chunk; returns the frames it completed. */
  push(chunk: Uint8Array | string, receivedAt: number = Date.now()): Frame[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const frames: Frame[] = [];
    for (const byte of bytes) {
      const skipLF = this.lastWasCR && byte === LF;
      this.lastWasCR = byte === CR;
      if (skipLF) continue; // the LF of a CR LF pair
      if (this.consumeEscape(byte)) continue;
      if (byte === CR || byte === LF) {
        this.endLine(frames);
        continue;
      }
      if (byte === BS) {
        this.line = this.line.slice(0, -1);
        continue;
      }
      // Other control bytes (NUL, ENQ, ...) carry nothing a line needs.
      if (byte < 0x20 && byte !== TAB) continue;
      if (byte === 0x7f) continue;
      this.append(String.fromCharCode(byte), receivedAt);
      const prompt = this.promptKind();
      if (prompt) {
        frames.push({ kind: 'prompt', prompt, text: this.line.trim(), receivedAt: this.lineStartedAt });
        this.line = '';
      }
    }
    return frames;
  }

  /** Returns true when the byte belongs to an escape sequence (ESC x, or ESC [ params final). */
  private consumeEscape(byte: number): boolean {
    switch (this.escape) {
      case 'none':
        if (byte !== ESC) return false;
        this.escape = 'esc';
        return true;
      case 'esc':
      case 'csi':
        // A control byte inside a sequence means the sequence was broken (lost bytes): resync on it.
        if (byte < 0x20 || byte > 0x7e) {
          this.escape = 'none';
          return byte === ESC ? this.consumeEscape(byte) : false;
        }
        if (this.escape === 'esc') this.escape = byte === 0x5b /* [ */ ? 'csi' : 'none';
        // CSI parameters and intermediates are 0x20-0x3f; a final byte 0x40-0x7e ends the sequence.
        else if (byte >= 0x40) this.escape = 'none';
        return true;
    }
  }

  private append(char: string, receivedAt: number): void {
    if (this.discarding) return;
    if (this.line.length === 0) this.lineStartedAt = receivedAt;
    if (this.line.length >= this.maxLineBytes) {
      this.line = '';
      this.discarding = true;
      this.overflowCount++;
      return;
    }
    this.line += char;
  }

  private endLine(frames: Frame[]): void {
    const text = this.line;
    this.line = '';
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const trimmed = text.trim();
    if (trimmed === '') return;
    // A bare `#` on its own line is the prompt too (some captures show it so).
    if (trimmed === '#') frames.push({ kind: 'prompt', prompt: '#', text: '#', receivedAt: this.lineStartedAt });
    else frames.push({ kind: 'line', text: text.trimEnd(), receivedAt: this.lineStartedAt });
  }

  private promptKind(): PromptKind | null {
    const line = this.line;
    if (line === '# ') return '#';
    if (line.endsWith('(Y/N)?')) return 'yn';
    if (line.endsWith('previous menu): ')) return 'menu';
    return null;
  }
}
