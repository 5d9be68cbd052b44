/**
 * Kafka's own tools (ConsumerGroupCommand, ShareGroupCommand, StreamsGroupCommand, MetadataQuorumCommand)
 * run from the cached jars, and kafkatop's `--once` run as a script runs it, with their tables read back;
 * and a snapshot's groups in the same cells, for tests that compare kafkatop with the tools row by row.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GroupSnapshot, TopicPartitions } from '../../source/snapshot.js';
import { kafkaLibsDir } from './fetch.js';

const run = promisify(execFile);

export const CONSUMER_GROUPS = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
export const SHARE_GROUPS = 'org.apache.kafka.tools.consumer.group.ShareGroupCommand';
export const STREAMS_GROUPS = 'org.apache.kafka.tools.streams.StreamsGroupCommand';

/** One of Kafka's tools, its log off; retried once, as its admin client can time out on a loaded machine. */
export async function tool(version: string, main: string, args: string[]): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const { stdout, stderr } = await run(
      'java',
      ['-Dlog4j2.rootLogger.level=OFF', '-cp', `${kafkaLibsDir(version)}/*`, main, ...args],
      { maxBuffer: 4 * 1024 * 1024, timeout: 90_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    if (stdout.trim() !== '') return stdout;
    last = stderr;
  }
  throw new Error(`${main} printed nothing:\n${last.slice(-2000)}`);
}

/**
 * Rows of a tool's table as objects keyed by its header (columns split on runs of spaces). The last column
 * takes the rest of the row: StreamsGroupCommand's ASSIGNMENTS holds spaces (`ACTIVE: 0:[0,1]; …`).
 */
export function table(stdout: string, groupId: string): Record<string, string>[] {
  const lines = stdout.split('\n').map((l) => l.trim());
  const out: Record<string, string>[] = [];
  let header: string[] | null = null;
  for (const line of lines) {
    // Split as the rows are: `COORDINATOR (ID)` is two headers over `host:port  (id)`.
    if (line.startsWith('GROUP ')) header = line.split(/\s+/);
    else if (header && line.startsWith(`${groupId} `)) {
      const cells = line.split(/\s+/);
      const last = header.length - 1;
      out.push(
        Object.fromEntries(
          header.map((h, i) => [h, i === last ? cells.slice(last).join(' ') : (cells[i] ?? '')]),
        ),
      );
    }
  }
  return out;
}

/** A row as the cells of `columns`; a column the table lacks reads `(no COLUMN)`, so a diff names it. */
export function cells(row: Record<string, string>, columns: readonly string[]): string[] {
  return columns.map((c) => row[c] ?? `(no ${c})`);
}

/** Orders rows of cells as text, so a tool's rows and kafkatop's compare whatever order each printed. */
export function byText(a: readonly string[], b: readonly string[]): number {
  const x = a.join(' ');
  const y = b.join(' ');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Tasks by kind from StreamsGroupCommand's ASSIGNMENTS cell (`ACTIVE: 0:[0,1]; TARGET-ACTIVE: 0:[0,1];`),
 * as `subtopology_partition` ids, sorted; kinds without tasks are absent.
 */
export function streamsTasks(cell: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const kind of cell.matchAll(
    /((?:TARGET-)?(?:ACTIVE|STANDBY|WARMUP)):((?:\s*[^\s:]+:\[[\d,\s]*\];?)*)/g,
  )) {
    const ids: string[] = [];
    for (const t of kind[2]!.matchAll(/([^\s:;]+):\[([\d,\s]*)\]/g)) {
      for (const p of t[2]!.split(',')) if (p.trim() !== '') ids.push(`${t[1]}_${p.trim()}`);
    }
    out[kind[1]!] = ids.sort();
  }
  return out;
}

/**
 * kafkatop `--once` against `bootstrap`, as a script runs it (a child process with a HOME of its own, so no
 * config file of the machine's is read); its stdout. Throws with its stderr when it exits non-zero.
 */
export async function kafkatopOnce(bootstrap: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'kafkatop-once-'));
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'source/cli/cli.tsx', '--brokers', bootstrap, '--once'],
      {
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: '', KAFKATOP_CONFIG: '', KAFKATOP_CLUSTER: '' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 90_000,
      },
    ).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
      throw new Error(`kafkatop --once exited ${error.code}:\n${(error.stderr ?? '').slice(-2000)}`);
    });
    return stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** First words of the headers of the tables `--once` prints in a group's section (once-format.ts). */
const ONCE_HEADERS = new Set(['CONSUMER-ID', 'MEMBER', 'TOPIC']);

/**
 * The tables `--once` prints under `GROUP <groupId>`, keyed by their first header (`CONSUMER-ID`: members,
 * `TOPIC`: partitions, `MEMBER`: streams members), rows keyed by header. Its columns are two spaces apart
 * at least, and a cell may hold one space (`no commit`).
 */
