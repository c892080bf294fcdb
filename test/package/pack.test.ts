// The install path of docs/operations.md, as a person follows it: `npm pack` on a build machine gives a
// tarball with the compiled programs (and no tests or test tooling); `npm install --omit=dev TARBALL` in an
// empty directory on the target gives the four commands, each of which runs.
// dist/ is already built by the test run's globalSetup, so the pack runs without its prepack build (running
// tsc here would rewrite dist/ under the other test files); the prepack hook itself is checked below.
// The install skips install scripts: they fetch or compile better-sqlite3's native addon (a board does that
// once, from the network); --help of every command must work without it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lab/repo-root.js';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const dir = mkdtempSync(path.join(tmpdir(), 'dsp-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

describe('npm pack, then npm install --omit=dev of the tarball into an empty directory', () => {
  let tarball = '';

  it('packs the compiled programs, the unit files and the example config, and nothing of the tests', () => {
    expect(pkg.scripts.prepack).toMatch(/npm run build/);
    npm(['pack', '--ignore-scripts', '--pack-destination', dir], REPO_ROOT);
    tarball = path.join(dir, `${pkg.name}-${pkg.version}.tgz`);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const bin of Object.values(pkg.bin)) expect(files).toContain(bin);
    expect(files).toEqual(
      expect.arrayContaining(['systemd/dsp-agent.service', 'systemd/dsp-sink.service', 'agent/config/example.toml']),
    );
    expect(files.filter((f) => /\.test\.|(^|\/)(test|lab|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without dev dependencies, and every command answers --help', () => {
    const target = path.join(dir, 'target');
    mkdirSync(target);
    npm(['install', '--omit=dev', '--prefer-offline', '--ignore-scripts', tarball], target);
    for (const bin of Object.keys(pkg.bin)) {
      const run = spawnSync(path.join(target, 'node_modules', '.bin', bin), ['--help'], { encoding: 'utf8' });
      expect({ bin, status: run.status, stderr: run.stderr }).toEqual({ bin, status: 0, stderr: '' });
      expect(run.stdout).toMatch(/usage/i);
    }
  }, 180_000);
});
