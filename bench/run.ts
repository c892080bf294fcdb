// `npm run bench` (node dist/bench/run.js [--quick] [--only NAME,NAME] [--out FILE] [--docs FILE]): runs every
// benchmark module listed below (or those named by --only), writes bench/results/latest.json and, on a full run, regenerates docs/benchmarks.md.
// Add a module by adding a line to BENCHMARKS.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchResults, Figure } from './figure.js';
import { writeResults } from './figure.js';
import { renderReport } from './report.js';

const BENCHMARKS: Record<string, () => Promise<{ run: Benchmark }>> = {
  codec: () => import('./codec.js'),
  'agent-queue': () => import('./agent-queue.js'),
  'sink-ingest': () => import('./sink-ingest.js'),
  'sink-ingest-pg': () => import('./sink-ingest-pg.js'),
  'agent-backlog': () => import('./agent-backlog.js'),
  'sta-read': () => import('./sta-read.js'),
  'dashboard-series': () => import('./dashboard-series.js'),
  'dashboard-first-plot': () => import('./dashboard-first-plot.js'),
  'link-bytes': () => import('./link-bytes.js'),
  'sink-copy': () => import('./sink-copy.js'),
  backfill: () => import('./backfill.js'),
  'agent-footprint': () => import('./agent-footprint.js'),
  'mqtt-outage': () => import('./mqtt-outage.js'),
};

export interface RunOptions {
  quick: boolean;
  outFile: string;
  /** Where to write the readable report; none for quick runs (their figures mean nothing). */
  docsFile?: string;
  /** Run only these modules (names of BENCHMARKS); all when absent. */
  only?: readonly string[];
  log?: (line: string) => void;
}

export async function runBenchmarks(options: RunOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const figures: Figure[] = [];
  for (const [name, load] of Object.entries(BENCHMARKS)) {
    if (options.only && !options.only.includes(name)) continue;
    log(`bench ${name}${options.quick ? ' (quick)' : ''}`);
    const { run } = await load();
    for (const figure of await run({ quick: options.quick })) {
      figures.push(figure);
      log(
        `  ${figure.name}: ${figure.value} ${figure.unit} vs ${figure.baseline} (${figure.baselineName}) ` +
          `ratio ${figure.ratio}, target ${figure.target}: ${figure.met ? 'met' : 'NOT met'}`,
      );
    }
  }
  const results = writeResults(figures, options.outFile);
  if (options.docsFile) writeFileSync(options.docsFile, renderReport(results));
  return results;
}

function parseArguments(argv: readonly string[]): RunOptions {
  const quick = argv.includes('--quick');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean) : undefined;
  const unknown = only?.filter((name) => !(name in BENCHMARKS)) ?? [];
  if (only?.length === 0 || unknown.length > 0)
    throw new Error(`--only takes benchmark names separated by commas: ${Object.keys(BENCHMARKS).join(', ')}`);
  // A partial run does not replace the full run's results (latest.json holds one whole run).
  const outIndex = argv.indexOf('--out');
  const outFile =
    outIndex >= 0 && argv[outIndex + 1]
      ? argv[outIndex + 1]!
      : path.join('bench', 'results', only ? 'partial.json' : 'latest.json');
  const docsIndex = argv.indexOf('--docs');
  const docsFile =
    docsIndex >= 0 && argv[docsIndex + 1]
      ? argv[docsIndex + 1]!
      : quick || only
        ? undefined
        : path.join('docs', 'benchmarks.md');
  return {
    quick,
    outFile: path.resolve(outFile),
    ...(only ? { only } : {}),
    ...(docsFile ? { docsFile: path.resolve(docsFile) } : {}),
    log: (line) => console.log(line),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseArguments(process.argv.slice(2));
  await runBenchmarks(options);
  console.log(
    `wrote ${[options.outFile, options.docsFile]
      .filter(Boolean)
      .map((f) => path.relative(process.cwd(), f!))
      .join(', ')}`,
  );
}
