import { describe, expect, it } from 'vitest';
import {
  brokersOverReplicaCeiling,
  configInsightText,
  replicationFactorOf,
  topicConfigInsights,
  unevenAssignments,
  unevenAssignmentText,
} from '../../../source/model/config-insights.js';
import { createModel } from '../../../source/model/index.js';
import { formatOnce } from '../../../source/run/once-format.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import { cluster, groupOf, partitionOf, step, topicOf } from '../../fixtures/snapshots/builders.js';

const kinds = (configs: Record<string, string>, rf: number | null) =>
  topicConfigInsights(configs, rf).map((i) => i.kind);

describe('config insights', () => {
  it('replication factor below 3', () => {
    expect(kinds({ 'min.insync.replicas': '1' }, 2)).toEqual(['replication-below-3']);
    expect(kinds({ 'min.insync.replicas': '2' }, 3)).toEqual([]);
  });

  it('min.insync.replicas at or above the replication factor: any broker loss blocks acks=all', () => {
    // The test topic: RF 2, min.insync.replicas 2.
    expect(kinds({ 'min.insync.replicas': '2' }, 2)).toEqual([
      'replication-below-3',
      'min-isr-blocks-on-loss',
    ]);
    expect(kinds({ 'min.insync.replicas': '3' }, 3)).toEqual(['min-isr-blocks-on-loss']);
  });

  it('min.insync.replicas 1 with RF 3 or more', () => {
    expect(kinds({ 'min.insync.replicas': '1' }, 3)).toEqual(['min-isr-one']);
    expect(kinds({ 'min.insync.replicas': '1' }, 1)).toEqual([
      'replication-below-3',
      'min-isr-blocks-on-loss',
    ]);
  });

  it('unclean leader election enabled', () => {
    expect(kinds({ 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'true' }, 3)).toEqual([
      'unclean-leader-election',
    ]);
    expect(kinds({ 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' }, 3)).toEqual([]);
  });

  it('the replication factor leaves out replicas being added by a reassignment', () => {
    expect(replicationFactorOf([{ replicas: [3, 2, 1], reassignment: { adding: [3], removing: [1] } }])).toBe(
      2,
    );
    expect(replicationFactorOf([{ replicas: [1, 2, 3] }, { replicas: [1, 2] }])).toBe(2);
    expect(replicationFactorOf([])).toBeNull();
  });

  it('more than 4,000 partition replicas on a broker', () => {
    const topics = [
      { partitions: Array.from({ length: 4001 }, (_, i) => ({ replicas: i < 4000 ? [1, 2] : [1] })) },
    ];
    expect([...brokersOverReplicaCeiling(topics)]).toEqual([[1, 4001]]);
  });

  it('in the model (kept while nothing changes) and in --once', () => {
    const s0 = cluster({
      brokers: 3,
      topics: { risky: 2, fine: 1 },
      configs: { risky: { 'min.insync.replicas': '2' } },
    });
    const s1 = step(s0, 2000, (d) => {
      for (const p of topicOf(d, 'risky').partitions) p.replicas = p.replicas.slice(0, 2);
      partitionOf(d, 'risky', 0).isr = partitionOf(d, 'risky', 0).replicas;
      partitionOf(d, 'risky', 1).isr = partitionOf(d, 'risky', 1).replicas;
    });
    const s2 = step(s1, 2000);
    const m = createAndFold([s0, s1, s2]);
    const risky = m.at(-1)!.topics.find((t) => t.name === 'risky')!;
    expect(risky.configInsights.map((i) => i.kind)).toEqual([
      'replication-below-3',
      'min-isr-blocks-on-loss',
    ]);
    expect(m.at(-2)!.topics.find((t) => t.name === 'risky')!.configInsights).toBe(risky.configInsights);
    expect(m.at(-1)!.topics.find((t) => t.name === 'fine')!.configInsights).toEqual([]);
    const text = formatOnce(s2);
    expect(text).toContain(`INSIGHTS\n  topic risky: ${configInsightText(risky.configInsights[0]!)}`);
    expect(text).toContain(
      'topic risky: min.insync.replicas 2 ≥ replication factor 2: any broker down blocks acks=all writes',
    );
    expect(text).not.toContain('topic fine');
  });
});

/** Members holding these many partitions of each topic (partition numbers do not matter here). */
const holding = (...counts: Record<string, number>[]) =>
  counts.map((byTopic) => ({
    assignment: Object.entries(byTopic).map(([topic, n]) => ({
      topic,
      partitions: Array.from({ length: n }, (_, i) => i),
    })),
  }));
const texts = (protocolType: string, state: string, assignor: string, members: ReturnType<typeof holding>) =>
  unevenAssignments(protocolType, state, assignor, members).map((u) => unevenAssignmentText(u));

describe('uneven assignment', () => {
  it('range divides each topic on its own: a topic of 10 over 3 members is uneven however the rest divides', () => {
    const members = holding({ orders: 4, audit: 2 }, { orders: 3, audit: 2 }, { orders: 3, audit: 2 });
    expect(texts('consumer', 'Stable', 'range', members)).toEqual([
      'orders: 10 partitions over 3 members: 1 member gets one more (skew 4-3 = 1)',
    ]);
    const [orders] = unevenAssignments('consumer', 'Stable', 'range', members);
    expect(orders).toEqual({
      topic: 'orders',
      topics: ['orders'],
      partitions: 10,
      members: 3,
      max: 4,
      min: 3,
    });
    // In the topic's own view the topic is not named again.
    expect(unevenAssignmentText(orders!, false)).toBe(
      '10 partitions over 3 members: 1 member gets one more (skew 4-3 = 1)',
    );
  });

  it('sticky, cooperative-sticky, roundrobin and uniform spread all partitions together', () => {
    // 10 + 2 = 12 over 3: even in total, which is what these assignors balance.
    const even = holding({ orders: 4 }, { orders: 4 }, { orders: 2, audit: 2 });
    for (const assignor of ['sticky', 'cooperative-sticky', 'roundrobin', 'uniform'])
      expect(texts('consumer', 'Stable', assignor, even)).toEqual([]);
    // The same partitions divided per topic by range are uneven (orders 4, 4, 2).
    expect(texts('consumer', 'Stable', 'range', even)).toEqual([
      'orders: 10 partitions over 3 members: 1 member gets one more (skew 4-2 = 2)',
      'audit: 2 partitions over 3 members: 2 members get one more (skew 2-0 = 2)',
    ]);
    const uneven = holding({ orders: 4 }, { orders: 3, audit: 1 }, { orders: 3 });
    expect(texts('consumer', 'Stable', 'cooperative-sticky', uneven)).toEqual([
      '11 partitions of 2 topics over 3 members: 2 members get one more (skew 4-3 = 1)',
    ]);
    expect(unevenAssignments('consumer', 'Stable', 'uniform', uneven)[0]!.topics).toEqual([
      'orders',
      'audit',
    ]);
  });

  it('a divisible count assigned unevenly is uneven too, with the real skew', () => {
    expect(texts('consumer', 'Stable', 'sticky', holding({ t: 3 }, { t: 2 }, { t: 1 }))).toEqual([
      '6 partitions over 3 members divide evenly, but are assigned unevenly (skew 3-1 = 2)',
    ]);
  });

  it('only Stable classic and consumer-protocol groups: share groups share partitions, streams assign tasks', () => {
    const members = holding({ orders: 4 }, { orders: 3 }, { orders: 3 });
    expect(texts('consumer', 'Stable', 'uniform', members)).toHaveLength(1);
    expect(texts('share', 'Stable', 'simple', members)).toEqual([]);
    expect(texts('streams', 'Stable', 'sticky', members)).toEqual([]);
    expect(texts('consumer', 'PreparingRebalance', 'range', members)).toEqual([]);
    expect(texts('consumer', 'Reconciling', 'uniform', members)).toEqual([]);
    expect(texts('consumer', 'Stable', 'range', [])).toEqual([]);
  });

  it('in the model and in --once', () => {
    const s0 = cluster({ topics: { orders: 10 }, groups: { app: { topic: 'orders', members: 3 } } });
    const g = createAndFold([s0]).at(-1)!.groups[0]!;
    expect(g.insights.unevenAssignments.map((u) => unevenAssignmentText(u))).toEqual([
      'orders: 10 partitions over 3 members: 1 member gets one more (skew 4-3 = 1)',
    ]);
    expect(formatOnce(s0)).toContain(
      'INSIGHTS\n  group app: uneven assignment: orders: 10 partitions over 3 members: 1 member gets one more (skew 4-3 = 1)',
    );
    const even = cluster({ topics: { orders: 9 }, groups: { app: { topic: 'orders', members: 3 } } });
    expect(formatOnce(even)).not.toContain('uneven');
    groupOf(s0, 'app').state = 'CompletingRebalance';
    expect(formatOnce(s0)).not.toContain('uneven');
  });
});

function createAndFold(snaps: readonly ClusterSnapshot[]) {
  const model = createModel({});
  return snaps.map((s) => model.fold(s));
}
