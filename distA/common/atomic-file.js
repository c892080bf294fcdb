// Replacing a small file so that after a power cut it holds either the old or the new content, complete:
// write a temporary file, fsync it, rename it over the old one, fsync the directory.
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
export async function writeFileAtomic(file, content) {
    const tmp = `${file}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
        await handle.writeFile(content);
        await handle.sync();
    }
    finally {
        await handle.close();
    }
    await rename(tmp, file);
    await syncDirectory(path.dirname(file));
}
/**
 * mkdir -p that survives a power cut: a new directory's entry lives in its parent, so each parent of a
 * directory this call created is fsync'd (without it a cut soon after a first start can drop a whole store).
 */
export async function makeDirectoryDurable(dir, mode) {
    const first = await mkdir(dir, { recursive: true, mode });
    if (first === undefined)
        return;
    for (let created = path.resolve(dir);; created = path.dirname(created)) {
        await syncDirectory(path.dirname(created));
        if (created === path.resolve(first))
            return;
    }
}
/** fsync of a directory: its entries (creations, renames, unlinks) survive a power cut. */
export async function syncDirectory(dir) {
    const handle = await open(dir, 'r');
    try {
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
//# sourceMappingURL=atomic-file.js.map