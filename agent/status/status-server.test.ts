// The status listener over real loopback HTTP: a handler that throws answers 500 {"error":"internal"}
// (no stack, no path, nothing of the input), the error goes to the log, and the listener keeps serving.

import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from '../../common/metrics.js';
import type { AgentStatus } from './agent-status.js';
import { StatusServer } from './status-server.js';

let server: StatusServer | undefined;
afterEach(async () => server?.close());

async function get(path: string): Promise<{ code: number; type: string | undefined; body: string }> {
  const res = await fetch(new URL(path, server!.address));
  return { code: res.status, type: res.headers.get('content-type') ?? undefined, body: await res.text() };
}

describe('StatusServer', () => {
  it('answers 500 {"error":"internal"} when building the status fails, logs it, and keeps serving', async () => {
    let fail = true;
    const errors: unknown[] = [];
    const status = (): AgentStatus => {
      if (fail) throw new Error('secret detail at /var/lib/dsp-agent/settings.json');
      return { gateway: 'gw', health: { ok: true, problems: [] } } as unknown as AgentStatus;
    };
    server = await StatusServer.start('127.0.0.1:0', { registry: new Registry(), status }, (e) => errors.push(e));

    for (const path of ['/status', '/healthz']) {
      const r = await get(path);
      expect(r).toEqual({ code: 500, type: 'application/json', body: '{"error":"internal"}\n' });
    }
    expect(errors).toHaveLength(2);
    expect((await get('/metrics')).code).toBe(200); // the listener is still up

    fail = false;
    const ok = await get('/status');
    expect(ok.code).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ gateway: 'gw' });
  });
});
