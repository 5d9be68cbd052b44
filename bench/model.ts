/**
 * Model benchmark (run with --expose-gc, one process per run): folds 450 synthetic snapshots, a full
 * history (15 min at 2 s), timing each fold; then collects garbage and reads heap and resident memory.
 * Group-partition detail is built on demand (a drill-down reads one group's `partitions`): the fold
 * figures exclude it, and "all partitions built" is the one-off cost of reading every group's.
 */
import { createModel } from '../source/model/model.js';
import { emit, load, log, median, type Row, round } from './report.js';
import { createSyntheticCluster, type SyntheticScale } from './synthetic.js';

const HISTORY = 450;

const CASES: Array<{ name: string; scale: SyntheticScale }> = [
  { name: '1,000 groups × 10 p (200 topics)', scale: { groups: 1000, topics: 200, partitionsPerTopic: 10 } },
  {
    name: '10,000 partitions (1,000 topics, 1,000 groups)',
    scale: { groups: 1000, topics: 1000, partitionsPerTopic: 10 },
  },
];

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

const MB = 1024 * 1024;

function runCase(name: string, scale: SyntheticScale): Row {
  gc();
  const before = process.memoryUsage();
  const synthetic = createSyntheticCluster(scale);
  const model = createModel({ historyLength: HISTORY });
  const foldMs: number[] = [];
  const foldCpuMs: number[] = [];
  const buildMs: number[] = [];
  for (let i = 0; i < HISTORY; i++) {
    const b = performance.now();
    const snapshot = synthetic.next();
    const t = performance.now();
    const cpu = process.cpuUsage();
    model.fold(snapshot);
    const used = process.cpuUsage(cpu);
    foldMs.push(performance.now() - t);
    foldCpuMs.push((used.user + used.system) / 1000);
    buildMs.push(t - b);
    if (i % 100 === 99) log(`model ${name}: ${i + 1}/${HISTORY} folds`);
  }
  gc();
  const after = process.memoryUsage();
  const steady = foldMs.slice(-100);
  // What a drill-down pays on top of a fold: one group's partitions; then every group's, the worst case.
  const groups = model.get().groups;
  let cpu = process.cpuUsage();
  const oneGroup = groups[groups.length - 1]!.partitions.length;
  let used = process.cpuUsage(cpu);
  const oneGroupCpuMs = (used.user + used.system) / 1000;
  cpu = process.cpuUsage();
  let built = 0;
  for (const g of groups) built += g.partitions.length;
  if (built !== synthetic.groupPartitions) throw new Error(`built ${built} group-partitions`);
  used = process.cpuUsage(cpu);
  return {
    section: '2. Model: fold one snapshot, memory after 450 refreshes (15 min at 2 s)',
    case: name,
    figures: {
      partitions: synthetic.partitions,
      'group-partitions': synthetic.groupPartitions,
      'fold ms (median, last 100)': round(median(steady)),
      'fold CPU ms (median, last 100)': round(median(foldCpuMs.slice(-100))),
      [`one group's ${oneGroup} partitions built, CPU ms`]: round(oneGroupCpuMs),
      'all group-partitions built, CPU ms': round((used.user + used.system) / 1000),
      'fold ms (first)': round(foldMs[0]!),
      'fold ms (max)': round(Math.max(...foldMs)),
      'heap MB after gc': round(after.heapUsed / MB),
      'heap+buffers MB for model': round(
        (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB,
      ),
      'heap total MB': round(after.heapTotal / MB),
      'RSS MB': round(after.rss / MB),
      'snapshot build ms': round(median(buildMs)),
      load: load(),
    },
  };
}

const only = process.env.BENCH_MODEL_CASE;
const rows = CASES.filter((_, i) => only === undefined || String(i) === only).map((c) =>
  runCase(c.name, c.scale),
);
emit(rows);
