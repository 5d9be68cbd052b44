/**
 * The log's own health against the real cluster: a transaction held open by a real transactional producer
 * (Kafka's ProducerPerformance) pins the last stable offset, which kafkatop reads as Kafka's own
 * TransactionsCommand shows it (open, not hanging: its coordinator still has the partition), stuck at the
 * bound and not before, and a read_committed consumer at it reads as caught up; a throttled reassignment
 * (ReassignPartitionsCommand) reads as reassigning, not under-replicated, and its end is an event; log dirs
 * and partition sizes as Kafka's admin client and LogDirsCommand read them.
 */

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKafkaCollector, type KafkaCollector } from '../../source/kafka/collector.js';
import { createModel } from '../../source/model/index.js';
import type { ClusterModel, ModelEvent } from '../../source/model/types.js';
import { formatOnce } from '../../source/run/once-format.js';
import type { ClusterSnapshot } from '../../source/snapshot.js';
import {
  javaProgram,
  kafkaTool,
  producerLog,
  startTransactionalProducer,
  type TransactionalProducer,
} from '../cluster/log-health-tools.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic, kafkaFor } from '../cluster/workload.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const cluster = testCluster();
const id = randomUUID().slice(0, 8);
const txnTopic = `lh-${id}-txn`;
const moveTopic = `lh-${id}-move`;
const group = `lh-${id}-rc`;
const transactionalId = `lh-${id}-tx`;
const riskyTopic = `lh-${id}-risky`;
const diskTopic = `lh-${id}-disk`;
const kafka = kafkaFor(cluster.bootstrap, 'log-health-test');

let collector: KafkaCollector;
// A transaction here stays open ~45 s: stuck after 15 s instead of transaction.max.timeout.ms (15 min).
const STUCK_LSO_MS = 15_000;
const model = createModel({ stuckLsoMs: STUCK_LSO_MS });
const events: ModelEvent[] = [];
let producer: TransactionalProducer | undefined;
let consumer: Consumer | undefined;

async function refresh(): Promise<{ snapshot: ClusterSnapshot; view: ClusterModel }> {
  const snapshot = await collector.collect();
  const view = model.fold(snapshot);
  events.push(...view.newEvents);
  return { snapshot, view };
}

/** Refreshes (as kafkatop does, every 500 ms here) until `ready` holds; fails with `why` after `timeoutMs`. */
async function until(
  ready: (s: ClusterSnapshot, m: ClusterModel) => boolean,
  why: () => string,
  timeoutMs = 60_000,
): Promise<{ snapshot: ClusterSnapshot; view: ClusterModel }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await refresh();
    if (ready(last.snapshot, last.view)) return last;
    if (Date.now() > deadline) throw new Error(`timed out: ${why()}`);
    await sleep(500);
  }
}

const partitionOf = (s: ClusterSnapshot, topic: string, partition: number) =>
  s.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partition === partition);

