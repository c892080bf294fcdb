// powercut-fs (powercut-fs.c): a FUSE file system that forgets what was not synced, mounted for the
// power-cut tests. This module compiles it with the system's cc against libfuse3 (Debian: fuse3,
// libfuse3-dev), mounts it, and drives its control file: `cut()` drops every unsynced write and directory
// entry, `status()` says what is pending. Model and limits: docs/testing.md, "Power cuts".
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { pollUntil } from '../poll.js';
import { distPath, REPO_ROOT } from '../repo-root.js';
const SOURCE = path.join(REPO_ROOT, 'lab', 'powercut-fs', 'powercut-fs.c');
const BINARY = distPath('lab', 'powercut-fs', 'powercut-fs');
const CONTROL = '.powercut';
const StatusSchema = v.object({
    cuts: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    /** Paths whose content (files) or entries (directories, ending in "/") would be lost by a cut now. */
    pending: v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(100_000)),
    pendingCount: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});
/**
 * What running powercut-fs needs, or why it cannot run here: root (mounting), /dev/fuse, fusermount3,
 * and cc with libfuse3's headers. The message says how to get what is missing; never a silent skip.
 */
export function powerCutPrerequisites() {
    const missing = [];
    if (process.getuid?.() !== 0)
        missing.push('root (mounting: run it with sudo)');
    try {
        accessSync('/dev/fuse', constants.R_OK | constants.W_OK);
    }
    catch {
        missing.push('read and write access to /dev/fuse (a kernel with FUSE; in a container: --device /dev/fuse --cap-add SYS_ADMIN)');
    }
    if (spawnSync('fusermount3', ['--version'], { stdio: 'ignore' }).status !== 0)
        missing.push('fusermount3 (apt-get install fuse3)');
    if (spawnSync('pkg-config', ['--exists', 'fuse3'], { stdio: 'ignore' }).status !== 0)
        missing.push("libfuse3's headers and pkg-config (apt-get install libfuse3-dev pkg-config)");
    if (spawnSync('cc', ['--version'], { stdio: 'ignore' }).status !== 0)
        missing.push('cc (apt-get install gcc)');
    return missing.length ? `power cuts on powercut-fs need ${missing.join('; ')}` : undefined;
}
/** Compiles powercut-fs.c into dist/ unless the binary there is newer than the source. */
export function buildPowercutFs() {
    if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs)
        return BINARY;
    mkdirSync(path.dirname(BINARY), { recursive: true });
    const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'fuse3'], { encoding: 'utf8' }).trim().split(/\s+/);
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', SOURCE, ...flags, '-o', BINARY], { stdio: 'inherit' });
    return BINARY;
}
export class PowercutFs {
    mountpoint;
    child;
    exited;
    constructor(mountpoint, child, exited) {
        this.mountpoint = mountpoint;
        this.child = child;
        this.exited = exited;
    }
    /** Mounts a new, empty powercut-fs at `mountpoint` (created if needed) and waits until it answers. */
    static async mount(mountpoint) {
        const binary = buildPowercutFs();
        mkdirSync(mountpoint, { recursive: true, mode: 0o700 });
        const child = spawn(binary, [mountpoint], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk) => {
            if (stderr.length < 4000)
                stderr += chunk.toString();
        });
        const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
        const fs = new PowercutFs(mountpoint, child, exited);
        try {
            await pollUntil(() => {
                if (child.exitCode !== null)
                    throw new Error(`powercut-fs exited (${child.exitCode}): ${stderr}`);
                return existsSync(path.join(mountpoint, CONTROL));
            }, (mounted) => mounted, 10_000, 20);
        }
        catch (err) {
            child.kill('SIGKILL');
            throw new Error(`powercut-fs did not mount at ${mountpoint}: ${err.message} ${stderr}`, {
                cause: err,
            });
        }
        return fs;
    }
    /** The power cut: every write not fsync'd and every directory change not fsync'd is gone. */
    cut() {
        writeFileSync(path.join(this.mountpoint, CONTROL), 'cut\n');
    }
    /** Makes everything durable (the state of a machine after its installation, before the test). */
    syncAll() {
        writeFileSync(path.join(this.mountpoint, CONTROL), 'sync\n');
    }
    /** What a cut now would drop. */
    status() {
        return v.parse(StatusSchema, JSON.parse(readFileSync(path.join(this.mountpoint, CONTROL), 'utf8')));
    }
    /** Unmounts (SIGTERM: powercut-fs unmounts and exits; a lazy umount if it does not). */
    async unmount() {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill('SIGTERM');
            const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
            await this.exited;
            clearTimeout(timer);
        }
        // A mount left behind by a killed daemon ("Transport endpoint is not connected"); quiet if none.
        spawnSync('umount', ['-l', this.mountpoint], { stdio: 'ignore' });
    }
}
//# sourceMappingURL=powercut-fs.js.map