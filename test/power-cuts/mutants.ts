// The power-cut test's teeth: copies of dist/ with one durability step removed, to show that the test fails
// without it. The shipped code has no switch for these; each mutant patches one compiled file of a copy
// (and refuses if the text to patch is no longer there, so a change of the code cannot make it a no-op).
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lab/repo-root.js';

export interface Mutant {
  name: string;
  /** Under dist/. */
  file: string;
  from: string;
  to: string;
}

export const MUTANTS = {
  /** (a) The agent's queue writes its batches without fsync. */
  queueWithoutSync: {
    name: "the agent's queue writes without sync",
    file: 'agent/queue/durable-queue.js',
    from: 'await batch.write({ sync: true });',
    to: 'await batch.write({ sync: false });',
  },
  /** (b) The sink's SQLite does not fsync its commits. */
  sqliteSynchronousOff: {
    name: "the sink's SQLite at synchronous=OFF",
    file: 'sink/store/sqlite-schema.js',
    from: "db.pragma('synchronous = FULL');",
    to: "db.pragma('synchronous = OFF');",
  },
  /** (c) The sequence file replaced (temporary file, fsync, rename) without the fsync of its directory. */
  sequenceFileWithoutDirSync: {
    name: 'the sequence file written without fsync of its directory',
    file: 'agent/queue/sequence-file.js',
    from: "await writeFileAtomic(file, JSON.stringify(mark) + '\\n');",
    to:
      "const fsp = await import('node:fs/promises'); const h = await fsp.open(file + '.tmp', 'w', 0o600);" +
      " await h.writeFile(JSON.stringify(mark) + '\\n'); await h.sync(); await h.close();" +
      " await fsp.rename(file + '.tmp', file);",
  },
} satisfies Record<string, Mutant>;

/** A copy of dist/ with `mutant` applied, beside a link to node_modules. `distDir` is for EndToEndSystem. */
export function mutatedDist(mutant: Mutant): { distDir: string; remove(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'dsp-mutant-'));
  cpSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const distDir = path.join(root, 'dist');
  cpSync(path.join(REPO_ROOT, 'dist'), distDir, { recursive: true });
  const file = path.join(distDir, mutant.file);
  const text = readFileSync(file, 'utf8');
  const count = text.split(mutant.from).length - 1;
  if (count !== 1)
    throw new Error(`mutant "${mutant.name}": expected "${mutant.from}" once in dist/${mutant.file}, found ${count}`);
  writeFileSync(file, text.replace(mutant.from, mutant.to));
  return { distDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
