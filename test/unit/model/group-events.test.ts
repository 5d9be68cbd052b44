import { describe, expect, it } from 'vitest';
import {
  cluster,
  consume,
  groupOf,
  groupPartitionOf,
  partitionOf,
  produce,
  reassign,
  step,
} from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

// billing: 3 members m0..m2 on orders' 6 partitions (m0: 0,3; m1: 1,4; m2: 2,5).
const s0 = cluster({ topics: { orders: 6 }, groups: { billing: { topic: 'orders', members: 3 } } });

describe('rebalance events', () => {
  it('reports an observed rebalance with the states seen and its duration', () => {
    const s1 = step(s0, 2000, (d) => {
      const g = groupOf(d, 'billing');
      g.state = 'PreparingRebalance';
      for (const m of g.members) m.assignment = [];
    });
    const s2 = step(s1, 2000, (d) => {
      groupOf(d, 'billing').state = 'CompletingRebalance';
    });
    const s3 = step(s2, 2000, (d) => {
      groupOf(d, 'billing').state = 'Stable';
      reassign(d, 'billing', ['billing-m0', 'billing-m1', 'billing-m2']);
    });
    const { events, model } = foldAll([s0, s1, s2, s3]);
    expect(ofKind(events, 'rebalance-start')).toMatchObject([
      { group: 'billing', fromState: 'Stable', state: 'PreparingRebalance', at: s1.takenAt },
    ]);
    expect(ofKind(events, 'rebalance-end')).toMatchObject([
      {
        group: 'billing',
        states: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Stable'],
        durationMs: 4000,
        observed: true,
        at: s3.takenAt,
      },
    ]);
    expect(model.groups[0]!.rebalancesLast15m).toBe(1);
    expect(model.groups[0]!.rebalancing).toBe(false);
  });

  it('detects a rebalance completed between two refreshes from changed member ids', () => {
    // A rolling restart of m1: it comes back with a new member id, same partitions.
    const s1 = step(s0, 2000, (d) => {
      const m = groupOf(d, 'billing').members[1]!;
      m.memberId = 'billing-m1-restarted';
    });
    const { events } = foldAll([s0, s1]);
    expect(ofKind(events, 'member-leave')).toMatchObject([
      { group: 'billing', memberId: 'billing-m1', clientId: 'client-1', host: '/10.0.0.2' },
    ]);
    expect(ofKind(events, 'member-join')).toMatchObject([
      { group: 'billing', memberId: 'billing-m1-restarted', clientId: 'client-1', host: '/10.0.0.2' },
    ]);
    expect(ofKind(events, 'assignment-move').map((e) => [e.partition, e.fromMember, e.toMember])).toEqual([
      [1, 'billing-m1', 'billing-m1-restarted'],
      [4, 'billing-m1', 'billing-m1-restarted'],
    ]);
    expect(ofKind(events, 'rebalance-end')).toMatchObject([
      { group: 'billing', states: ['Stable', 'Stable'], durationMs: null, observed: false },
    ]);
  });

  it('detects moved partitions between Stable refreshes with the same members', () => {
    const s1 = step(s0, 2000, (d) => {
      const [m0, m1] = groupOf(d, 'billing').members;
      m0!.assignment = [{ topic: 'orders', partitions: [0] }];
      m1!.assignment = [{ topic: 'orders', partitions: [1, 3, 4] }];
    });
    const { events } = foldAll([s0, s1]);
    expect(ofKind(events, 'assignment-move')).toMatchObject([
      {
        group: 'billing',
        topic: 'orders',
        partition: 3,
        fromMember: 'billing-m0',
        toMember: 'billing-m1',
        fromClientId: 'client-0',
        toClientId: 'client-1',
      },
    ]);
    expect(ofKind(events, 'rebalance-end')).toHaveLength(1);
    expect(ofKind(events, 'member-join')).toEqual([]);
  });

  it('compares assignments across a rebalance with the last Stable one', () => {
    const s1 = step(s0, 2000, (d) => {
      const g = groupOf(d, 'billing');
      g.state = 'PreparingRebalance';
      g.members = g.members.slice(0, 2).map((m) => ({ ...m, assignment: [] }));
    });
    const s2 = step(s1, 2000, (d) => {
      groupOf(d, 'billing').state = 'Stable';
      reassign(d, 'billing', ['billing-m0', 'billing-m1']);
    });
    const { events, model } = foldAll([s0, s1, s2]);
    expect(ofKind(events, 'member-leave').map((e) => e.memberId)).toEqual(['billing-m2']);
    // reassign spreads 0..5 round-robin over two: m0 gets 0,2,4 and m1 gets 1,3,5.
    expect(ofKind(events, 'assignment-move').map((e) => [e.partition, e.fromMember, e.toMember])).toEqual([
      [2, 'billing-m2', 'billing-m0'],
      [3, 'billing-m0', 'billing-m1'],
      [4, 'billing-m1', 'billing-m0'],
      [5, 'billing-m2', 'billing-m1'],
    ]);
    expect(ofKind(events, 'rebalance-end')).toHaveLength(1);
    const g = model.groups[0]!;
    expect(g.partitions.find((p) => p.partition === 5)).toMatchObject({
      memberId: 'billing-m1',
      clientId: 'client-billing-m1',
      host: '/10.1.0.2',
    });
  });

  it('counts a rolling deploy as a burst of rebalances in the last 15 minutes, forgetting older ones', () => {
    let s = s0;
    const snaps = [s0];
    for (let i = 0; i < 3; i++) {
      s = step(s, 2000, (d) => {
        groupOf(d, 'billing').members[i]!.memberId = `billing-m${i}-v2`;
      });
      snaps.push(s);
    }
    expect(foldAll(snaps).model.groups[0]!.rebalancesLast15m).toBe(3);
    snaps.push(step(s, 16 * 60_000));
    expect(foldAll(snaps).model.groups[0]!.rebalancesLast15m).toBe(0);
  });

  it('does not invent membership events for KIP-848 groups reported Dead without members', () => {
    const k0 = cluster({ topics: { orders: 2 }, groups: { modern: { topic: 'orders', members: 0 } } });
    const g0 = groupOf(k0, 'modern');
    g0.state = 'Dead';
    g0.consumerProtocol = true;
    const { events, model } = foldAll([k0, step(k0, 2000), step(k0, 4000)]);
    expect(events).toEqual([]);
    expect(model.groups[0]).toMatchObject({
      consumerProtocol: true,
      rebalanceProtocol: 'cooperative',
      state: 'Dead',
    });
  });
});

