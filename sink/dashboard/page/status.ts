// ok / late / silent, judged against the gateway's own upload interval. The sink's network overview says it
// when it can; otherwise the page judges from the contacts it has seen (the interval between them).
import type { Gateway, Status } from './types.js';

const seen = new Map<string, { last: number; intervalMs?: number }>();
/** Until two contacts were seen, a gateway is expected at least once a minute. */
const DEFAULT_INTERVAL_MS = 60_000;

export function gatewayStatus(g: Gateway, now: number): Status | undefined {
  if (g.status) return g.status;
  if (g.lastContact === undefined) return undefined;
  const s = seen.get(g.id);
  if (s && g.lastContact > s.last) {
    const step = g.lastContact - s.last;
    s.intervalMs = s.intervalMs === undefined ? step : Math.min(s.intervalMs, step);
    s.last = g.lastContact;
  } else if (!s) seen.set(g.id, { last: g.lastContact });
  const intervalMs =
    g.uploadIntervalS !== undefined ? g.uploadIntervalS * 1000 : (s?.intervalMs ?? DEFAULT_INTERVAL_MS);
  const late = now - g.lastContact;
  // A missed upload or two is late; ten is silence. The 2 s margin absorbs an upload's own duration.
  if (late <= 3 * intervalMs + 2000) return 'ok';
  return late <= 10 * intervalMs + 5000 ? 'late' : 'silent';
}

export const STATUS_TEXT: Record<Status, string> = { ok: 'ok', late: 'late', silent: 'silent' };
