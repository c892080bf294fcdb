// vitest globalSetup of the power-cut tests: they need root and FUSE. Where either is missing the run fails
// here, saying what to install; it never passes by skipping.
import { buildPowercutFs, powerCutPrerequisites } from '../../lab/powercut-fs/powercut-fs.js';

export default function checkPowerCutPrerequisites(): void {
  const missing = powerCutPrerequisites();
  if (missing) throw new Error(`${missing}. See docs/testing.md, "Power cuts".`);
  buildPowercutFs();
}