describe('data-loss', () => {
  it('emits data-loss with the offsets lost when the committed offset falls below the log start', () => {
    const a0 = cluster({ topics: { orders: 1 }, groups: { slow: { topic: 'orders', committed: 100 } } });
    const a1 = step(a0, 2000, (d) => {
      produce(d, 'orders', 1000);
    });
    const a2 = step(a1, 2000, (d) => {
      partitionOf(d, 'orders', 0).logStartOffset = 400;
    });
    const a3 = step(a2, 2000, (d) => {
      partitionOf(d, 'orders', 0).logStartOffset = 500;
    });
    const { events, model } = foldAll([a0, a1, a2, a3]);
    // Once per partition when it starts, not on every refresh.
    expect(ofKind(events, 'data-loss')).toMatchObject([
      {
        group: 'slow',
        topic: 'orders',
        partition: 0,
        committedOffset: 100,
        logStartOffset: 400,
        offsetsLost: 300,
        at: a2.takenAt,
      },
    ]);
    expect(model.groups[0]!.partitions[0]!.retention).toEqual({ kind: 'data-lost', offsetsLost: 400 });
    expect(model.groups[0]!.insights).toMatchObject({
      retentionRisk: { kind: 'data-lost', offsetsLost: 400 },
      dataLossPartitions: 1,
    });
    // The consumer resets to the log start: no more loss.
    const a4 = step(a3, 2000, (d) => {
      groupPartitionOf(d, 'slow', 'orders', 0).committedOffset = 500;
      consume(d, 'slow', 0);
    });
    const after = foldAll([a0, a1, a2, a3, a4]);
    expect(after.model.groups[0]!.insights.dataLossPartitions).toBe(0);
  });
});

describe('a refresh that could not see the group', () => {
  it('reports no leaves, joins or lag dip while the coordinator is unreachable, and resumes after', () => {
    const s1 = step(s0, 2000, (d) => {
      const g = groupOf(d, 'billing');
      g.state = 'Unknown';
      g.members = [];
      g.partitions = [];
      g.totalLag = 0;
      g.error = 'DescribeGroups: connection refused';
    });
    const s2 = step(s1, 2000, () => {});
    // s2 is built from s1: give it back the group as s0 had it.
    s2.groups = s0.groups.map((g) => structuredClone(g));
    const { events, model } = foldAll([s0, s1, s2]);
    expect(ofKind(events, 'member-leave')).toEqual([]);
    expect(ofKind(events, 'member-join')).toEqual([]);
    expect(ofKind(events, 'rebalance-start')).toEqual([]);
    const history = model.groups[0]!.lagHistory.values();
    expect(history).toHaveLength(3);
    expect(Number.isNaN(history[1])).toBe(true);
    expect(history[0]).toBe(history[2]);
  });
});
