// A check that needs a program which a machine with only Node and npm lacks, and which no npm package ships
// (systemd-analyze): where it is missing, the check says so loudly (a line on stderr, and "DID NOT RUN" in
// the skipped suite's name) instead of passing quietly. .ci/run installs the program so CI does run it.
import { spawnSync } from 'node:child_process';

/** The suite name to use, and whether to skip it: `describe.skipIf(check.skip)(check.name, ...)`. */
export function needsProgram(
  program: string,
  versionArgs: string[],
  suite: string,
  install: string,
): { skip: boolean; name: string } {
  if (spawnSync(program, versionArgs, { stdio: 'ignore' }).status === 0) return { skip: false, name: suite };
  const why = `DID NOT RUN: ${program} is not installed (${install}; .ci/run installs it)`;
  process.stderr.write(`${suite}: ${why}\n`);
  return { skip: true, name: `${suite} [${why}]` };
}
