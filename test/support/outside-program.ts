// A check that needs what a machine with only Node and npm may lack, and no npm package ships: a program
// (systemd-analyze), or root (mounting a tmpfs). Where it is missing, the check says so loudly (a line on
// stderr, and "DID NOT RUN" in the skipped suite's name) instead of passing quietly. .ci/run runs as root and
// installs the programs, so CI does run them.
import { spawnSync } from 'node:child_process';

/** The suite name to use, and whether to skip it: `describe.skipIf(check.skip)(check.name, ...)`. */
export function needsProgram(
  program: string,
  versionArgs: string[],
  suite: string,
  install: string,
): { skip: boolean; name: string } {
  if (spawnSync(program, versionArgs, { stdio: 'ignore' }).status === 0) return { skip: false, name: suite };
  return didNotRun(suite, `${program} is not installed (${install}; .ci/run installs it)`);
}

/** The same for a check that needs root (mounting a file system): run it with `sudo npm test`. */
export function needsRoot(suite: string, what: string): { skip: boolean; name: string } {
  if (process.getuid?.() === 0) return { skip: false, name: suite };
  return didNotRun(suite, `${what} needs root (sudo npm test; .ci/run runs as root)`);
}

function didNotRun(suite: string, reason: string): { skip: true; name: string } {
  const why = `DID NOT RUN: ${reason}`;
  process.stderr.write(`${suite}: ${why}\n`);
  return { skip: true, name: `${suite} [${why}]` };
}
