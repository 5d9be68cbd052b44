/**
 * Transaction-aware lag: a read_committed consumer at the last stable offset has read all it can. Measured
 * on the test cluster: one transaction held open, HW 205, LSO 0, and both kafka-consumer-groups.sh and
 * kafkatop called a caught-up consumer 205 behind.
 */
import { describe, expect, it } from 'vitest';
import type { AlertPhase } from '../../../source/model/types.js';
import { cluster, groupOf, groupPartitionOf, partitionOf, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

const SEC = 1000;
const base = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });

/** Every 10 s the producer writes 2,000 more behind a transaction held open at `pinnedAt`. */
function pinned(count: number, pinnedAt: number, committed: (lso: number) => number) {
  return [
    base,
    ...steps(base, count, 10 * SEC, (d, i) => {
      const p = partitionOf(d, 'orders', 0);
      p.logEndOffset = pinnedAt + (i + 1) * 2000;
      p.lastStableOffset = pinnedAt;
      groupPartitionOf(d, 'app', 'orders', 0).committedOffset = committed(pinnedAt);
    }),
  ];
}

describe('transaction-aware lag', () => {
  it('reads a group at the last stable offset as caught up, with the rest unreadable', () => {
    const snaps = pinned(40, 100, (lso) => lso);
    const { model } = foldAll(snaps);
    const g = model.groups.find((x) => x.groupId === 'app')!;
    const end = partitionOf(snaps.at(-1)!, 'orders', 0).logEndOffset!;
    expect(g.totalLag).toBe(end - 100);
    expect(g.unreadableLag).toBe(end - 100);
    // Without the last stable offset this group read STALL (committed offset stuck, lag growing).
    expect(g.status).toBe('OK');
    expect(g.statusReason).toMatch(/caught up to the last stable offset/);
    expect(g.timeLagMs).toBe(0);
    expect(g.eta.kind).toBe('caught-up');
    expect(g.lagTrend).not.toBe('rising');
    const gp = g.partitions[0]!;
    expect([gp.lag, gp.lastStableOffset, gp.unreadableLag]).toEqual([end - 100, 100, end - 100]);
    expect(model.topics.find((t) => t.name === 'orders')!.partitions[0]!.lastStableOffset).toBe(100);
  });

  it('reads a group at a stuck last stable offset as stalled (WARN), not caught up', () => {
    // 40 refreshes 10 s apart: the LSO stands at 100 for 400 s, past a 60 s bound.
    const snaps = pinned(40, 100, (lso) => lso).map((s, i) => {
      if (i === 0) return s;
      partitionOf(s, 'orders', 0).openTransaction = {
        producerId: 7,
        producerEpoch: 0,
        startOffset: 100,
        lastTimestamp: 0,
        transactionalId: 'tx-orders',
        state: 'Ongoing',
      };
      return s;
    });
    const { model } = foldAll(snaps, { stuckLsoMs: 60 * SEC });
    const since = model.topics.find((t) => t.name === 'orders')!.partitions[0]!.stuckLsoSince;
    expect(since).not.toBeNull();
    const g = model.groups.find((x) => x.groupId === 'app')!;
    expect(g.status).toBe('WARN');
    expect(g.statusReason).toBe(
      `orders-0: stalled: LSO stuck (open transaction since ${since}, transactional id tx-orders)`,
    );
    expect(g.partitions[0]!.status).toBe('WARN');
    // Under the bound it is still caught up to what it can read.
    const early = foldAll(snaps.slice(0, 4), { stuckLsoMs: 60 * SEC }).model.groups[0]!;
    expect([early.status, early.statusReason]).toEqual([
      'OK',
      'orders-0: caught up to the last stable offset; the rest is in open transactions',
    ]);
  });

  it('keeps the group-lag alert quiet for lag held back by an open transaction', () => {
    const m = foldAll(
      pinned(40, 100, (lso) => lso),
      {
        alertRules: [
          {
            name: 'Lag',
            severity: 'warning',
            metric: 'group-lag',
            op: '>',
            threshold: 1000,
            forMs: 0,
            description: '',
          },
        ],
      },
    ).model;
    expect(m.alerts.find((a) => a.rule.name === 'Lag')!.phase).toBe<AlertPhase>('inactive');
  });

  it('still lags a group behind the last stable offset, by what it could read', () => {
    const snaps = pinned(40, 100, () => 40);
    const { model } = foldAll(snaps, {
      alertRules: [
        {
          name: 'Lag',
          severity: 'warning',
          metric: 'group-lag',
          op: '>',
          threshold: 50,
          forMs: 0,
          description: '',
        },
      ],
    });
    const g = model.groups.find((x) => x.groupId === 'app')!;
    expect(g.status).toBe('STALL');
    expect(g.totalLag - g.unreadableLag).toBe(60);
    expect(model.alerts.find((a) => a.rule.name === 'Lag')!.phase).toBe('firing');
  });

  it('changes nothing where the last stable offset is unknown or at the log end', () => {
    const unknown = foldAll([
      base,
      ...steps(base, 3, 10 * SEC, (d) => {
        partitionOf(d, 'orders', 0).logEndOffset = 500;
      }),
    ]).model.groups[0]!;
    expect([unknown.totalLag, unknown.unreadableLag]).toEqual([500, 0]);
    expect(groupOf(base, 'app').partitions[0]!.lastStableOffset).toBeUndefined();
  });
});
