// systemd/dsp-sink.service: sandboxed enough (exposure <= 2.0) and valid, as systemd itself judges it.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { needsProgram } from '../support/outside-program.js';

const UNIT = fileURLToPath(new URL('../../systemd/dsp-sink.service', import.meta.url));
const analyze = needsProgram('systemd-analyze', ['--version'], 'systemd/dsp-sink.service', 'apt-get install systemd');

describe.skipIf(analyze.skip)(analyze.name, () => {
  it('rates 2.0 or lower in systemd-analyze security --offline', () => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', UNIT], { encoding: 'utf8' });
    const level = Number(/Overall exposure level for dsp-sink\.service: ([\d.]+)/.exec(out)?.[1]);
    expect(level).toBeLessThanOrEqual(2.0);
  });

  it('passes systemd-analyze verify without warnings', () => {
    const result = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe('');
  });
});
