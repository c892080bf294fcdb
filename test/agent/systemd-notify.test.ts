// The agent under systemd: READY=1 once started, WATCHDOG=1 every WatchdogSec/2, STOPPING=1 on SIGTERM,
// all through the `systemd-notify` binary. A recording stand-in for that binary comes first on PATH.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent, writeAgentConfig } from '../../lab/agent-process.js';
import { pollUntil } from '../../lab/poll.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-notify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dsp-agent and systemd', () => {
  it('notifies readiness, feeds the watchdog and announces its stop', async () => {
    const record = path.join(dir, 'notify.log');
    const bin = path.join(dir, 'bin');
    const fake = path.join(bin, 'systemd-notify');
    mkdirSync(bin);
    writeFileSync(fake, `#!/bin/sh\necho "$NOTIFY_SOCKET $*" >> ${record}\n`);
    chmodSync(fake, 0o755);
    const config = path.join(dir, 'agent.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'data'),
      sinkUrl: 'http://127.0.0.1:1/transportDspMessages',
      gatewayId: 'gw-sd',
      token: 't',
    });

    const agent = await startAgent(config, {
      PATH: `${bin}:${process.env.PATH}`,
      NOTIFY_SOCKET: '/run/systemd/notify',
      WATCHDOG_USEC: '2000000',
    });
    const notified = () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n') : []);
    // WatchdogSec=2 s: a ping every second; wait for two of them.
    await pollUntil(notified, (lines) => lines.filter((l) => l.endsWith(' WATCHDOG=1')).length >= 2, 10_000, 50);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const lines = notified();
    expect(lines[0]).toMatch(/^\/run\/systemd\/notify READY=1 STATUS=running; status on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.filter((l) => l.endsWith(' WATCHDOG=1')).length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toBe('/run/systemd/notify STOPPING=1');
  });
});
