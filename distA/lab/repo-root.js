// The repository's root, found from this file whether it runs as TypeScript (vitest) or compiled under
// dist/ (the chaos runner, the benchmarks): the nearest folder above with a package.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
function findRoot(from) {
    for (let dir = from;; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, 'package.json')))
            return dir;
        if (path.dirname(dir) === dir)
            throw new Error(`no package.json above ${from}`);
    }
}
export const REPO_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
/** A shipped program, compiled: `dist/agent/cli.js` and the like. */
export const distPath = (...parts) => path.join(REPO_ROOT, 'dist', ...parts);
/** The compiled command-line programs (the package's bins). */
export const AGENT_CLI = distPath('agent', 'cli.js');
export const SINK_CLI = distPath('sink', 'cli.js');
export const SONDE_CLI = distPath('drivers', 'cli.js');
//# sourceMappingURL=repo-root.js.map