/** Rows of a Kafka tool's tab-separated table, by its header. */
function rows(output: string): Record<string, string>[] {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t').map((c) => c.trim());
  return lines.slice(1).map((l) => {
    const cells = l.split('\t').map((c) => c.trim());
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

beforeAll(async () => {
  collector = createKafkaCollector({
    brokers: cluster.bootstrap.split(','),
    slowlyChangingPeriodMs: 0,
    // As --stuck-lso passes it: the transaction is named by the time the LSO is stuck.
    stuckLsoMs: STUCK_LSO_MS,
  });
  await createTopic(cluster.bootstrap, { topic: txnTopic, partitions: 1 });
});

afterAll(async () => {
  await consumer?.disconnect();
  await producer?.kill();
  await collector?.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [txnTopic, moveTopic, riskyTopic, diskTopic] }).catch(() => {});
  await admin.deleteGroups([group]).catch(() => {});
  await admin.disconnect();
});

describe(`Transactions (Kafka ${cluster.version})`, () => {
  it('an open transaction pins the LSO; a read_committed consumer at it is caught up; it clears when the transaction ends', async () => {
    // 50 records outside any transaction, then one transaction of ~45 s.
    const plain = kafka.producer({ allowAutoTopicCreation: false });
    await plain.connect();
    await plain.send({
      topic: txnTopic,
      acks: -1,
      messages: Array.from({ length: 50 }, (_, i) => ({ value: `v${i}` })),
    });
    await plain.disconnect();
    producer = startTransactionalProducer(cluster.info, {
      topic: txnTopic,
      transactionalId,
      records: 900,
      perSecond: 20,
    });
    // kafkajs consumers read committed by default: it stops at the LSO and commits it.
    consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [txnTopic], fromBeginning: true });
    await consumer.run({ autoCommitThreshold: 1, eachMessage: async () => {} });

    let seen = '';
    // When kafkatop first saw the LSO held below the log end: the stuck bound counts from here.
    let pinnedSinceMs: number | null = null;
    const pinned = await until(
      (s, m) => {
        const p = partitionOf(s, txnTopic, 0);
        const committed = m.groups.find((x) => x.groupId === group)?.partitions[0]?.committedOffset;
        if (pinnedSinceMs === null && p?.lastStableOffset === 50 && (p.logEndOffset ?? 0) > 50) {
          pinnedSinceMs = Date.parse(s.takenAt);
        }
        seen = `LSO ${p?.lastStableOffset} HW ${p?.logEndOffset} committed ${committed}`;
        return p?.lastStableOffset === 50 && (p.logEndOffset ?? 0) > 100 && committed === 50;
      },
      () => `${seen}; producer: ${producerLog(producer!)}`,
    );
    const p = partitionOf(pinned.snapshot, txnTopic, 0)!;
    expect(p.lastStableOffset).toBeLessThan(p.logEndOffset!);
    // Pinned, not yet stuck: nothing fires before the bound.
    expect(Date.parse(pinned.snapshot.takenAt) - pinnedSinceMs!).toBeLessThan(STUCK_LSO_MS);
    expect(pinned.view.topics.find((t) => t.name === txnTopic)!.partitions[0]!.stuckLsoSince).toBeNull();
    expect(events.filter((e) => e.kind === 'lso-stuck' && e.topic === txnTopic)).toEqual([]);
    expect(pinned.view.alerts.find((a) => a.rule.name === 'HangingTransaction')!.phase).toBe('inactive');
    // The bound a real run uses: the brokers' transaction.max.timeout.ms (the test cluster keeps Kafka's 15 min).
    expect(pinned.snapshot.transactionMaxTimeoutMs).toBe(
      Number(cluster.info.brokerConfig['transaction.max.timeout.ms'] ?? 900_000),
    );

    // Kafka's own tool names the same offset: the open transaction's first record.
    const producers = rows(
      await kafkaTool(cluster.info, 'org.apache.kafka.tools.TransactionsCommand', [
        ...[
          '--bootstrap-server',
          cluster.bootstrap,
          'describe-producers',
          '--topic',
          txnTopic,
          '--partition',
          '0',
        ],
      ]),
    );
    const holder = producers.find((r) => r.CurrentTransactionStartOffset === '50')!;
    expect(holder).toBeDefined();

    const g = pinned.view.groups.find((x) => x.groupId === group)!;
    expect(g.totalLag).toBe(p.logEndOffset! - 50);
    expect(g.unreadableLag).toBe(g.totalLag);
    expect(g.status).toBe('OK');
    expect(g.statusReason).toMatch(/caught up to the last stable offset/);
    expect(g.timeLagMs).toBe(0);

    // Held open past the bound: a stuck LSO, with the alert.
    const stuck = await until(
      (_, m) => m.topics.find((t) => t.name === txnTopic)?.partitions[0]?.stuckLsoSince != null,
      () => 'the LSO never read as stuck',
    );
    // Named as kafka-transactions.sh names it: the producer from describe-producers, its transactional id and
    // state from describe.
    const described = rows(
      await kafkaTool(cluster.info, 'org.apache.kafka.tools.TransactionsCommand', [
        ...['--bootstrap-server', cluster.bootstrap, 'describe', '--transactional-id', transactionalId],
      ]),
    )[0]!;
    expect(described.ProducerId).toBe(holder.ProducerId);
    // Its coordinator still has the partition in the transaction: open, not hanging (find-hanging lists nothing).
    expect(described.TopicPartitions).toContain(`${txnTopic}-0`);
    const stuckEvents = events.filter((e) => e.kind === 'lso-stuck' && e.topic === txnTopic);
    expect(stuckEvents).toMatchObject([
      {
        partition: 0,
        lastStableOffset: 50,
        producerId: Number(holder.ProducerId),
        transactionalId,
        hanging: false,
      },
    ]);
    // Fired at the bound, not before it.
    expect(Date.parse(stuckEvents[0]!.at) - pinnedSinceMs!).toBeGreaterThanOrEqual(STUCK_LSO_MS);
    // State from DescribeTransactions, as kafka-transactions.sh describe prints it.
    expect(partitionOf(stuck.snapshot, txnTopic, 0)!.openTransaction).toMatchObject({
      producerId: Number(holder.ProducerId),
      producerEpoch: Number(described.ProducerEpoch),
      startOffset: 50,
      transactionalId,
      state: described.TransactionState,
      hanging: false,
    });
    expect(stuck.view.alerts.find((a) => a.rule.name === 'HangingTransaction')!.phase).toBe('firing');

    // The transaction commits when the producer has sent its records: the LSO catches up with the HW and
    // the consumer reads on.
    const cleared = await until(
      (s) => {
        const q = partitionOf(s, txnTopic, 0);
        return !producer!.running && q !== undefined && q.lastStableOffset === q.logEndOffset;
      },
      () => `producer running ${producer!.running}; ${producerLog(producer!)}`,
      90_000,
    );
    const end = partitionOf(cleared.snapshot, txnTopic, 0)!.logEndOffset!;
    const caughtUp = await until(
      (_, m) => m.groups.find((x) => x.groupId === group)?.partitions[0]?.committedOffset === end,
      () => 'the consumer did not read on past the old LSO',
    );
    expect(caughtUp.view.groups.find((x) => x.groupId === group)!.unreadableLag).toBe(0);
    expect(events.filter((e) => e.kind === 'lso-released' && e.topic === txnTopic)).toHaveLength(1);
    expect(cleared.view.alerts.find((a) => a.rule.name === 'HangingTransaction')!.phase).toBe('inactive');
    expect(
      events.filter((e) => e.kind === 'alert-resolved' && e.alert === 'HangingTransaction'),
    ).toHaveLength(1);
  });
});

