import { describe, expect, it } from 'vitest';
import {
  brokersOverReplicaCeiling,
  configInsightText,
  replicationFactorOf,
  topicConfigInsights,
} from '../../../source/model/config-insights.js';
import { createModel } from '../../../source/model/index.js';
import { formatOnce } from '../../../source/run/once-format.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import { cluster, partitionOf, step, topicOf } from '../../fixtures/snapshots/builders.js';

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

function createAndFold(snaps: readonly ClusterSnapshot[]) {
  const model = createModel({});
  return snaps.map((s) => model.fold(s));
}
