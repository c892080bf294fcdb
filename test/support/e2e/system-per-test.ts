// For vitest files: each test starts its own end-to-end system; it is torn down after the test, pass or fail.
import { afterEach } from 'vitest';
import { EndToEndSystem, type SystemOptions } from '../../../lab/system.js';

export function systemPerTest(
  defaults: Partial<SystemOptions> = {},
): (o?: Partial<SystemOptions>) => Promise<EndToEndSystem> {
  let current: EndToEndSystem | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (o = {}) => (current = await EndToEndSystem.start({ samplingS: 0.25, ...defaults, ...o }));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
