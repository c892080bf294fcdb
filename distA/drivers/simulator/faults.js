// Fault injection for the simulated sonde: what a noisy cable and a moody sonde do to a data row.
export class FaultInjector {
    faults;
    random;
    constructor(faults, random) {
        this.faults = faults;
        this.random = random;
    }
    /** What happens instead of the next row, if anything. */
    instead() {
        if (this.chance(this.faults.silence))
            return { kind: 'silence', seconds: this.faults.silenceS };
        if (this.chance(this.faults.disconnect))
            return { kind: 'disconnect', seconds: this.faults.disconnectS ?? 1 };
        return null;
    }
    /** A line of random high bytes to print before the row, or null. */
    garbage() {
        if (!this.chance(this.faults.garbage))
            return null;
        const length = 3 + Math.floor(this.random() * 20);
        return Array.from({ length }, () => String.fromCharCode(0x80 + Math.floor(this.random() * 0x7f))).join('');
    }
    /** The row as it goes out: whole, cut short, or missing one character. */
    damage(line) {
        if (this.chance(this.faults.cut)) {
            return { printed: line.slice(0, Math.max(1, Math.floor(this.random() * (line.length - 1)))), damaged: true };
        }
        if (this.chance(this.faults.drop)) {
            const at = Math.floor(this.random() * line.length);
            return { printed: line.slice(0, at) + line.slice(at + 1), damaged: true };
        }
        return { printed: line, damaged: false };
    }
    chance(p) {
        return p !== undefined && p > 0 && this.random() < p;
    }
}
//# sourceMappingURL=faults.js.map