/**
 * Benchmarks against the real test cluster (one cluster, started and always stopped here):
 *   4. idle cost: CPU of a kafkatop process at a 2 s refresh, headless and with the UI in a pty;
 *   1. collector: one refresh's wall time, Kafka requests and bytes received, versus
 *      ConsumerGroupCommand --describe --all-groups on the same data.
 * BENCH_SCALE=small: 20 topics / 50 groups; default 200 topics × 10 partitions / 500 groups.
 * Idle runs first, with the first 100 groups committed (small: all 50); the rest are committed after.
 * BENCH_COLLECTOR=0 stops after the idle cost; BENCH_FROM=dist runs kafkatop from `dist/` (npm run build)
 * as an installed copy runs, instead of through tsx.
 *
 * Idle cost knobs:
 *   BENCH_IDLE_GROUPS=100          groups committed before the idle runs (default min(100, groups));
 *                                  above the scale's groups it raises the total committed groups too
 *   BENCH_IDLE_SECONDS=120         measured seconds per mode, after the warm-up (0 skips idle cost)
 *   BENCH_IDLE_WARMUP_SECONDS=180  seconds before the measurement starts. The first minutes hold V8's JIT
 *                                  warm-up (TurboFan compiles ~500 functions in the first 4 minutes, ~40 a
 *                                  minute after), so the measured figure is the steady state a monitor left
 *                                  open runs at; the same process's CPU over the warm-up is its own column
 *   BENCH_IDLE_MODES=headless,ui   which modes run, in this order (ui first when time is short)
 *   BENCH_IDLE_SAMPLE_SECONDS=30   how often RSS (VmRSS, VmHWM) and CPU ticks are read from /proc
 *   BENCH_IDLE_AB=DIR              side by side: another kafkatop checkout (built: `npm ci && npm run build`
 *                                  in DIR) runs from its dist/ at the same time as this one, against the same
 *                                  cluster, on the Node its node_modules/.bin holds (else the machine's), and
 *                                  gets rows of its own; this checkout then runs from dist/ too
 * From BENCH_IDLE_SECONDS=240 on, each mode also gets a "5. Memory over time" row: RSS at start, middle
 * and end, the peak (VmHWM), RSS growth per minute over the last half (least squares; a leak shows as
 * steady growth), CPU % per minute, and the V8 heap read inside kafkatop by a probe preloaded with
 * --import (heap used after the latest major GC, so garbage does not pass for growth). The model's
 * history fills for the first 15 minutes (450 refreshes at 2 s), so the run also reports growth from
 * then on ("history full", from 880 s measured) when it lasts 2 minutes longer: growth before that is
 * history, growth after it a leak. BENCH_IDLE_SECONDS=1560 gives 11 minutes of full history.
 * The 15-minute-history resident memory target, as one command:
 *   npm run build && BENCH_ONLY=cluster BENCH_FROM=dist BENCH_COLLECTOR=0 BENCH_IDLE_GROUPS=1000 \
 *     BENCH_IDLE_SECONDS=960 BENCH_IDLE_MODES=ui,headless npm run bench
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createKafkaCollector } from '../source/kafka/collector.js';
import { DEFAULT_HISTORY_LENGTH } from '../source/model/index.js';
import { startCluster } from '../test/cluster/cluster.js';
import { kafkaLibsDir } from '../test/cluster/fetch.js';
import { commitGroups, createTopics, PARTITIONS_PER_TOPIC, produceRecords } from './fixture.js';
import { emit, load, log, median, type Row, round } from './report.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));

const small = process.env.BENCH_SCALE === 'small';
const TOPICS = small ? 20 : 200;
const GROUPS = small ? 50 : 500;
const IDLE_GROUPS = Number(process.env.BENCH_IDLE_GROUPS ?? Math.min(100, GROUPS));
const ALL_GROUPS = Math.max(GROUPS, IDLE_GROUPS);
const REPLICATION = Number(process.env.BENCH_REPLICATION ?? 2);
// Below 32768: ports in Linux's ephemeral range can be taken by any outgoing connection.
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 21190);
const COLLECTOR = process.env.BENCH_COLLECTOR !== '0';
const AB_DIR = process.env.BENCH_IDLE_AB;
const FROM_DIST = process.env.BENCH_FROM === 'dist' || AB_DIR !== undefined;
const REFRESHES = 5;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 120);
const IDLE_MODES = (process.env.BENCH_IDLE_MODES ?? 'headless,ui')
  .split(',')
  .map((m) => m.trim())
  .filter((m): m is 'headless' | 'ui' => m === 'headless' || m === 'ui');
const SAMPLE_SECONDS = Number(process.env.BENCH_IDLE_SAMPLE_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_IDLE_WARMUP_SECONDS ?? 180);
// Shorter runs have too few samples for a growth figure to mean anything (BENCH_IDLE_MEMORY=1 forces it).
const MEMORY_ROW = process.env.BENCH_IDLE_MEMORY === '1' || IDLE_SECONDS >= 240;
const TICKS = 100; // USER_HZ on Linux
const MB = 1024 * 1024;

const rows: Row[] = [];
const started = Date.now();
const cluster = await startCluster({ portBase: PORT_BASE, log: (line) => log(`cluster: ${line}`) });
try {
  log(
    `cluster ${cluster.version} up at ${cluster.bootstrap} in ${Date.now() - started} ms; creating ${TOPICS} topics`,
  );
  await createTopics(cluster.bootstrap, TOPICS, REPLICATION);
  await produceRecords(cluster.bootstrap, TOPICS);
  await commitGroups(cluster.bootstrap, TOPICS, 0, IDLE_GROUPS);
  log(`fixture: ${TOPICS} topics × ${PARTITIONS_PER_TOPIC} partitions, ${IDLE_GROUPS} groups committed`);

  if (IDLE_SECONDS > 0) {
    const targets = [thisCheckout(), ...(AB_DIR ? [otherCheckout(AB_DIR)] : [])];
    for (const mode of IDLE_MODES) {
      const each = await Promise.all(targets.map((target) => idleCost(cluster.bootstrap, mode, target)));
      rows.push(...each.flat());
    }
  }

  if (COLLECTOR) {
    if (ALL_GROUPS > IDLE_GROUPS) await commitGroups(cluster.bootstrap, TOPICS, IDLE_GROUPS, ALL_GROUPS);
    log(`fixture: ${ALL_GROUPS} groups committed`);
    rows.push(await collectorRefresh(cluster.bootstrap));
    rows.push(...(await consumerGroupCommand(cluster.bootstrap, cluster.version)));
  }
} finally {
  await cluster.stop();
  log('cluster stopped');
}
emit(rows);

async function collectorRefresh(bootstrap: string): Promise<Row> {
  const collector = createKafkaCollector({ brokers: bootstrap.split(','), refreshTimeoutMs: 60_000 });
  try {
    const cold = await collector.collect();
    const wall: number[] = [];
    const cpu: number[] = [];
    const requests: number[] = [];
    const bytes: number[] = [];
    let last = cold;
    for (let i = 0; i < REFRESHES; i++) {
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      last = await collector.collect();
      wall.push(performance.now() - t);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 1000);
      requests.push(last.stats?.kafkaRequests ?? Number.NaN);
      bytes.push(last.stats?.kafkaBytesIn ?? Number.NaN);
    }
    const benchGroups = last.groups.filter((g) => g.groupId.startsWith('bench-group-'));
    const partitions = last.topics.reduce((n, t) => n + t.partitions.length, 0);
    log(
      `collector: ${last.errors.length} errors${last.errors.length ? `, first: ${JSON.stringify(last.errors[0])}` : ''}`,
    );
    return {
      section: '1. Collector: one full refresh on the test cluster',
      case: `kafkatop collect() (median of 5), ${benchGroups.length} groups / ${partitions.toLocaleString('en-US')} partitions`,
      figures: {
        'wall ms (median)': Math.round(median(wall)),
        'wall ms (cold, first)': cold.durationMs ?? null,
        'kafkatop CPU ms': Math.round(median(cpu)),
        'Kafka requests': median(requests),
        'cold requests': cold.stats?.kafkaRequests ?? null,
        'KB received': round(median(bytes) / 1024),
        'group-partitions': benchGroups.reduce((n, g) => n + g.partitions.length, 0),
        errors: last.errors.length,
        load: load(),
      },
    };
  } finally {
    await collector.close();
  }
}

async function timed(command: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const t = performance.now();
  const { stdout, stderr } = await run(command, args, { maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t;
  const warnings = stderr
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('log4j:WARN') && !l.includes('has no active members'))
    .slice(0, 3);
  if (warnings.length > 0) log(`${args.at(-1)}: stderr: ${warnings.join(' | ')}`);
  return { ms, stdout };
}

/** kafka-consumer-groups.sh as kafka-run-class.sh would run it (its default -Xmx256M), minus the shell scripts. */
async function consumerGroupCommand(bootstrap: string, version: string): Promise<Row[]> {
  const java = [
    '-Xmx256M',
    '-cp',
    `${kafkaLibsDir(version)}/*`,
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  ];
  const describe: number[] = [];
  const start: number[] = [];
  const rowsPerRun: number[] = [];
  const expected = ALL_GROUPS * PARTITIONS_PER_TOPIC;
  // Its default --timeout (5 s) expires on a loaded machine and the run then prints fewer rows: give it
  // 60 s, and count only runs that printed every group-partition.
  for (let i = 0; i < 3; i++) {
    start.push((await timed('java', [...java, '--version'])).ms);
    const out = await timed('java', [
      ...java,
      '--bootstrap-server',
      bootstrap,
      '--describe',
      '--all-groups',
      '--timeout',
      '60000',
    ]);
    const rows = out.stdout.split('\n').filter((l) => /^\s*bench-group-\S+\s+bench\.orders-/.test(l)).length;
    rowsPerRun.push(rows);
    if (rows === expected) describe.push(out.ms);
    log(`ConsumerGroupCommand run ${i + 1}: ${Math.round(out.ms)} ms, ${rows}/${expected} partition rows`);
  }
  const lines = `${describe.length} of 3 complete runs; rows per run ${rowsPerRun.join(', ')}`;
  const section = '1. Collector: one full refresh on the test cluster';
  return [
    {
      section,
      case: `ConsumerGroupCommand --describe --all-groups --timeout 60000 (median of complete runs: ${lines})`,
      figures: { 'wall ms (median)': Math.round(median(describe)), load: load() },
    },
    {
      section,
      case: 'ConsumerGroupCommand --version (JVM start + class loading)',
      figures: { 'wall ms (median)': Math.round(median(start)), load: load() },
    },
    {
      section,
      case: 'ConsumerGroupCommand describe minus --version (without JVM start)',
      figures: { 'wall ms (median)': Math.round(median(describe) - median(start)), load: load() },
    },
  ];
}

