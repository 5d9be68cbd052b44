/**
 * The Kafka collector against the real test cluster: offsets and lag equal what Kafka's own
 * kafka-consumer-groups (ConsumerGroupCommand --describe --all-groups) prints, groups without commits
 * or members are shown honestly, member assignments are the ones the consumers received, a killed
 * broker is named while everything else is kept, and nothing is ever created.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { AssignerProtocol, type Consumer, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKafkaCollector, type KafkaCollector } from '../../source/kafka/collector.js';
import type { ClusterSnapshot, GroupSnapshot } from '../../source/snapshot.js';
import { isKafka3, kafkaLibsDir } from '../cluster/fetch.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic, kafkaFor } from '../cluster/workload.js';

const run = promisify(execFile);
const cluster = testCluster();
const id = randomUUID().slice(0, 8);
const orders = `collector-${id}-orders`;
const payments = `collector-${id}-payments`;
const stableGroup = `collector-${id}-stable`;
const emptyGroup = `collector-${id}-empty`;
const noCommitGroup = `collector-${id}-nocommit`;
const ourGroups = [stableGroup, emptyGroup, noCommitGroup];

const kafka: Kafka = kafkaFor(cluster.bootstrap, 'collector-test');
let collector: KafkaCollector;
const consumers: Consumer[] = [];

/** Each member's assignment as the consumer itself received it (GROUP_JOIN), by member id. */
const received = new Map<string, Record<string, number[]>>();

async function startConsumer(groupId: string, topics: string[], autoCommit: boolean): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    received.set(payload.memberId, payload.memberAssignment);
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  // Commit after every batch, so "caught up" is visible in the committed offsets at once.
  await consumer.run({ autoCommit, autoCommitThreshold: 1, eachMessage: async () => {} });
  consumers.push(consumer);
  return consumer;
}

async function produce(topic: string, count: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  });
  await producer.disconnect();
}

/** Collects until `ready` holds (the cluster settles asynchronously), returning the last snapshot. */
async function collectUntil(
  ready: (s: ClusterSnapshot) => boolean,
  timeoutMs = 60_000,
): Promise<ClusterSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await collector.collect();
    if (ready(snapshot)) return snapshot;
    if (Date.now() > deadline) {
      const ours = snapshot.groups.filter((g) => g.groupId.includes(id));
      throw new Error(
        `cluster did not settle; groups now: ${JSON.stringify(ours)}; errors: ${JSON.stringify(snapshot.errors)}`,
      );
    }
    await sleep(500);
  }
}

function group(snapshot: ClusterSnapshot, groupId: string): GroupSnapshot | undefined {
  return snapshot.groups.find((g) => g.groupId === groupId);
}

/** Committed on all `partitions` partitions, with no lag left. */
function caughtUp(g: GroupSnapshot | undefined, partitions: number): boolean {
  return (
    g !== undefined &&
    g.partitions.length === partitions &&
    g.partitions.every((p) => p.committedOffset !== null && p.lag === 0)
  );
}

