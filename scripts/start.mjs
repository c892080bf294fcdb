// `npm start`: build (tsc is incremental enough to be quick when nothing changed), then run the demo:
// a sink, an agent and a simulated sonde, with readings flowing (scripts/demo.ts, compiled to dist/).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
await import(path.join(root, 'dist', 'scripts', 'demo.js'));