function cpuTicks(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

function childPid(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? Number(children.split(' ')[0]) : null;
  } catch {
    return null;
  }
}

/**
 * Preloaded into kafkatop (node --import data:…) for memory rows: every sample period it appends the V8
 * heap to BENCH_HEAP_FILE. `live` is heapUsed right after the latest major GC, the closest cheap figure
 * to the live heap without forcing collections that would move the CPU and RSS being measured; each
 * major GC counts once, at its own time (`liveAt`), in the growth figure.
 */
function heapProbe(): string {
  const code = `import { appendFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
const file = process.env.BENCH_HEAP_FILE;
let live = null;
let liveAt = null;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
    live = process.memoryUsage().heapUsed;
    liveAt = Date.now();
  }
}).observe({ entryTypes: ['gc'] });
setInterval(() => {
  const m = process.memoryUsage();
  appendFileSync(file, JSON.stringify({ t: Date.now(), heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, live, liveAt }) + '\\n');
}, ${SAMPLE_SECONDS * 1000}).unref();`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

interface HeapSample {
  t: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  live: number | null;
  liveAt: number | null;
}

function readHeap(file: string): HeapSample[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as HeapSample);
  } catch {
    return [];
  }
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/** A slope needs two points: fewer major GCs than that in the window give none. */
function slopeText(slopeMb: number): string {
  return Number.isNaN(slopeMb) ? '-' : String(slopeMb);
}

