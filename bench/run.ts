/**
 * `npm run bench`: kafkatop's benchmarks (figures, not pass/fail), each section in its own Node process.
 *
 *   BENCH_ONLY=model,ui,cluster   sections to run (default all; cluster also measures idle cost)
 *   BENCH_SCALE=small             cluster section at 20 topics / 50 groups instead of 200 / 500
 *   BENCH_PORT_BASE=21190         test cluster port base (KAFKA_VERSION picks the Kafka version)
 *   BENCH_COLLECTOR=0             cluster section: idle cost only
 *   BENCH_FROM=dist               idle cost of kafkatop run from dist/ (npm run build first)
 *   BENCH_IDLE_SECONDS=120        idle-cost measurement length, after a 180 s warm-up (0 skips it)
 *   BENCH_UI_GROUPS=10,100,1000   UI scales
 *   BENCH_UI_REACT=development,production   React builds the UI section runs with (NODE_ENV)
 *
 * The machine may be shared: every row carries the 1/5/15-minute load average when it was taken.
 */
import { cpus, totalmem } from 'node:os';
import { formatTables, load, log, type Row, runSection } from './report.js';

const only = new Set((process.env.BENCH_ONLY ?? 'model,ui,cluster').split(',').map((s) => s.trim()));
const rows: Row[] = [];
const started = Date.now();

const machine = [
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB`,
  `Node ${process.version}, ${process.platform}`,
  `load average at start: ${load()}`,
];

const sections: Array<{ name: string; run: () => Promise<Row[]> }> = [
  { name: 'model', run: () => runSection('model.ts', ['--expose-gc']) },
  // React's development build (what `npm start` / tsx runs today) and its production build.
  ...(process.env.BENCH_UI_REACT ?? 'development,production').split(',').map((react) => ({
    name: 'ui',
    run: () => runSection('ui.tsx', ['--expose-gc'], { FORCE_COLOR: '3', CI: '0', NODE_ENV: react.trim() }),
  })),
  { name: 'cluster', run: () => runSection('cluster.ts') },
];

for (const section of sections.filter((s) => only.has(s.name))) {
  log(`section ${section.name} (load ${load()})`);
  try {
    rows.push(...(await section.run()));
  } catch (error) {
    log(`section ${section.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

process.stdout.write(
  [
    '# kafkatop benchmark',
    '',
    ...machine.map((m) => `- ${m}`),
    `- load average at end: ${load()}; total ${Math.round((Date.now() - started) / 1000)} s`,
    '',
    formatTables(rows.sort((a, b) => a.section.localeCompare(b.section))),
  ].join('\n'),
);
