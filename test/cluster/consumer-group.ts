/**
 * Consumer groups of real Java consumers (TestConsumer.java on the cached Kafka client jars), for
 * what kafkajs cannot do: cooperative-sticky and the other Java assignors, static membership, and
 * KIP-848 (`protocol: 'consumer'`, Kafka 4.x). Members are tracked cluster processes, so the
 * reaper and `Cluster.stop()` clean them up too.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ClusterInfo } from './cluster.js';
import { isKafka3, kafkaLibsDir } from './fetch.js';
import { isOurs, markerArg, spawnTracked, stopProcess } from './processes.js';
import { kafkaFor } from './workload.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

export type Assignor = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';
export type GroupProtocol = 'classic' | 'consumer';

export interface ConsumerGroupOptions {
  groupId: string;
  topics: string[];
  /** Number of members; default 1. */
  members?: number;
  /** Classic-protocol assignor; default range. Ignored with `protocol: 'consumer'`. */
  assignor?: Assignor;
  /** 'consumer' is KIP-848 (Kafka 4.x only); default 'classic'. */
  protocol?: GroupProtocol;
  /** Processing time per record per member, to make lag on purpose; default 0. */
  delayMsPerRecord?: number;
  /** Member i gets client id `${clientIdPrefix}-${i}`; default the group id. */
  clientIdPrefix?: string;
  /** Static membership: member i gets group.instance.id `${clientIdPrefix}-${i}`. */
  staticMembers?: boolean;
  maxPollRecords?: number;
}

export interface GroupMember {
  readonly index: number;
  readonly clientId: string;
  readonly pid: number | null;
  readonly running: boolean;
  /** The member's stdout/stderr (ASSIGNED / REVOKED / STOPPED lines, client logs). */
  readonly logFile: string;
}

async function compileTestConsumer(info: ClusterInfo): Promise<string> {
  const classes = join(info.dataDir, 'test-consumer-classes');
  if (existsSync(join(classes, 'TestConsumer.class'))) return classes;
  mkdirSync(classes, { recursive: true });
  await run('javac', [
    '-cp',
    `${kafkaLibsDir(info.version)}/*`,
    '-d',
    classes,
    join(here, 'TestConsumer.java'),
  ]);
  return classes;
}

function countLines(file: string, prefix: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(prefix)).length;
}

export class ConsumerGroup {
  readonly options: Required<Omit<ConsumerGroupOptions, 'maxPollRecords'>> & { maxPollRecords: number };
  private readonly info: ClusterInfo;
  private readonly classes: string;
  private readonly pids: Array<number | null>;

