// Helpers shared by the sonde driver's tests (kept under test/ so they are not built into dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/ysi/', import.meta.url));

export function readFixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

/** Resolves when `check` returns true, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
