// vitest globalSetup: compile to dist/ once before the tests that spawn the shipped binaries
// (dsp-sink, dsp-agent, dsp-sonde run as compiled JavaScript, as on a gateway).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Whether this vitest runs inside an npm script that has just built dist/ itself (`npm test`: `npm run build
 * && ... && vitest run`): compiling again would cost half a minute of the run for the same output.
 */
function builtByNpmScript(env: NodeJS.ProcessEnv): boolean {
  return /^npm run build &&/.test(env.npm_lifecycle_script ?? '');
}

export default function buildDist(): void {
  if (builtByNpmScript(process.env)) return;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The dashboard page (browser code, its own tsconfig): the sink serves it from dist/.
  execFileSync(process.execPath, [tsc, '-p', 'sink/dashboard/page/tsconfig.json'], { cwd: root, stdio: 'inherit' });
}
