// Refused requests are logged at a bounded rate: a flood of bad requests (a scanner, a gateway with a
// revoked token retrying) must not fill the disk with log lines. The first refusal of a kind (status and
// reason) is logged at once; later ones within the window are counted, and one line at the window's end
// says how many were not logged. /metrics counts every refusal regardless.
import type { Logger } from '../../common/log.js';

export const REFUSAL_LOG_WINDOW_MS = 10_000;

interface Kind {
  /** Refusals not logged since the last line. */
  suppressed: number;
  /** A line was logged in the current window: later refusals are only counted until it ends. */
  timer?: NodeJS.Timeout;
  last: Record<string, unknown>;
}

export class RefusalLog {
  private readonly kinds = new Map<string, Kind>();

  constructor(
    private readonly logger: Logger,
    private readonly windowMs = REFUSAL_LOG_WINDOW_MS,
  ) {}

  refused(fields: { route: string; status: number; error: string; remote?: string }): void {
    const key = `${fields.status} ${fields.error}`;
    let kind = this.kinds.get(key);
    if (!kind) {
      kind = { suppressed: 0, last: fields };
      this.kinds.set(key, kind);
    }
    kind.last = fields;
    if (kind.timer) {
      kind.suppressed++;
      return;
    }
    this.logger.info('request refused', fields);
    this.openWindow(key, kind);
  }

  /** Logs what was suppressed and stops the timers (at shutdown). */
  close(): void {
    for (const kind of this.kinds.values()) {
      clearTimeout(kind.timer);
      this.flush(kind);
    }
    this.kinds.clear();
  }

  private openWindow(key: string, kind: Kind): void {
    kind.timer = setTimeout(() => {
      kind.timer = undefined;
      if (this.flush(kind)) this.openWindow(key, kind);
      else this.kinds.delete(key);
    }, this.windowMs);
    kind.timer.unref();
  }

  /** true when a line was written. */
  private flush(kind: Kind): boolean {
    if (kind.suppressed === 0) return false;
    this.logger.info('requests refused', { ...kind.last, count: kind.suppressed, windowS: this.windowMs / 1000 });
    kind.suppressed = 0;
    return true;
  }
}