/** Until every broker's own metadata lists broker `id` (brokers learn of a restart one by one). */
async function waitUntilEveryBrokerSees(id: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const address of cluster.bootstrap.split(',')) {
    const admin = kafkaFor(address, 'collector-test-probe').admin();
    // A broker just restarted may not accept connections yet: keep trying until the deadline.
    for (;;) {
      try {
        await admin.connect();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
    try {
      for (;;) {
        const { brokers } = await admin
          .describeCluster()
          .catch(() => ({ brokers: [] as Array<{ nodeId: number }> }));
        if (brokers.some((b) => b.nodeId === id)) break;
        if (Date.now() > deadline) throw new Error(`${address} does not list broker ${id}`);
        await sleep(200);
      }
    } finally {
      await admin.disconnect();
    }
  }
}

interface DescribeRow {
  group: string;
  topic: string;
  partition: number;
  current: number | null;
  logEnd: number | null;
  lag: number | null;
}

/**
 * Kafka's own view: ConsumerGroupCommand --describe --all-groups, rows of the given groups. Retried while
 * a group is missing: on a loaded machine the tool's own admin client sometimes times out.
 */
async function kafkaConsumerGroups(groups: string[]): Promise<DescribeRow[]> {
  let output = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const { stdout, stderr } = await run(
      'java',
      [
        '-Dlog4j2.rootLogger.level=OFF',
        '-Dlog4j.rootLogger=OFF',
        '-cp',
        `${kafkaLibsDir(cluster.version)}/*`,
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        '--bootstrap-server',
        cluster.bootstrap,
        '--describe',
        '--all-groups',
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 90_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const rows = parseDescribe(stdout, groups);
    if (groups.every((g) => rows.some((r) => r.group === g))) return rows;
    output = `${stdout}\n${stderr}`;
  }
  throw new Error(`kafka-consumer-groups did not describe ${groups.join(', ')}:\n${output.slice(-3000)}`);
}

function parseDescribe(stdout: string, groups: string[]): DescribeRow[] {
  const num = (s: string) => (s === '-' ? null : Number(s));
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 6 && groups.includes(cols[0]!) && /^\d+$/.test(cols[2]!))
    .map(([g, topic, partition, current, logEnd, lag]) => ({
      group: g!,
      topic: topic!,
      partition: Number(partition),
      current: num(current!),
      logEnd: num(logEnd!),
      lag: num(lag!),
    }));
}

beforeAll(async () => {
  collector = createKafkaCollector({
    brokers: cluster.bootstrap.split(','),
    clientId: 'kafkatop-collector-test',
  });
  await createTopic(cluster.bootstrap, { topic: orders, partitions: 6 });
  await createTopic(cluster.bootstrap, { topic: payments, partitions: 3 });
  await produce(orders, 600);
  await produce(payments, 90);

  // An empty group: consumed and committed everything, then left; more records arrive after it left.
  const leaving = await startConsumer(emptyGroup, [payments], true);
  // Committed on every partition, not merely assigned: a partition with no commit yet has lag null,
  // which totalLag counts as 0.
  await collectUntil((s) => caughtUp(group(s, emptyGroup), 3));
  await leaving.disconnect();
  consumers.splice(consumers.indexOf(leaving), 1);
  await produce(payments, 30);

  // A group whose member is assigned everything but never commits.
  await startConsumer(noCommitGroup, [payments], false);
  // A stable group of two members sharing the six partitions, caught up.
  await startConsumer(stableGroup, [orders], true);
  await startConsumer(stableGroup, [orders], true);
  await collectUntil((s) => {
    const stable = group(s, stableGroup);
    const noCommit = group(s, noCommitGroup);
    // The left group turns Empty once the coordinator has handled the LeaveGroup, which a loaded broker
    // can answer late (seen once on 4.4.0: still Stable at the first collect).
    return (
      group(s, emptyGroup)?.state === 'Empty' &&
      stable?.state === 'Stable' &&
      stable.members.length === 2 &&
      caughtUp(stable, 6) &&
      noCommit?.state === 'Stable' &&
      noCommit.members.length === 1
    );
  }, 90_000);
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await collector?.close();
});

describe(`Kafka collector (Kafka ${cluster.version})`, () => {
  it('reports the cluster, every broker, and every partition with offsets and configs', async () => {
    const snapshot = await collector.collect();
    expect(snapshot.schemaVersion).toBe(2);
    expect(snapshot.clusterId).toMatch(/.+/);
    // Under KRaft the active controller is the metadata quorum's leader (DescribeQuorum): here the one
    // dedicated controller, which is not a broker and so not in Metadata.
    expect(snapshot.controllerId).toBe(cluster.controller.id);
    expect(snapshot.quorum?.leaderId).toBe(cluster.controller.id);
    expect(snapshot.brokers.map((b) => [b.id, b.port, b.error])).toEqual(
      cluster.brokers.map((b) => [b.id, b.port, null]),
    );
    const topic = snapshot.topics.find((t) => t.name === orders)!;
    expect(topic.internal).toBe(false);
    expect(topic.configs).toMatchObject({ 'min.insync.replicas': '2', 'cleanup.policy': 'delete' });
    expect(topic.configs['retention.ms']).toMatch(/^-?\d+$/);
    expect(topic.configs['retention.bytes']).toMatch(/^-?\d+$/);
    expect(topic.partitions).toHaveLength(6);
    for (const p of topic.partitions) {
      expect(p.replicas).toHaveLength(3);
      expect(p.replicas).toContain(p.leader);
      expect(p.logStartOffset).toBe(0);
    }
    expect(topic.partitions.reduce((sum, p) => sum + (p.logEndOffset ?? 0), 0)).toBe(600);
    expect(snapshot.topics.find((t) => t.name === '__consumer_offsets')?.internal).toBe(true);
    expect(snapshot.errors).toEqual([]);
  });

  it('decodes an unchanged Metadata answer once: consecutive snapshots share the replica lists it decoded', async () => {
    // What the answer says, to tell an unchanged cluster from one another test file changed in between.
    const layout = (s: ClusterSnapshot) =>
      JSON.stringify([
        s.brokers,
        s.topics.map((t) => [t.name, t.partitions.map((p) => [p.leader, p.replicas, p.isr])]),
      ]);
    let compared = 0;
    for (let attempt = 0; attempt < 5 && compared === 0; attempt++) {
      const before = await collector.collect();
      const after = await collector.collect();
      if (layout(before) !== layout(after)) continue;
      const partitions = (s: ClusterSnapshot) => s.topics.flatMap((t) => t.partitions);
      const earlier = partitions(before);
      partitions(after).forEach((p, i) => {
        expect(p.replicas).toBe(earlier[i]!.replicas);
        expect(p.isr).toBe(earlier[i]!.isr);
      });
      compared = earlier.length;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('reads log starts and configs of a topic or partition created between full reads in the next refresh', async () => {
    // A period far longer than the test: every refresh after the first reads only what it has not seen.
    const slow = createKafkaCollector({
      brokers: cluster.bootstrap.split(','),
      clientId: 'kafkatop-collector-slow-test',
      slowlyChangingPeriodMs: 600_000,
    });
    const added = `collector-${id}-added`;
    const until = async (ready: (s: ClusterSnapshot) => boolean) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const snapshot = await slow.collect();
        if (ready(snapshot) || Date.now() > deadline) return snapshot;
        await sleep(250);
      }
    };
    const partitionsOf = (s: ClusterSnapshot) => s.topics.find((t) => t.name === added)?.partitions ?? [];
    // Read by the refresh that first sees them; if that read failed (a leader still learning of a new
    // partition answers with an error, which the refresh reports), by the next one.
    const expectLogStartsRead = async (first: ClusterSnapshot, count: number) => {
      let snapshot = first;
      if (partitionsOf(first).some((p) => p.logStartOffset === null)) {
        expect(first.errors.length, 'a log start missing without an error').toBeGreaterThan(0);
        snapshot = await slow.collect();
      }
      expect(partitionsOf(snapshot).map((p) => p.logStartOffset)).toEqual(Array(count).fill(0));
    };
    try {
      expect((await slow.collect()).errors).toEqual([]);
      await createTopic(cluster.bootstrap, {
        topic: added,
        partitions: 2,
        config: { 'retention.ms': '123456789' },
      });
      await produce(added, 20);
      const created = await until((s) => partitionsOf(s).length === 2);
      expect(created.topics.find((t) => t.name === added)?.configs['retention.ms']).toBe('123456789');
      await expectLogStartsRead(created, 2);

      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createPartitions({ topicPartitions: [{ topic: added, count: 3 }] });
      } finally {
        await admin.disconnect();
      }
      const grown = await until((s) => partitionsOf(s).length === 3 && partitionsOf(s)[2]!.leader >= 0);
      await expectLogStartsRead(grown, 3);
    } finally {
      await slow.close();
    }
  });

  it('matches kafka-consumer-groups --describe: committed offset, log-end offset and lag per partition', async () => {
    const snapshot = await collector.collect();
    const rows = await kafkaConsumerGroups(ourGroups);
    const ours = ourGroups.flatMap((g) =>
      group(snapshot, g)!.partitions.map((p) => ({
        group: g,
        topic: p.topic,
        partition: p.partition,
        current: p.committedOffset,
        logEnd: p.logEndOffset,
        lag: p.lag,
      })),
    );
    const order = (a: DescribeRow, b: DescribeRow) =>
      a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition;
    expect(ours.sort(order)).toEqual(rows.sort(order));
    expect(rows.filter((r) => r.group === stableGroup)).toHaveLength(6);
    expect(rows.filter((r) => r.group === emptyGroup)).toHaveLength(3);
    expect(rows.filter((r) => r.group === noCommitGroup)).toHaveLength(3);
  });

  it('shows a group that never committed as "no commit" (null), not lag 0', async () => {
    const snapshot = await collector.collect();
    const noCommit = group(snapshot, noCommitGroup)!;
    expect(noCommit.partitions).toHaveLength(3);
    for (const p of noCommit.partitions) {
      expect(p.committedOffset).toBeNull();
      expect(p.lag).toBeNull();
      expect(p.logEndOffset).toBeGreaterThan(0);
      expect(p.memberId).toBe(noCommit.members[0]!.memberId);
    }
    expect(noCommit.totalLag).toBe(0);
  });

  it('keeps an empty group with its lag', async () => {
    const empty = group(await collector.collect(), emptyGroup)!;
    expect(empty.state).toBe('Empty');
    expect(empty.members).toEqual([]);
    expect(empty.protocolType).toBe('consumer');
    // It committed all 90 records before it left; the 30 produced after are its lag.
    expect(empty.partitions).toHaveLength(3);
    expect(empty.partitions.every((p) => p.committedOffset !== null && p.memberId === null)).toBe(true);
    expect(empty.partitions.reduce((sum, p) => sum + p.committedOffset!, 0)).toBe(90);
    expect(empty.totalLag).toBe(30);
  });

  it('decodes an unchanged group description once: a stable group is not decoded again', async () => {
    const decode = vi.spyOn(AssignerProtocol.MemberAssignment, 'decode');
    try {
      let unchanged = false;
      for (let attempt = 0; attempt < 5 && !unchanged; attempt++) {
        const before = group(await collector.collect(), stableGroup)!;
        decode.mockClear();
        const after = group(await collector.collect(), stableGroup)!;
        // Another test file's groups may change in between: only a refresh that decoded nothing counts.
        if (decode.mock.calls.length > 0) continue;
        expect(after.members).toEqual(before.members);
        expect(after.members.flatMap((m) => m.assignment)).toHaveLength(2);
        unchanged = true;
      }
      expect(unchanged).toBe(true);
    } finally {
      decode.mockRestore();
    }
  });

  it('decodes the member assignments the running consumers actually received', async () => {
    const stable = group(await collector.collect(), stableGroup)!;
    expect(stable.protocolType).toBe('consumer');
    expect(stable.protocol).toMatch(/.+/);
    expect(stable.members).toHaveLength(2);
    for (const member of stable.members) {
      const own = received.get(member.memberId);
      expect(own, `consumer ${member.memberId} reported an assignment`).toBeDefined();
      expect(Object.fromEntries(member.assignment.map((a) => [a.topic, a.partitions]))).toEqual(
        Object.fromEntries(Object.entries(own!).map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)])),
      );
      expect(member.clientId).toBe('collector-test');
      expect(member.host).toMatch(/127\.0\.0\.1/);
    }
    const assigned = stable.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).sort();
    expect(assigned).toEqual([0, 1, 2, 3, 4, 5]);
    // Every partition row names the member that owns it.
    for (const p of stable.partitions) {
      const owner = stable.members.find((m) => m.assignment.some((a) => a.partitions.includes(p.partition)));
      expect(p.memberId).toBe(owner!.memberId);
    }
  });

  it('sends a bounded number of requests: per broker and per group, never groups × topics', async () => {
    await collector.collect();
    const snapshot = await collector.collect();
    const brokers = snapshot.brokers.length;
    const groups = snapshot.groups.length;
    // Metadata 1 + ListGroups per broker + 3 ListOffsets per leader (earliest, latest, last stable)
    // + DescribeConfigs 1 + DescribeGroups per coordinator + OffsetFetch per group.
    expect(snapshot.stats!.kafkaRequests).toBeLessThanOrEqual(
      1 + brokers + 3 * brokers + 1 + brokers + groups,
    );
    expect(snapshot.stats!.kafkaBytesIn).toBeGreaterThan(0);
  });

  it('wakes no timer between refreshes once its brokers are connected (kafkajs#1556, request timeouts)', async () => {
    // kafkajs 2.2.4 keeps a 1 ms pending-request check and a 100 ms request-timeout check running on every
    // connection forever (about 1,000 and 10 wakeups a second per broker); source/kafka/kafkajs-timer-fix.ts runs
    // them only while requests wait. Counted in a process of its own, where no consumer's timers mix in:
    // every timer callback in the process during a quiet second after two refreshes.
    const collectorUrl = new URL('../../source/kafka/collector.js', import.meta.url).href;
    const script = `
      import { createHook } from 'node:async_hooks';
      const { createKafkaCollector } = await import(${JSON.stringify(collectorUrl)});
      const timers = new Set();
      let ours = false;
      let counting = false;
      let created = 0;
      let wakeups = 0;
      createHook({
        init(id, type) { if (type === 'Timeout' && !ours) { timers.add(id); created++; } },
        before(id) { if (counting && timers.has(id)) wakeups++; },
        destroy(id) { timers.delete(id); },
      }).enable();
      const wait = (ms) => { ours = true; const p = new Promise((r) => setTimeout(r, ms)); ours = false; return p; };
      const collector = createKafkaCollector({ brokers: ${JSON.stringify(cluster.bootstrap.split(','))} });
      const snapshots = [await collector.collect(), await collector.collect()];
      await wait(500);
      counting = true;
      await wait(1000);
      counting = false;
      console.log(JSON.stringify({ created, wakeups, errors: snapshots[1].errors, brokers: snapshots[1].brokers.length }));
      await collector.close();
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      created: number;
      wakeups: number;
      errors: unknown[];
      brokers: number;
    };
    expect(result.errors).toEqual([]);
    expect(result.brokers).toBe(cluster.brokers.length);
    // The hook does see kafkajs's timers: refreshes arm them.
    expect(result.created).toBeGreaterThan(0);
    expect(result.wakeups).toBe(0);
  });

  it('creates nothing, although the brokers auto-create topics for clients that ask', async () => {
    expect(String(cluster.info.brokerConfig['auto.create.topics.enable'])).toBe('true');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const before = (await admin.listTopics()).sort();
      for (let i = 0; i < 3; i++) await collector.collect();
      expect((await admin.listTopics()).sort()).toEqual(before);

      // The control: a careless client asking about a missing topic does create it on this cluster.
      const missing = `collector-${id}-autocreated`;
      const careless = kafka.producer({ allowAutoTopicCreation: true });
      await careless.connect();
      await careless.send({ topic: missing, messages: [{ value: 'x' }] }).catch(() => {});
      await careless.disconnect();
      expect(await admin.listTopics()).toContain(missing);
    } finally {
      await admin.disconnect();
    }
  });

  it.skipIf(isKafka3(cluster.version))(
    'labels a KIP-848 consumer-protocol group and keeps its offsets and lag',
    async () => {
      const kip848 = `collector-${id}-kip848`;
      // The Java console consumer with group.protocol=consumer reads 100 records, commits and leaves.
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          'java',
          [
            '-Dlog4j2.rootLogger.level=OFF',
            '-cp',
            `${kafkaLibsDir(cluster.version)}/*`,
            'org.apache.kafka.tools.consumer.ConsoleConsumer',
            '--bootstrap-server',
            cluster.bootstrap,
            '--topic',
            orders,
            '--group',
            kip848,
            '--consumer-property',
            'group.protocol=consumer',
            '--from-beginning',
            '--max-messages',
            '100',
          ],
          { stdio: 'ignore' },
        );
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        child.on('error', reject);
        child.on('exit', (code) => {
          clearTimeout(timer);
          code === 0 ? resolve() : reject(new Error(`console consumer exited ${code}`));
        });
      });
      const snapshot = await collectUntil((s) => (group(s, kip848)?.partitions.length ?? 0) > 0);
      const g = group(snapshot, kip848)!;
      expect(g.consumerProtocol).toBe(true);
      expect(g.state).not.toBe('Dead');
      expect(g.protocolType).toBe('consumer');
      const rows = await kafkaConsumerGroups([kip848]);
      expect(rows.length).toBeGreaterThan(0);
      const byPartition = new Map(g.partitions.map((p) => [`${p.topic}:${p.partition}`, p]));
      for (const row of rows) {
        const p = byPartition.get(`${row.topic}:${row.partition}`);
        expect(p, `${row.topic}:${row.partition}`).toBeDefined();
        expect([p!.committedOffset, p!.logEndOffset, p!.lag]).toEqual([row.current, row.logEnd, row.lag]);
      }
      expect(g.totalLag).toBe(rows.reduce((sum, r) => sum + (r.lag ?? 0), 0));
    },
  );

  it('names a killed broker and keeps everything else; the first refresh after its restart is whole', async () => {
    const before = await collector.collect();
    expect(before.errors).toEqual([]);
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((k) =>
      vi.spyOn(console, k).mockImplementation(() => {}),
    );
    try {
      await cluster.killBroker(2);
      const during = await collector.collect();
      expect(during.errors.map((e) => e.source)).toContain('broker:2');
      expect(during.errors.some((e) => e.source === 'cluster')).toBe(false);
      expect(during.clusterId).toBe(before.clusterId);
      for (const b of during.brokers.filter((b) => b.id !== 2)) expect(b.error).toBeNull();
      expect(during.topics.map((t) => [t.name, t.partitions.length])).toEqual(
        before.topics.map((t) => [t.name, t.partitions.length]),
      );
      expect(during.groups.map((g) => g.groupId)).toEqual(before.groups.map((g) => g.groupId));
      const ledElsewhere = during.topics
        .flatMap((t) => t.partitions)
        .filter((p) => p.leader === 1 || p.leader === 3);
      expect(ledElsewhere.length).toBeGreaterThan(0);
      expect(ledElsewhere.every((p) => p.logEndOffset !== null)).toBe(true);
      expect(during.durationMs).toBeLessThanOrEqual(10_000 + 500);

      await cluster.restartBroker(2);
      await waitUntilEveryBrokerSees(2);
      const after = await collector.collect();
      expect(after.errors).toEqual([]);
      expect(after.brokers.map((b) => [b.id, b.error])).toEqual(cluster.brokers.map((b) => [b.id, null]));
      expect(after.topics.flatMap((t) => t.partitions).every((p) => p.logEndOffset !== null)).toBe(true);
      expect(after.groups.map((g) => [g.groupId, g.error])).toEqual(
        before.groups.map((g) => [g.groupId, null]),
      );
      // kafkajs logged the connection failures, into the collector's ring and never to the console.
      for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
      expect(collector.log.lines().some((l) => l.level === 'error')).toBe(true);
    } finally {
      for (const spy of consoleSpies) spy.mockRestore();
      if (cluster.pidOf(2) === null) await cluster.restartBroker(2);
    }
  });
});
