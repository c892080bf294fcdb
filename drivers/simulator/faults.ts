// Fault injection for the simulated sonde: what a noisy cable and a moody sonde do to a data row.

/** Probabilities per data row (0..1), plus how long a silence or an unplug lasts. */
export interface FaultOptions {
  /** A line of random bytes before the row. */
  garbage?: number;
  /** The row is cut short. */
  cut?: number;
  /** One character of the row is lost. */
  drop?: number;
  /** The sonde prints nothing for silenceS seconds (it still answers the keyboard). */
  silence?: number;
  silenceS?: number;
  /** The cable is unplugged for disconnectS seconds (needs a host that can do it). */
  disconnect?: number;
  disconnectS?: number;
}

export class FaultInjector {
  constructor(
    private readonly faults: FaultOptions,
    private readonly random: () => number,
  ) {}

  /** What happens instead of the next row, if anything. */
  instead(): { kind: 'silence'; seconds: number | undefined } | { kind: 'disconnect'; seconds: number } | null {
    if (this.chance(this.faults.silence)) return { kind: 'silence', seconds: this.faults.silenceS };
    if (this.chance(this.faults.disconnect)) return { kind: 'disconnect', seconds: this.faults.disconnectS ?? 1 };
    return null;
  }

  /** A line of random high bytes to print before the row, or null. */
  garbage(): string | null {
    if (!this.chance(this.faults.garbage)) return null;
    const length = 3 + Math.floor(this.random() * 20);
    return Array.from({ length }, () => String.fromCharCode(0x80 + Math.floor(this.random() * 0x7f))).join('');
  }

  /** The row as it goes out: whole, cut short, or missing one character. */
  damage(line: string): { printed: string; damaged: boolean } {
    if (this.chance(this.faults.cut)) {
      return { printed: line.slice(0, Math.max(1, Math.floor(this.random() * (line.length - 1)))), damaged: true };
    }
    if (this.chance(this.faults.drop)) {
      const at = Math.floor(this.random() * line.length);
      return { printed: line.slice(0, at) + line.slice(at + 1), damaged: true };
    }
    return { printed: line, damaged: false };
  }

  private chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.random() < p;
  }
}