function nodeVersion(target: Target): string {
  return execFileSync(target.argv[0]!, ['--version'], { encoding: 'utf8' }).trim();
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A kafkatop to measure: how to start it, and what its rows are called. */
interface Target {
  readonly label: string;
  readonly argv: readonly string[];
  readonly cwd: string;
}

function thisCheckout(): Target {
  // --expose-gc as the bin's shebang and `npm start` pass it (source/run/heap.ts).
  const entry = [
    '--expose-gc',
    ...(FROM_DIST ? ['dist/cli/cli.js'] : ['--import', 'tsx', 'source/cli/cli.tsx']),
  ];
  return { label: FROM_DIST ? 'dist/' : 'tsx', argv: [process.execPath, ...entry], cwd: repo };
}

/** Another checkout's dist/, on its own pinned Node if it has one, else the machine's: today's or an older layout. */
function otherCheckout(dir: string): Target {
  const pinned = join(dir, 'node_modules', '.bin', 'node');
  const entry = ['dist/cli/cli.js', 'dist/cli.js'].find((e) => existsSync(join(dir, e)));
  if (!entry) throw new Error(`BENCH_IDLE_AB=${dir}: no dist/ there (npm ci && npm run build in it first)`);
  return { label: `${dir} dist/`, argv: [existsSync(pinned) ? pinned : machineNode(), entry], cwd: dir };
}

/** The first `node` on PATH outside this checkout (npm scripts put our node_modules/.bin first). */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const node = join(dir, 'node');
    if (dir && !dir.startsWith(join(repo, 'node_modules')) && existsSync(node)) return node;
  }
  return 'node';
}