describe(`Reassignments (Kafka ${cluster.version})`, () => {
  it('a throttled reassignment is reassigning with its adding/removing replicas, not URP, and its end is an event', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic: moveTopic,
            replicaAssignment: [
              { partition: 0, replicas: [1, 2] },
              { partition: 1, replicas: [2, 3] },
            ],
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    const writer = kafka.producer({ allowAutoTopicCreation: false });
    await writer.connect();
    const value = 'x'.repeat(1000);
    for (let i = 0; i < 4; i++) {
      await writer.send({
        topic: moveTopic,
        acks: -1,
        messages: Array.from({ length: 500 }, (_, k) => ({ partition: k % 2, value })),
      });
    }
    await writer.disconnect();
    await until(
      (s) => partitionOf(s, moveTopic, 1)?.isr.length === 2,
      () => 'the topic did not come up',
    );

    const plan = join(cluster.info.dataDir, `${moveTopic}.json`);
    writeFileSync(
      plan,
      JSON.stringify({
        version: 1,
        partitions: [
          { topic: moveTopic, partition: 0, replicas: [3, 2] },
          { topic: moveTopic, partition: 1, replicas: [2, 1] },
        ],
      }),
    );
    const reassign = (...args: string[]) =>
      kafkaTool(cluster.info, 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand', [
        ...['--bootstrap-server', cluster.bootstrap, ...args],
      ]);
    // 1 B/s: the new replicas cannot catch up while the test looks.
    await reassign('--execute', '--reassignment-json-file', plan, '--throttle', '1');
    try {
      const moving = await until(
        (s) =>
          partitionOf(s, moveTopic, 0)?.reassignment != null &&
          partitionOf(s, moveTopic, 1)?.reassignment != null,
        () => 'no reassignment seen',
      );
      expect(partitionOf(moving.snapshot, moveTopic, 0)!.reassignment).toEqual({
        adding: [3],
        removing: [1],
      });
      expect(partitionOf(moving.snapshot, moveTopic, 1)!.reassignment).toEqual({
        adding: [1],
        removing: [3],
      });
      // As Kafka's own tool lists them.
      const listed = await reassign('--list');
      expect(listed).toContain(`${moveTopic}-0: replicas: 3,2,1. adding: 3. removing: 1.`);
      expect(listed).toContain(`${moveTopic}-1: replicas: 2,1,3. adding: 1. removing: 3.`);

      const topic = moving.view.topics.find((t) => t.name === moveTopic)!;
      expect(partitionOf(moving.snapshot, moveTopic, 0)!.isr).not.toContain(3);
      expect([topic.underReplicatedCount, topic.reassigningCount]).toEqual([0, 2]);
      // Nothing but the move is going on: settled, the move does not block it.
      let why: readonly string[] = [];
      const calm = await until(
        (s, m) => {
          why = m.settled.reasons;
          return m.settled.settled || partitionOf(s, moveTopic, 0)?.reassignment == null;
        },
        () => `not settled: ${why.join('; ')}`,
        30_000,
      );
      expect(partitionOf(calm.snapshot, moveTopic, 0)!.reassignment).not.toBeNull();
      expect(calm.view.settled).toEqual({ settled: true, reasons: [] });
      expect(events.filter((e) => e.kind === 'reassignment-start' && e.topic === moveTopic)).toHaveLength(2);
      // Progress from the new replicas' sizes: at 1 B/s they hold (next to) nothing of the leader's log.
      const copying = await until(
        (s) => partitionOf(s, moveTopic, 0)?.reassignment?.copiedBytes != null,
        () => 'no progress read',
      );
      const p0 = partitionOf(copying.snapshot, moveTopic, 0)!;
      expect(p0.sizeBytes).toBeGreaterThan(500_000);
      expect(p0.reassignment!.copiedBytes).toBeLessThan(p0.sizeBytes! / 2);
    } finally {
      // Cancelling ends it and removes the throttles it set: the cluster is as it was.
      await reassign('--cancel', '--reassignment-json-file', plan);
    }
    await until(
      (s) =>
        partitionOf(s, moveTopic, 0)?.reassignment === null &&
        partitionOf(s, moveTopic, 1)?.reassignment === null,
      () => 'the reassignment did not end',
    );
    expect(events.filter((e) => e.kind === 'reassignment-end' && e.topic === moveTopic)).toHaveLength(2);
  });
});

