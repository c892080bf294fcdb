// `npm start`: build if needed, then run the demo (sink + agent + simulated sonde).
// The demo itself lives in dist/test/demo once the agent and sink exist; until then this builds and says so.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const demo = path.join(root, 'dist', 'scripts', 'demo.js');
if (existsSync(demo)) {
  await import(demo);
} else {
  console.log('netbeams-dsp built into dist/. The demo (sink + agent + simulated sonde) is not built yet.');
}
