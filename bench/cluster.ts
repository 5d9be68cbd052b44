/**
 * Benchmarks against the real test cluster (one cluster, started and always stopped here):
 *   4. idle cost: CPU of a kafkatop process at a 2 s refresh, headless and with the UI in a pty;
 *   1. collector: one refresh's wall time, Kafka requests and bytes received, versus
 *      ConsumerGroupCommand --describe --all-groups on the same data.
 * BENCH_SCALE=small: 20 topics / 50 groups; default 200 topics × 10 partitions / 500 groups.
 * Idle runs first, with the first 100 groups committed (small: all 50); the rest are committed after.
 * BENCH_COLLECTOR=0 stops after the idle cost; BENCH_FROM=dist runs kafkatop from `dist/` (npm run build)
 * as an installed copy runs, instead of through tsx.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createKafkaCollector } from '../source/kafka/collector.js';
import { startCluster } from '../test/cluster/cluster.js';
import { kafkaLibsDir } from '../test/cluster/fetch.js';
import { commitGroups, createTopics, PARTITIONS_PER_TOPIC, produceRecords } from './fixture.js';
import { emit, load, log, median, type Row, round } from './report.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));

const small = process.env.BENCH_SCALE === 'small';
const TOPICS = small ? 20 : 200;
const GROUPS = small ? 50 : 500;
const IDLE_GROUPS = Math.min(100, GROUPS);
const REPLICATION = Number(process.env.BENCH_REPLICATION ?? 2);
// Below 32768: ports in Linux's ephemeral range can be taken by any outgoing connection.
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 21190);
const COLLECTOR = process.env.BENCH_COLLECTOR !== '0';
const FROM_DIST = process.env.BENCH_FROM === 'dist';
const REFRESHES = 5;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const TICKS = 100; // USER_HZ on Linux

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
    for (const mode of ['headless', 'ui'] as const) rows.push(await idleCost(cluster.bootstrap, mode));
  }

  if (COLLECTOR) {
    await commitGroups(cluster.bootstrap, TOPICS, IDLE_GROUPS, GROUPS);
    log(`fixture: ${GROUPS} groups committed`);
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
  const expected = GROUPS * PARTITIONS_PER_TOPIC;
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

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
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
 * kafkatop at --interval 2s for IDLE_SECONDS after a 20 s warm-up (tsx compiling, JIT, connections):
 * headless (`--headless --record /dev/null`, so it also serialises each snapshot), or the full UI in a
 * 120×40 pty made by script(1).
 */
async function idleCost(bootstrap: string, mode: 'headless' | 'ui'): Promise<Row> {
  const kafkatop = [
    process.execPath,
    ...(FROM_DIST ? ['dist/cli.js'] : ['--import', 'tsx', 'source/cli.tsx']),
    '--brokers',
    bootstrap,
    '--interval',
    '2s',
    '--timeout',
    '30s',
  ];
  const child =
    mode === 'headless'
      ? spawn(kafkatop[0]!, [...kafkatop.slice(1), '--headless', '--record', '/dev/null'], {
          cwd: repo,
          stdio: 'ignore',
        })
      : spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${kafkatop.join(' ')}`, '/dev/null'], {
          cwd: repo,
          stdio: ['pipe', 'ignore', 'ignore'],
          env: { ...process.env, TERM: 'xterm-256color', CI: '0' },
        });
  try {
    await new Promise((r) => setTimeout(r, 20_000));
    const pid = mode === 'headless' ? child.pid! : childPid(child.pid!);
    if (pid === null || child.exitCode !== null) throw new Error(`kafkatop (${mode}) is not running`);
    const ticks0 = cpuTicks(pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const ticks1 = cpuTicks(pid);
    const seconds = (performance.now() - t0) / 1000;
    const rss = rssMb(pid);
    if (mode === 'ui') process.kill(pid, 'SIGTERM');
    return {
      section: `4. Idle cost: kafkatop at --interval 2s, ${IDLE_GROUPS} groups / ${(TOPICS * PARTITIONS_PER_TOPIC).toLocaleString('en-US')} partitions`,
      case: `${mode === 'headless' ? 'headless --record /dev/null' : 'full UI in a 120×40 pty'}${FROM_DIST ? ' (dist/)' : ' (tsx)'}`,
      figures: {
        'CPU % of a core': round(((ticks1 - ticks0) / TICKS / seconds) * 100, 2),
        'measured s': Math.round(seconds),
        'RSS MB': round(rss),
        load: load(),
      },
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