describe(`Disk (Kafka ${cluster.version})`, () => {
  it("log dirs as Kafka's admin client reads them, usable bytes as df, partition sizes as LogDirsCommand", async () => {
    // Partitions of different sizes, written (acks=all) before the first read, then left alone: sizes hold still.
    await createTopic(cluster.bootstrap, { topic: diskTopic, partitions: 3 });
    const writer = kafka.producer({ allowAutoTopicCreation: false });
    await writer.connect();
    await writer.send({
      topic: diskTopic,
      acks: -1,
      messages: [0, 1, 2].flatMap((partition) =>
        Array.from({ length: (partition + 1) * 100 }, () => ({ partition, value: 'x'.repeat(200) })),
      ),
    });
    await writer.disconnect();
    const { snapshot } = await until(
      (s) =>
        s.brokers.every((b) => (b.logDirs?.length ?? 0) > 0) &&
        [0, 1, 2].every((n) => (partitionOf(s, diskTopic, n)?.sizeBytes ?? 0) > 0),
      () => 'no log dirs or sizes read',
    );
    const ids = snapshot.brokers.map((b) => b.id);
    const theirs = (
      await javaProgram(cluster.info, 'LogDirsCheck.java', [cluster.bootstrap, ...ids.map(String)])
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const ours = snapshot.brokers.flatMap((b) => b.logDirs!.map((d) => ({ broker: b.id, ...d })));
    expect(ours.map((d) => [d.broker, d.path]).sort()).toEqual(theirs.map(([b, p]) => [Number(b), p]).sort());
    for (const d of ours) {
      const [, , total, usable, cordoned] = theirs.find(([b, p]) => Number(b) === d.broker && p === d.path)!;
      expect(d.totalBytes).toBe(Number(total));
      // Usable space moves between two reads (other writers share the disk): within 1%.
      expect(Math.abs(d.usableBytes! - Number(usable))).toBeLessThan(Number(usable) * 0.01);
      // Kafka's client says whether it is cordoned from 4.3 (DescribeLogDirs v5); 3.9's cannot tell ("-").
      expect(cordoned).toBe(cluster.version.startsWith('3.') ? '-' : String(d.cordoned));
      expect([d.cordoned, d.error]).toEqual([false, null]);
      // df's "available" is the same statvfs figure Kafka reports as usable.
      const { stdout } = await promisify(execFile)('df', ['-B1', '--output=size,avail', d.path]);
      const [size, avail] = stdout.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
      expect(d.totalBytes).toBe(size);
      expect(Math.abs(d.usableBytes! - avail!)).toBeLessThan(avail! * 0.01);
    }

    const described = JSON.parse(
      (
        await kafkaTool(cluster.info, 'org.apache.kafka.tools.LogDirsCommand', [
          ...['--bootstrap-server', cluster.bootstrap, '--describe', '--topic-list', diskTopic],
        ])
      )
        .split('\n')
        .find((l) => l.startsWith('{'))!,
    ) as { brokers: { broker: number; logDirs: { partitions: { partition: string; size: number }[] }[] }[] };
    // Every partition, on its leader (sizeBytes is the leader's).
    const sizes = [0, 1, 2].map((n) => {
      const p = partitionOf(snapshot, diskTopic, n)!;
      const onLeader = described.brokers
        .find((b) => b.broker === p.leader)!
        .logDirs.flatMap((d) => d.partitions)
        .find((x) => x.partition === `${diskTopic}-${n}`)!;
      return [p.sizeBytes, onLeader.size];
    });
    expect(sizes.map(([ours]) => ours)).toEqual(sizes.map(([, theirs]) => theirs));
    expect(new Set(sizes.map(([ours]) => ours)).size).toBe(3);
  });
});

describe(`Config insights (Kafka ${cluster.version})`, () => {
  it('a topic created with RF 2 and min.insync.replicas=2 is flagged, in the model and by --once', async () => {
    await createTopic(cluster.bootstrap, {
      topic: riskyTopic,
      partitions: 2,
      replicationFactor: 2,
      minInsyncReplicas: 2,
    });
    const { snapshot, view } = await until(
      (s) => s.topics.find((t) => t.name === riskyTopic)?.configs['min.insync.replicas'] === '2',
      () => 'the topic or its configs were not read',
    );
    const risky = view.topics.find((t) => t.name === riskyTopic)!;
    expect(risky.configInsights.map((i) => i.kind)).toEqual([
      'replication-below-3',
      'min-isr-blocks-on-loss',
    ]);
    expect(formatOnce(snapshot)).toContain(
      `topic ${riskyTopic}: min.insync.replicas 2 ≥ replication factor 2: any broker down blocks acks=all writes`,
    );
    // The test cluster's own topics (RF 3, min.insync.replicas 2) are not flagged.
    expect(view.topics.find((t) => t.name === txnTopic)!.configInsights).toEqual([]);
  });
});