  constructor(info: ClusterInfo, classes: string, options: ConsumerGroupOptions) {
    this.info = info;
    this.classes = classes;
    this.options = {
      members: 1,
      assignor: 'range',
      protocol: 'classic',
      delayMsPerRecord: 0,
      clientIdPrefix: options.groupId,
      staticMembers: false,
      maxPollRecords: 50,
      ...options,
    };
    this.pids = Array.from({ length: this.options.members }, () => null);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get members(): GroupMember[] {
    return this.pids.map((pid, index) => ({
      index,
      clientId: this.clientId(index),
      pid,
      running: pid !== null && isOurs(pid, this.info.dataDir),
      logFile: this.logFile(index),
    }));
  }

  private clientId(index: number): string {
    return `${this.options.clientIdPrefix}-${index}`;
  }

  private logFile(index: number): string {
    return join(this.info.dataDir, `consumer-${this.options.groupId}-${index}.log`);
  }

  private memberIndex(index: number): void {
    if (index < 0 || index >= this.pids.length) throw new Error(`no member ${index} in ${this.groupId}`);
  }

  /** Starts member `index` (if not running) and waits until it has received an assignment. */
  async startMember(index: number, timeoutMs = 60_000): Promise<void> {
    this.memberIndex(index);
    const current = this.pids[index];
    if (current != null && isOurs(current, this.info.dataDir)) return;
    const o = this.options;
    const assignedBefore = countLines(this.logFile(index), 'ASSIGNED');
    const logConfig = isKafka3(this.info.version)
      ? `-Dlog4j.configuration=file:${join(here, 'log4j.properties')}`
      : `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`;
    const args = [
      markerArg(this.info.dataDir),
      '-Xmx64m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      logConfig,
      '-cp',
      `${this.classes}:${kafkaLibsDir(this.info.version)}/*`,
      'TestConsumer',
      ...['--bootstrap', this.info.bootstrap, '--group', o.groupId, '--topics', o.topics.join(',')],
      ...['--client-id', this.clientId(index), '--protocol', o.protocol, '--assignor', o.assignor],
      ...['--delay-ms', String(o.delayMsPerRecord), '--max-poll-records', String(o.maxPollRecords)],
      ...(o.staticMembers ? ['--instance-id', this.clientId(index)] : []),
    ];
    const child = spawnTracked({
      dataDir: this.info.dataDir,
      role: 'consumer',
      name: this.clientId(index),
      command: 'java',
      args,
      logFile: this.logFile(index),
    });
    this.pids[index] = child.pid ?? null;
    const deadline = Date.now() + timeoutMs;
    while (countLines(this.logFile(index), 'ASSIGNED') <= assignedBefore) {
      if (!this.members[index]!.running) {
        throw new Error(
          `consumer ${this.clientId(index)} exited:\n${readFileSync(this.logFile(index), 'utf8').slice(-3000)}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(`consumer ${this.clientId(index)} got no assignment in ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Graceful stop of member `index`: finishes its batch, commits, leaves the group. */
  async stopMember(index: number): Promise<void> {
    this.memberIndex(index);
    const pid = this.pids[index];
    if (pid != null) await stopProcess(pid, this.info.dataDir, 'SIGTERM');
  }

  /** Crash of member `index` (SIGKILL): no commit, no leave; the group notices after the session timeout. */
  async killMember(index: number): Promise<void> {
    this.memberIndex(index);
    const pid = this.pids[index];
    if (pid != null) await stopProcess(pid, this.info.dataDir, 'SIGKILL');
  }

  /**
   * Waits until the group is Stable with exactly the running members (classic protocol; a KIP-848
   * group is not visible to DescribeGroups v2, so this returns at once for it).
   */
  async waitForStable(timeoutMs = 60_000): Promise<void> {
    if (this.options.protocol === 'consumer') return;
    const admin = kafkaFor(this.info.bootstrap, 'kafkatop-test-group-watch').admin();
    await admin.connect();
    try {
      const expected = this.members
        .filter((m) => m.running)
        .map((m) => m.clientId)
        .sort();
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        const group = (await admin.describeGroups([this.groupId]).catch(() => null))?.groups[0];
        const ids = (group?.members ?? []).map((m) => m.clientId).sort();
        last = `${group?.state} [${ids.join(', ')}]`;
        if (group?.state === 'Stable' && ids.join() === expected.join()) return;
        await sleep(200);
      }
      throw new Error(
        `group ${this.groupId} not Stable with [${expected.join(', ')}] after ${timeoutMs} ms: ${last}`,
      );
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * A rolling deploy: each member in turn is stopped gracefully and started again, waiting for the
   * group to settle before the next one.
   */
  async rollingRestart(pauseBetweenMs = 0): Promise<void> {
    for (let i = 0; i < this.pids.length; i++) {
      await this.stopMember(i);
      await this.startMember(i);
      await this.waitForStable();
      if (pauseBetweenMs > 0) await sleep(pauseBetweenMs);
    }
  }

  /** Stops every member gracefully (offsets committed). */
  async stop(): Promise<void> {
    await Promise.all(this.pids.map((_, i) => this.stopMember(i)));
  }
}

/** Starts `members` Java consumers in group `groupId`; resolves once the group is Stable. */
export async function startConsumerGroup(
  info: ClusterInfo,
  options: ConsumerGroupOptions,
): Promise<ConsumerGroup> {
  if (options.protocol === 'consumer' && isKafka3(info.version)) {
    throw new Error('the KIP-848 consumer group protocol needs Kafka 4.x');
  }
  const group = new ConsumerGroup(info, await compileTestConsumer(info), options);
  // Started together: JVM start-up dominates and overlaps well; the group settles afterwards.
  await Promise.all(group.members.map((m) => group.startMember(m.index)));
  await group.waitForStable();
  return group;
}
