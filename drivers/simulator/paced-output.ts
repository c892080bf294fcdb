// The simulated sonde's UART: bytes leave at most `bytesPerS` a second (960 at 9600 baud 8N1), as a real
// sonde's uploads do, however fast the cable behind it is. 0 sends at once (tests of long windows).

export class PacedOutput {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busySince = 0;
  private sentSinceBusy = 0;
  private onceDrained: (() => void) | null = null;
  /** Every byte written, for the benches' floor. */
  written = 0;

  constructor(
    private readonly sink: (bytes: Buffer) => void,
    private readonly bytesPerS: number,
    /** Called each time everything written has left. */
    private readonly drained: () => void = () => undefined,
  ) {}

  write(bytes: Buffer): void {
    this.written += bytes.length;
    if (this.bytesPerS <= 0) {
      this.sink(bytes);
      return this.drained();
    }
    if (this.queue.length === 0) {
      this.busySince = Date.now();
      this.sentSinceBusy = 0;
    }
    this.queue.push(bytes);
    if (!this.timer) this.tick();
  }

  /** Calls `then` once everything written so far has left (at once if nothing is waiting). */
  whenDrained(then: () => void): void {
    if (this.queue.length === 0) return then();
    this.onceDrained = then;
  }

  /** Drops what has not left yet. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.onceDrained = null;
  }

  private tick(): void {
    this.timer = null;
    // A byte leaves once its transmission has begun: the first at once (an idle UART starts sending at once).
    let due = Math.floor(((Date.now() - this.busySince) * this.bytesPerS) / 1000) + 1 - this.sentSinceBusy;
    while (due > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const part = head.subarray(0, due);
      this.sink(part);
      due -= part.length;
      this.sentSinceBusy += part.length;
      if (part.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(part.length);
    }
    if (this.queue.length === 0) {
      const then = this.onceDrained;
      this.onceDrained = null;
      this.drained();
      return then?.();
    }
    // Every 20 ms, or sooner when the rest is due sooner (a short packet's end is not held back a whole tick).
    const left = this.queue.reduce((sum, b) => sum + b.length, 0);
    this.timer = setTimeout(() => this.tick(), Math.max(1, Math.min(20, Math.ceil((left * 1000) / this.bytesPerS))));
  }
}
