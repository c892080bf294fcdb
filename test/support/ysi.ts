// Helpers shared by the sonde driver's tests (kept under test/ so they are not built into dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/ysi/', import.meta.url));

export function readFixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}
