// A small tmpfs for the disk attacks on the agent's store: full (a file fills it) and read-only (a remount;
// chmod does not stop root). Mounting needs root: the tests that use it are skipped, saying DID NOT RUN,
// without it (test/support/outside-program.ts needsRoot), and fail loudly if root cannot mount.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class Tmpfs {
  private constructor(readonly dir: string) {}

  /** Mounts a tmpfs of `sizeMb` on a new directory. Throws (loudly) when the machine does not allow it. */
  static mount(sizeMb: number): Tmpfs {
    if (process.getuid?.() !== 0)
      throw new Error('the disk attacks mount a tmpfs and need root (run the tests as root, e.g. in a container)');
    const dir = mkdtempSync(path.join(tmpdir(), 'agent-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir]);
    return new Tmpfs(dir);
  }

  /** Fills the file system up to the last byte with `fill` (removed by free()). */
  fill(): void {
    const file = path.join(this.dir, 'fill');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // dd stops with ENOSPC: that is the point
    }
    // The last blocks: smaller writes until nothing fits.
    for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          writeFileSync(`${file}-${size}`, Buffer.alloc(size), { flag: 'a' });
        } catch {
          break;
        }
      }
    }
  }

  free(): void {
    for (const f of execFileSync('ls', [this.dir]).toString().split('\n'))
      if (f.startsWith('fill')) rmSync(path.join(this.dir, f), { force: true });
  }

  readOnly(on: boolean): void {
    execFileSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, this.dir]);
  }

  subdir(name: string): string {
    const d = path.join(this.dir, name);
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
