// deploy/: the load balancer's config and the multi-sink unit, as HAProxy and systemd themselves judge them.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { HAPROXY_CONFIG } from '../../lab/haproxy.js';
import { needsProgram } from '../support/outside-program.js';
import { SinkConfigSchema } from '../../sink/config.js';

/** What the balancer's server timeout leaves beyond the sink's deadline: a COMMIT and the answer's way back. */
const COMMIT_ROOM_S = 10;

const TEMPLATE = fileURLToPath(new URL('../../deploy/systemd/dsp-sink@.service', import.meta.url));
const haproxy = needsProgram('haproxy', ['-v'], 'deploy/haproxy.cfg', 'apt-get install haproxy');
const analyze = needsProgram(
  'systemd-analyze',
  ['--version'],
  'deploy/systemd/dsp-sink@.service',
  'apt-get install systemd',
);

describe('deploy/haproxy.cfg and the sink', () => {
  it("waits for a sink longer than the sink's ingest deadline, with room for the COMMIT", () => {
    // A 504 from the balancer for a container its sink then stores makes the gateway resend it (docs/scale-out.md).
    const seconds = (value: string) => Number(/^(\d+)s$/.exec(value)?.[1]);
    const serverTimeout = /^\s*timeout server (\S+)/m.exec(readFileSync(HAPROXY_CONFIG, 'utf8'))?.[1] ?? '';
    const { ingestDeadlineS } = v.parse(SinkConfigSchema, { db: 'x.db' });
    expect(seconds(serverTimeout)).toBeGreaterThanOrEqual(ingestDeadlineS + COMMIT_ROOM_S);
  });
});

describe.skipIf(haproxy.skip)(haproxy.name, () => {
  it('is a valid HAProxy configuration', () => {
    const result = spawnSync('haproxy', ['-c', '-f', HAPROXY_CONFIG], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toContain('Configuration file is valid');
    expect(result.status).toBe(0);
  });
});

describe.skipIf(analyze.skip)(analyze.name, () => {
  // systemd judges an instance of a template: dsp-sink@8081.service.
  const dir = mkdtempSync(path.join(tmpdir(), 'dsp-unit-'));
  const instance = path.join(dir, 'dsp-sink@8081.service');
  copyFileSync(TEMPLATE, instance);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes systemd-analyze verify without warnings', () => {
    const result = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8' });
    expect(result.stderr.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('rates 2.0 or lower in systemd-analyze security --offline', () => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', instance], { encoding: 'utf8' });
    const level = Number(/Overall exposure level for dsp-sink@8081\.service: ([\d.]+)/.exec(out)?.[1]);
    expect(level).toBeLessThanOrEqual(2.0);
  });
});
