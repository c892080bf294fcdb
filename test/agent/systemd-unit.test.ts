// systemd/dsp-agent.service: sandboxing rated 2.5 or lower by systemd-analyze, and `verify` clean.
// Reported as DID NOT RUN where systemd-analyze is not installed (Debian: apt-get install systemd).

import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { needsProgram } from '../support/outside-program.js';

const UNIT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../systemd/dsp-agent.service');
const analyze = needsProgram('systemd-analyze', ['--version'], 'systemd/dsp-agent.service', 'apt-get install systemd');

describe.skipIf(analyze.skip)(analyze.name, () => {
  it('is rated 2.5 or lower by systemd-analyze security --offline=yes', () => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', UNIT], { encoding: 'utf8' });
    const level = Number(/Overall exposure level for dsp-agent\.service: ([\d.]+)/.exec(out)?.[1]);
    expect(level).toBeLessThanOrEqual(2.5);
  });

  it('passes systemd-analyze verify without a warning', () => {
    const r = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.includes('dsp-agent.service'))).toEqual([]);
    expect(r.status).toBe(0);
  });
});
