// Turns the sonde's byte stream into lines and prompt tokens.
//
// The sonde paints screens for a VT100 terminal: escape sequences, backspace countdowns ("Stabilizing"),
// stray NULs, and prompts that end without a line ending (`# `, `(Y/N)?`, menu `Select option ...: `).
// The framer applies what a terminal would show (a backspace erases the character before it), drops
// the rest, and keeps the arrival time of each line's first byte. Its buffer is bounded: a line longer
// than maxLineBytes is discarded up to its line ending and counted, so noise can never exhaust memory.
export const MAX_LINE_BYTES = 512;
const ESC = 0x1b;
const BS = 0x08;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const QUESTION = 0x3f;
const YN_PROMPT = Buffer.from('(Y/N)?', 'latin1');
const MENU_PROMPT = Buffer.from('previous menu): ', 'latin1');
export class LineFramer {
    maxLineBytes;
    // The line being assembled, as bytes: appending a byte is a store, not a new string per character.
    line;
    length = 0;
    lineStartedAt = 0;
    discarding = false;
    lastWasCR = false;
    escape = 'none';
    overflowCount = 0;
    constructor(maxLineBytes = MAX_LINE_BYTES) {
        this.maxLineBytes = maxLineBytes;
        this.line = Buffer.alloc(maxLineBytes);
    }
    /** Lines discarded because they exceeded the limit. */
    get overflows() {
        return this.overflowCount;
    }
    /** Feeds a chunk; returns the frames it completed. */
    push(chunk, receivedAt = Date.now()) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
        const frames = [];
        for (let i = 0; i < bytes.length; i++) {
            const byte = bytes[i];
            if (this.escape === 'none' && !this.discarding) {
                const end = this.plainRunEnd(bytes, i);
                if (end > i + 1) {
                    // Most of a sonde line is one plain run: copy it whole instead of byte by byte.
                    if (this.length === 0)
                        this.lineStartedAt = receivedAt;
                    this.line.set(bytes.subarray(i, end), this.length);
                    this.length += end - i;
                    this.lastWasCR = false;
                    i = end - 1;
                    continue;
                }
            }
            const skipLF = this.lastWasCR && byte === LF;
            this.lastWasCR = byte === CR;
            if (skipLF)
                continue; // the LF of a CR LF pair
            if (this.consumeEscape(byte))
                continue;
            if (byte === CR || byte === LF) {
                this.endLine(frames);
                continue;
            }
            if (byte === BS) {
                if (this.length > 0)
                    this.length--;
                continue;
            }
            // Other control bytes (NUL, ENQ, ...) carry nothing a line needs.
            if (byte < 0x20 && byte !== TAB)
                continue;
            if (byte === 0x7f)
                continue;
            this.append(byte, receivedAt);
            // Every prompt ends in a space or a question mark: only then is it worth looking.
            const prompt = byte === SPACE || byte === QUESTION ? this.promptKind() : null;
            if (prompt) {
                frames.push({ kind: 'prompt', prompt, text: this.text().trim(), receivedAt: this.lineStartedAt });
                this.length = 0;
            }
        }
        return frames;
    }
    /**
     * Where a run of printable characters starting at `start` ends, short of anything the byte-by-byte path
     * must see: a control byte, a `?` or a space that may end a prompt (after `#` or `:`), or the line limit.
     */
    plainRunEnd(bytes, start) {
        const limit = Math.min(bytes.length, start + this.maxLineBytes - this.length);
        let previous = this.length > 0 ? this.line[this.length - 1] : 0;
        let end = start;
        for (; end < limit; end++) {
            const b = bytes[end];
            if (b < SPACE || b > 0x7e || b === QUESTION)
                break;
            if (b === SPACE && (previous === HASH || previous === COLON))
                break;
            previous = b;
        }
        return end;
    }
    /** Returns true when the byte belongs to an escape sequence (ESC x, or ESC [ params final). */
    consumeEscape(byte) {
        switch (this.escape) {
            case 'none':
                if (byte !== ESC)
                    return false;
                this.escape = 'esc';
                return true;
            case 'esc':
            case 'csi':
                // A control byte inside a sequence means the sequence was broken (lost bytes): resync on it.
                if (byte < 0x20 || byte > 0x7e) {
                    this.escape = 'none';
                    return byte === ESC ? this.consumeEscape(byte) : false;
                }
                if (this.escape === 'esc')
                    this.escape = byte === 0x5b /* [ */ ? 'csi' : 'none';
                // CSI parameters and intermediates are 0x20-0x3f; a final byte 0x40-0x7e ends the sequence.
                else if (byte >= 0x40)
                    this.escape = 'none';
                return true;
        }
    }
    append(byte, receivedAt) {
        if (this.discarding)
            return;
        if (this.length === 0)
            this.lineStartedAt = receivedAt;
        if (this.length >= this.maxLineBytes) {
            this.length = 0;
            this.discarding = true;
            this.overflowCount++;
            return;
        }
        this.line[this.length++] = byte;
    }
    text() {
        return this.line.toString('latin1', 0, this.length);
    }
    endLine(frames) {
        const text = this.text();
        this.length = 0;
        if (this.discarding) {
            this.discarding = false;
            return;
        }
        const trimmed = text.trim();
        if (trimmed === '')
            return;
        // A bare `#` on its own line is the prompt too (some captures show it so).
        if (trimmed === '#')
            frames.push({ kind: 'prompt', prompt: '#', text: '#', receivedAt: this.lineStartedAt });
        else
            frames.push({ kind: 'line', text: text.trimEnd(), receivedAt: this.lineStartedAt });
    }
    promptKind() {
        if (this.length === 2 && this.line[0] === HASH && this.line[1] === SPACE)
            return '#';
        if (this.endsWith(YN_PROMPT))
            return 'yn';
        if (this.endsWith(MENU_PROMPT))
            return 'menu';
        return null;
    }
    endsWith(tail) {
        const offset = this.length - tail.length;
        if (offset < 0)
            return false;
        for (let i = tail.length - 1; i >= 0; i--)
            if (this.line[offset + i] !== tail[i])
                return false;
        return true;
    }
}
//# sourceMappingURL=framer.js.map