interface Sample {
  s: number;
  ticks: number;
  rssMb: number;
  hwmMb: number;
}

/**
 * kafkatop at --interval 2s for IDLE_SECONDS after WARMUP_SECONDS (tsx compiling, JIT, connections):
 * headless (`--headless --record /dev/null`, so it also serialises each snapshot), or the full UI in a
 * 120×40 pty made by script(1). RSS and CPU ticks are sampled from /proc every SAMPLE_SECONDS.
 */
async function idleCost(bootstrap: string, mode: 'headless' | 'ui', target: Target): Promise<Row[]> {
  const heapFile = join(tmpdir(), `kafkatop-bench-heap-${process.pid}-${mode}-${target.cwd.length}.ndjson`);
  rmSync(heapFile, { force: true });
  const kafkatop = [
    target.argv[0]!,
    ...(MEMORY_ROW ? ['--import', heapProbe()] : []),
    ...target.argv.slice(1),
    '--brokers',
    bootstrap,
    '--interval',
    '2s',
    '--timeout',
    '30s',
  ];
  const env = { ...process.env, BENCH_HEAP_FILE: heapFile };
  const child =
    mode === 'headless'
      ? spawn(kafkatop[0]!, [...kafkatop.slice(1), '--headless', '--record', '/dev/null'], {
          cwd: target.cwd,
          stdio: ['ignore', 'ignore', 'pipe'],
          env,
        })
      : spawn(
          'script',
          ['-qfec', `stty cols 120 rows 40; exec ${kafkatop.map(quote).join(' ')}`, '/dev/null'],
          {
            cwd: target.cwd,
            stdio: ['pipe', 'ignore', 'ignore'],
            env: { ...env, TERM: 'xterm-256color', CI: '0' },
          },
        );
  // Headless prints one line per refresh ("refresh N"): the count shows whether the history is full.
  let refreshes = 0;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const m of chunk.matchAll(/ refresh (\d+) /g)) refreshes = Number(m[1]);
  });
  try {
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const pid = mode === 'headless' ? child.pid! : childPid(child.pid!);
    if (pid === null || child.exitCode !== null) throw new Error(`kafkatop (${mode}) is not running`);
    const t0 = performance.now();
    const wall0 = Date.now();
    const samples: Sample[] = [];
    const sample = () => {
      const { rss, hwm } = memoryKb(pid);
      const s = (performance.now() - t0) / 1000;
      const last = samples.at(-1);
      const next = { s, ticks: cpuTicks(pid), rssMb: rss / 1024, hwmMb: hwm / 1024 };
      samples.push(next);
      if (MEMORY_ROW) {
        const cpu = last ? round(((next.ticks - last.ticks) / TICKS / (s - last.s)) * 100, 2) : '-';
        log(
          `${mode} t=${Math.round(s)}s RSS ${round(next.rssMb)} MB peak ${round(next.hwmMb)} MB CPU ${cpu}%` +
            `${mode === 'headless' ? ` refreshes ${refreshes}` : ''} load ${load()}`,
        );
      }
    };
    sample();
    while (samples.at(-1)!.s < IDLE_SECONDS - 0.5) {
      const wait = Math.min(SAMPLE_SECONDS, IDLE_SECONDS - samples.at(-1)!.s);
      await new Promise((r) => setTimeout(r, wait * 1000));
      if (child.exitCode !== null) throw new Error(`kafkatop (${mode}) exited with ${child.exitCode}`);
      sample();
    }
    const first = samples[0]!;
    const end = samples.at(-1)!;
    const seconds = end.s - first.s;
    const caseName = `${mode === 'headless' ? 'headless --record /dev/null' : 'full UI in a 120×40 pty'} (${target.label}, Node ${nodeVersion(target)})`;
    const rows: Row[] = [
      {
        section: `4. Idle cost: kafkatop at --interval 2s, ${IDLE_GROUPS} groups / ${(TOPICS * PARTITIONS_PER_TOPIC).toLocaleString('en-US')} partitions`,
        case: caseName,
        figures: {
          'CPU % of a core': round(((end.ticks - first.ticks) / TICKS / seconds) * 100, 2),
          'warm-up s': WARMUP_SECONDS,
          // The same process from its start (module loading, first connections, the JIT warm-up).
          'CPU % in warm-up': round((first.ticks / TICKS / WARMUP_SECONDS) * 100, 2),
          'measured s': Math.round(seconds),
          'RSS MB': round(end.rssMb),
          load: load(),
        },
      },
    ];
    if (MEMORY_ROW) rows.push(memoryRow(mode, caseName, wall0, samples, readHeap(heapFile), refreshes));
    if (mode === 'ui') process.kill(pid, 'SIGTERM');
    return rows;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(heapFile, { force: true });
  }
}

