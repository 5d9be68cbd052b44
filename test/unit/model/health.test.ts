import { describe, expect, it } from 'vitest';
import { HEALTH_EXIT_CODE, health } from '../../../source/model/health.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import { brokerOf, cluster, groupOf, partitionOf, step } from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

const SEC = 1000;
const s0 = cluster({ brokers: 3, topics: { orders: 3 }, groups: { app: { topic: 'orders', members: 1 } } });
/** `n` refreshes 2 s apart, each with `mutate` applied. */
const watch = (n: number, mutate: (d: ClusterSnapshot) => void) => {
  const out = [s0];
  for (let i = 0; i < n; i++) out.push(step(out[out.length - 1]!, 2 * SEC, mutate));
  return foldAll(out).model;
};
const lagging = (d: ClusterSnapshot) => {
  partitionOf(d, 'orders', 0).logEndOffset = 200_000;
  groupOf(d, 'app').partitions[0]!.committedOffset = 0;
};

describe('health (kafkatop check)', () => {
  it('OK on a healthy cluster: exit 0', () => {
    const h = health(
      watch(4, () => {}),
      8 * SEC,
      false,
    );
    expect(h).toEqual({ status: 'ok', problems: [] });
    expect(HEALTH_EXIT_CODE[h.status]).toBe(0);
  });

  it('warning for a lag alert still pending (its 5 m `for` cannot elapse in a short check): exit 1', () => {
    const h = health(watch(4, lagging), 8 * SEC, false);
    expect(h.status).toBe('warning');
    expect(h.problems).toEqual([
      {
        severity: 'warning',
        text: 'ConsumerGroupLagHigh app: 200000 > 100000 (Group total lag above 100k messages for 5 minutes)',
      },
    ]);
    expect(HEALTH_EXIT_CODE[h.status]).toBe(1);
  });

  it('with --for covering the rule, a pending alert is not yet a problem', () => {
    const model = watch(4, lagging);
    // The rule's 5 m `for` is not covered by 8 s watched: still counted.
    expect(health(model, 8 * SEC, true).status).toBe('warning');
    // Covered (a check that watched 5 m), the alert must have fired: here it only pends.
    expect(health(model, 5 * 60 * SEC, true).status).toBe('ok');
  });

  it('critical for a partition under min ISR or a down broker, critical first: exit 2', () => {
    const model = watch(2, (d) => {
      lagging(d);
      partitionOf(d, 'orders', 1).isr = [2];
      d.brokers = d.brokers.filter((b) => b.id !== 3);
    });
    const h = health(model, 4 * SEC, false);
    expect(h.status).toBe('critical');
    expect(h.problems.map((p) => [p.severity, p.text.split(':')[0]])).toEqual([
      ['critical', 'broker 3 down'],
      ['critical', 'UnderMinIsrPartitions cluster'],
      ['warning', 'ConsumerGroupLagHigh app'],
    ]);
    expect(HEALTH_EXIT_CODE[h.status]).toBe(2);
  });

  it('unknown when the cluster cannot be reached: exit 3', () => {
    const down = step(s0, 2 * SEC, (d) => {
      d.brokers = [];
      d.topics = [];
      d.groups = [];
      d.errors = [{ source: 'cluster', message: 'connect ECONNREFUSED' }];
    });
    const h = health(foldAll([down]).model, 0, false);
    expect(h).toEqual({
      status: 'unknown',
      problems: [{ severity: 'critical', text: 'cannot reach the cluster: connect ECONNREFUSED' }],
    });
    expect(HEALTH_EXIT_CODE[h.status]).toBe(3);
    // Reachable once, then not: still unknown, not the last good data's verdict.
    expect(health(foldAll([s0, down]).model, 2 * SEC, false).status).toBe('unknown');
  });

  it('a broker whose metrics endpoint failed is not down', () => {
    const model = watch(1, (d) => {
      brokerOf(d, 2).error = 'metrics: timeout';
      d.errors = [{ source: 'metrics:2', message: 'timeout' }];
    });
    expect(health(model, 2 * SEC, false).status).toBe('ok');
  });
});
