// The sink's event stream (/api/stream) read with fetch(): the token goes in the Authorization header, never
// in the URL (EventSource cannot send headers). Reconnects with Last-Event-ID, as EventSource would.
import { authHeaders } from './api.js';
const RECONNECT_MS = 3000;
export function followReadings(gateway, onReading) {
    const abort = new AbortController();
    let lastId;
    const connect = async () => {
        const headers = { Accept: 'text/event-stream', ...authHeaders() };
        if (lastId !== undefined)
            headers['Last-Event-ID'] = lastId;
        const res = await fetch(`/api/stream?gateway=${encodeURIComponent(gateway)}`, { headers, signal: abort.signal });
        if (!res.ok || !res.body)
            throw new Error(`stream: HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
            const { value, done } = await reader.read();
            if (done)
                return;
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
                const event = parseEvent(buffer.slice(0, end));
                buffer = buffer.slice(end + 2);
                if (event.id !== undefined)
                    lastId = event.id;
                if (event.type === 'reading' && event.data !== undefined)
                    onReading(JSON.parse(event.data));
            }
        }
    };
    const loop = async () => {
        while (!abort.signal.aborted) {
            try {
                await connect();
            }
            catch {
                // the sink restarts or the network drops: try again below
            }
            if (abort.signal.aborted)
                return;
            await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
        }
    };
    void loop();
    return () => abort.abort();
}
function parseEvent(block) {
    const event = {};
    for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0)
            continue; // comments (": ping") and blank lines
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event')
            event.type = value;
        else if (field === 'id')
            event.id = value;
        else if (field === 'data')
            event.data = event.data === undefined ? value : `${event.data}\n${value}`;
    }
    return event;
}
