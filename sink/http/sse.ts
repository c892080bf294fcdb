// GET /api/stream?gateway=: server-sent events, one `reading` event per stored reading.
import type { ServerResponse } from 'node:http';
import type { LiveReadings } from '../live.js';
import type { StoredReading } from '../store/store.js';
import { HttpError } from './errors.js';

const HEARTBEAT_MS = 15_000;
/** A client this far behind is dropped rather than buffered without bound; EventSource reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function openEventStream(
  res: ServerResponse,
  live: LiveReadings,
  gateway: string | undefined,
  maxClients: number,
): void {
  if (live.subscribers >= maxClients) {
    throw new HttpError(503, 'too_many_streams', 'too many event-stream clients', { 'Retry-After': '30' });
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no', // reverse proxies must not hold events back
  });
  res.write('retry: 5000\n: connected\n\n');

  const send = (reading: StoredReading): void => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(`id: ${reading.id}\nevent: reading\ndata: ${JSON.stringify(reading)}\n\n`);
  };
  const unsubscribe = live.subscribe(gateway, send);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