export function onceTables(stdout: string, groupId: string): Map<string, Record<string, string>[]> {
  const tables = new Map<string, Record<string, string>[]>();
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`GROUP ${groupId} `));
  if (start < 0) return tables;
  let header: string[] | null = null;
  let rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const cells = line.trim().split(/\s{2,}/);
    if (ONCE_HEADERS.has(cells[0]!) && cells.length > 1 && /^[A-Z#-]+$/.test(cells[1]!)) {
      header = cells;
      rows = [];
      tables.set(cells[0]!, rows);
    } else if (header) {
      rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
    }
  }
  return tables;
}

/** The rows of `--once`'s table under `GROUP <groupId>` whose header starts with `columns[0]`, sorted as text. */
export function onceRows(stdout: string, groupId: string, columns: readonly string[]): string[][] {
  return (onceTables(stdout, groupId).get(columns[0]!) ?? []).map((r) => cells(r, columns)).sort(byText);
}

/** A tool's table in `columns`, sorted as text. */
export function toolRows(stdout: string, groupId: string, columns: readonly string[]): string[][] {
  return table(stdout, groupId)
    .map((r) => cells(r, columns))
    .sort(byText);
}

/** An assignment as ConsumerGroupCommand prints one: `topic:0,1;other:2`, `-` when empty. */
export function assignmentCell(assignment: readonly TopicPartitions[] | undefined): string {
  return !assignment || assignment.length === 0
    ? '-'
    : assignment.map((t) => `${t.topic}:${t.partitions.join(',')}`).join(';');
}

/** ConsumerGroupCommand `--describe --members --verbose` (4.4): the columns a member is compared on. */
export const CONSUMER_MEMBER_COLUMNS = [
  'CONSUMER-ID',
  'HOST',
  'CLIENT-ID',
  '#PARTITIONS',
  'CURRENT-EPOCH',
  'CURRENT-ASSIGNMENT',
  'TARGET-EPOCH',
  'TARGET-ASSIGNMENT',
];

/** A consumer-protocol group's members from a snapshot, in CONSUMER_MEMBER_COLUMNS. */
export function consumerMemberRows(g: GroupSnapshot): string[][] {
  return g.members
    .map((m) => [
      m.memberId,
      m.host,
      m.clientId,
      String(m.assignment.reduce((n, a) => n + a.partitions.length, 0)),
      String(m.memberEpoch),
      assignmentCell(m.assignment),
      String(g.assignmentEpoch),
      assignmentCell(m.targetAssignment),
    ])
    .sort(byText);
}

/** ShareGroupCommand `--describe`: the share-partitions' columns. */
export const SHARE_PARTITION_COLUMNS = ['TOPIC', 'PARTITION', 'START-OFFSET', 'LAG'];

/** A share group's partitions from a snapshot, in SHARE_PARTITION_COLUMNS. */
export function sharePartitionRows(g: GroupSnapshot): string[][] {
  return g.partitions
    .map((p) => [p.topic, String(p.partition), String(p.startOffset ?? '-'), String(p.lag ?? '-')])
    .sort(byText);
}

/** StreamsGroupCommand `--describe --offsets --verbose`: the columns a partition is compared on. */
export const STREAMS_OFFSET_COLUMNS = [
  'TOPIC',
  'PARTITION',
  'CURRENT-OFFSET',
  'LOG-END-OFFSET',
  'OFFSET-LAG',
];

/** A group's committed offsets from a snapshot, in STREAMS_OFFSET_COLUMNS. */
export function committedRows(g: GroupSnapshot): string[][] {
  return g.partitions
    .map((p) => [
      p.topic,
      String(p.partition),
      String(p.committedOffset ?? '-'),
      String(p.logEndOffset ?? '-'),
      String(p.lag ?? '-'),
    ])
    .sort(byText);
}

const STREAMS_MEMBER_COLUMNS = [
  'MEMBER',
  'MEMBER-EPOCH',
  'PROCESS',
  'CLIENT-ID',
  'TARGET-ASSIGNMENT-EPOCH',
  'TOPOLOGY-EPOCH',
];

/**
 * StreamsGroupCommand `--describe --members --verbose`'s rows: STREAMS_MEMBER_COLUMNS, then the active and
 * target active tasks read from ASSIGNMENTS.
 */
export function streamsMemberToolRows(stdout: string, groupId: string): string[][] {
  return table(stdout, groupId)
    .map((r) => {
      const tasks = streamsTasks(r.ASSIGNMENTS ?? '');
      return [
        ...cells(r, STREAMS_MEMBER_COLUMNS),
        (tasks.ACTIVE ?? []).join(','),
        (tasks['TARGET-ACTIVE'] ?? []).join(','),
      ];
    })
    .sort(byText);
}

/** A streams group's members from a snapshot, as streamsMemberToolRows reads the tool's. */
export function streamsMemberRows(g: GroupSnapshot): string[][] {
  return g.members
    .map((m) => [
      m.memberId,
      String(m.memberEpoch),
      m.processId ?? '-',
      m.clientId,
      String(g.assignmentEpoch),
      String(g.topologyEpoch),
      (m.tasks?.active ?? []).join(','),
      (m.tasks?.targetActive ?? []).join(','),
    ])
    .sort(byText);
}
