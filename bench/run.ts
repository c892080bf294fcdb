// `npm run bench` (node dist/bench/run.js [--quick] [--out FILE]): runs every benchmark module listed
// below and writes bench/results/latest.json. Add a module by adding a line to BENCHMARKS.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchResults, Figure } from './figure.js';
import { writeResults } from './figure.js';

const BENCHMARKS: Record<string, () => Promise<{ run: Benchmark }>> = {
  codec: () => import('./codec.js'),
  'agent-queue': () => import('./agent-queue.js'),
  'sink-ingest': () => import('./sink-ingest.js'),
};

export interface RunOptions {
  quick: boolean;
  outFile: string;
  log?: (line: string) => void;
}

export async function runBenchmarks(options: RunOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const figures: Figure[] = [];
  for (const [name, load] of Object.entries(BENCHMARKS)) {
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
  return writeResults(figures, options.outFile);
}

function parseArguments(argv: readonly string[]): RunOptions {
  const outIndex = argv.indexOf('--out');
  const outFile = outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : path.join('bench', 'results', 'latest.json');
  return { quick: argv.includes('--quick'), outFile: path.resolve(outFile), log: (line) => console.log(line) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseArguments(process.argv.slice(2));
  await runBenchmarks(options);
  console.log(`wrote ${path.relative(process.cwd(), options.outFile)}`);
}
