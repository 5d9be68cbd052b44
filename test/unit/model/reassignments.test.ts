/**
 * A partition being moved (kafka-reassign-partitions.sh, a decommission, Cruise Control) has more replicas
 * than ISR members until its new replicas catch up: an operation in progress, not a failure.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import { brokerOf, cluster, partitionOf, step, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

const SEC = 1000;
// No broker metrics: the URP alert counts from metadata, as it does when the exporter is unreachable.
const base = step(cluster({ brokers: 3, topics: { orders: 2 } }), SEC, (d) => {
  for (const id of [1, 2, 3]) brokerOf(d, id).metrics = null;
  const p = partitionOf(d, 'orders', 0);
  p.replicas = [1, 2];
  p.isr = [1, 2];
  p.leader = 1;
});

/** orders-0 moving from [1,2] to [3,2], throttled: replica 3 stays out of the ISR. */
function moving(d: ClusterSnapshot): void {
  const p = partitionOf(d, 'orders', 0);
  p.replicas = [3, 2, 1];
  p.isr = [1, 2];
  p.reassignment = { adding: [3], removing: [1] };
}

function moved(d: ClusterSnapshot): void {
  const p = partitionOf(d, 'orders', 0);
  p.replicas = [3, 2];
  p.isr = [2, 3];
  p.leader = 3;
  p.reassignment = null;
}

describe('reassignments', () => {
  it('a moving partition is reassigning, not under-replicated: no URP alert, settled, and an event', () => {
    const during = steps(base, 6, 30 * SEC, moving);
    const { model, events } = foldAll([base, ...during]);
    const p = model.topics.find((t) => t.name === 'orders')!.partitions[0]!;
    expect(p.reassignment).toEqual({ adding: [3], removing: [1] });
    expect(p.underReplicated).toBe(false);
    const topic = model.topics.find((t) => t.name === 'orders')!;
    expect([topic.underReplicatedCount, topic.reassigningCount]).toEqual([0, 1]);
    expect(model.settled).toEqual({ settled: true, reasons: [] });
    expect(model.alerts.find((a) => a.rule.name === 'UnderReplicatedPartitions')!.phase).toBe('inactive');
    expect(ofKind(events, 'reassignment-start')).toMatchObject([
      { topic: 'orders', partition: 0, adding: [3], removing: [1], replicas: [3, 2, 1] },
    ]);
  });

  it('its end is an event, and the removed replica leaving the ISR is no ISR shrink', () => {
    const during = steps(base, 2, 2 * SEC, moving);
    const after = step(during.at(-1)!, 2 * SEC, moved);
    const { model, events } = foldAll([base, ...during, after]);
    expect(ofKind(events, 'reassignment-end')).toMatchObject([
      { topic: 'orders', partition: 0, replicas: [3, 2], isr: [2, 3] },
    ]);
    expect(ofKind(events, 'isr-shrink')).toEqual([]);
    expect(model.topics.find((t) => t.name === 'orders')!.reassigningCount).toBe(0);
  });

  it('a replica missing from the ISR that is not being added is still under-replicated', () => {
    const during = steps(base, 1, 2 * SEC, (d) => {
      moving(d);
      partitionOf(d, 'orders', 0).isr = [2]; // the old replica 1 fell out too
    });
    const { model } = foldAll([base, ...during]);
    expect(model.topics.find((t) => t.name === 'orders')!.partitions[0]!.underReplicated).toBe(true);
    expect(model.settled.settled).toBe(false);
  });
});