function memoryRow(
  mode: 'headless' | 'ui',
  caseName: string,
  wall0: number,
  samples: readonly Sample[],
  heap: readonly HeapSample[],
  refreshes: number,
): Row {
  const end = samples.at(-1)!;
  const half = end.s / 2;
  const mid = samples.reduce((a, b) => (Math.abs(b.s - half) < Math.abs(a.s - half) ? b : a));
  // CPU per whole minute, from the samples nearest each minute mark.
  const perMinute: number[] = [];
  for (let m = 60; m <= end.s + 0.5; m += 60) {
    const at = (t: number) => samples.reduce((a, b) => (Math.abs(b.s - t) < Math.abs(a.s - t) ? b : a));
    const a = at(m - 60);
    const b = at(m);
    if (b.s > a.s) perMinute.push(((b.ticks - a.ticks) / TICKS / (b.s - a.s)) * 100);
  }
  /** MB per minute from measured second `from` on: RSS, heap used, and heap after each major GC. */
  const growth = (from: number) => {
    const sinceWall = wall0 + from * 1000;
    const majors = new Map<number, number>();
    for (const h of heap)
      if (h.live !== null && h.liveAt !== null && h.liveAt >= sinceWall) majors.set(h.liveAt, h.live);
    const minutes = (t: number) => (t - wall0) / 60_000;
    return {
      rss: round(slope(samples.filter((x) => x.s >= from).map((x) => [x.s / 60, x.rssMb] as const)), 2),
      heap: round(
        slope(heap.filter((h) => h.t >= sinceWall).map((h) => [minutes(h.t), h.heapUsed / MB] as const)),
        2,
      ),
      live: round(slope([...majors].map(([at, live]) => [minutes(at), live / MB] as const)), 2),
      majors: majors.size,
    };
  };
  const lastHalf = growth(half);
  // The model keeps DEFAULT_HISTORY_LENGTH refreshes (15 min at 2 s), filled from kafkatop's start,
  // WARMUP_SECONDS before the measurement: until then growth is the history filling, after it a leak.
  const fullAt = DEFAULT_HISTORY_LENGTH * 2 - WARMUP_SECONDS;
  const full = end.s - fullAt >= 120 ? growth(fullAt) : null;
  log(`${mode} CPU % per minute: ${perMinute.map((c) => round(c, 2)).join(' ')}`);
  log(
    `${mode} heap (s: used MB / after latest major GC MB): ${heap.map((h) => `${Math.round((h.t - wall0) / 1000)}: ${round(h.heapUsed / MB)} / ${h.live === null ? '-' : round(h.live / MB)}`).join(', ')}`,
  );
  return {
    section: `5. Memory over time: kafkatop at --interval 2s, ${IDLE_GROUPS} groups, ${Math.round(end.s / 60)} min measured after ${WARMUP_SECONDS} s warm-up`,
    case: caseName,
    figures: {
      'RSS MB start': round(samples[0]!.rssMb),
      'RSS MB middle': round(mid.rssMb),
      'RSS MB end': round(end.rssMb),
      'peak RSS MB (VmHWM)': round(end.hwmMb),
      'RSS MB/min, last half': lastHalf.rss,
      'heap used MB end': heap.length ? round(heap.at(-1)!.heapUsed / MB) : null,
      'heap MB/min, last half': lastHalf.heap,
      'heap after major GC MB/min, last half (GCs)': `${slopeText(lastHalf.live)} (${lastHalf.majors})`,
      'RSS MB/min, history full': full?.rss ?? null,
      'heap after major GC MB/min, history full (GCs)': full
        ? `${slopeText(full.live)} (${full.majors})`
        : null,
      'CPU % per minute min/median/max': perMinute.length
        ? `${round(Math.min(...perMinute), 2)} / ${round(median(perMinute), 2)} / ${round(Math.max(...perMinute), 2)}`
        : null,
      refreshes: mode === 'headless' ? refreshes : null,
      load: load(),
    },
  };
}
