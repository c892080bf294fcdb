// saxes (about 7 MiB resident once imported, issue 17) is loaded by the first parser made, not by importing
// the agent or its codec: an agent waiting for its link never parses an answer. A fresh node process each
// time (vitest itself has saxes loaded), running the compiled modules.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distPath } from '../../lab/repo-root.js';

/** Imports the compiled agent and codec, optionally makes a decoder; whether saxes is loaded then. */
function saxesLoadedInFreshNode(makeDecoder: boolean): boolean {
  const script = `
    import { createRequire } from 'node:module';
    const { ContainerDecoder } = await import(process.argv[1]);
    await import(process.argv[2]);
    await import(process.argv[4]);
    if (process.argv[3] === 'decode') new ContainerDecoder();
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/saxes/'));
    console.log(JSON.stringify(loaded));
  `;
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      script,
      distPath('protocol', 'decode.js'),
      distPath('protocol', 'encode.js'),
      makeDecoder ? 'decode' : 'none',
      distPath('agent', 'agent.js'),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as boolean;
}

describe('saxes', () => {
  it('is not loaded by importing the agent, the decoder and the encoder', () => {
    expect(saxesLoadedInFreshNode(false)).toBe(false);
  });

  it('is loaded by the first decoder made (the check above sees it)', () => {
    expect(saxesLoadedInFreshNode(true)).toBe(true);
  });
});
