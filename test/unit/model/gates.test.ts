import { describe, expect, it } from 'vitest';
import { evaluateGate, type WaitCondition } from '../../../source/model/gates.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import {
  cluster,
  groupOf,
  partitionOf,
  produce,
  reassign,
  step,
  steps,
} from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

const s0 = cluster({
  brokers: 3,
  topics: { orders: 3 },
  groups: { billing: { topic: 'orders', members: 3 } },
});
const gate = (snapshots: ClusterSnapshot[], c: WaitCondition) => evaluateGate(foldAll(snapshots).model, c);
const group = (over: Partial<Extract<WaitCondition, { kind: 'group' }>> = {}): WaitCondition => ({
  kind: 'group',
  groupId: 'billing',
  members: null,
  maxLag: null,
  maxTimeLagMs: null,
  ...over,
});

describe('wait broker ID --up', () => {
  const up: WaitCondition = { kind: 'broker-up', brokerId: 2 };

  it('blocks while the broker is out of metadata, then while it is out of an ISR, and is met once back in all', () => {
    const gone = step(s0, 2000, (d) => {
      d.brokers = d.brokers.filter((b) => b.id !== 2);
      for (const p of d.topics[0]!.partitions) p.isr = p.isr.filter((id) => id !== 2);
    });
    // Back in metadata, not yet in the ISR of orders-0 and orders-1 (replicas 1,2,3 and 2,3,1).
    const back = step(gone, 2000, (d) => {
      d.brokers = s0.brokers.map((b) => ({ ...b }));
      partitionOf(d, 'orders', 2).isr = [3, 1, 2];
    });
    const full = step(back, 2000, (d) => {
      for (const p of d.topics[0]!.partitions) p.isr = [...p.replicas];
    });
    expect(gate([s0, gone], up)).toEqual({ met: false, blocking: ['broker 2 down: left metadata'] });
    expect(gate([s0, gone, back], up)).toEqual({
      met: false,
      blocking: ['broker 2 not in the ISR of 2 partitions: orders-0, orders-1'],
    });
    expect(gate([s0, gone, back, full], up)).toEqual({ met: true, blocking: [] });
  });

  it('names an id the cluster never had', () => {
    expect(gate([s0], { kind: 'broker-up', brokerId: 7 }).blocking).toEqual(['broker 7 not in metadata']);
  });
});

describe('wait group ID', () => {
  it('is met for a Stable group with enough members; blocks while rebalancing or short of members', () => {
    const leaving = step(s0, 2000, (d) => {
      groupOf(d, 'billing').state = 'PreparingRebalance';
      reassign(d, 'billing', ['m0', 'm1']);
    });
    const stable2 = step(leaving, 2000, (d) => {
      groupOf(d, 'billing').state = 'Stable';
    });
    const stable3 = step(stable2, 2000, (d) => reassign(d, 'billing', ['m0', 'm1', 'm2']));
    const c = group({ members: 3 });
    expect(gate([s0, leaving], c).blocking).toEqual([
      'group billing PreparingRebalance',
      'group billing has 2 of 3 members',
    ]);
    expect(gate([s0, leaving, stable2], c).blocking).toEqual(['group billing has 2 of 3 members']);
    expect(gate([s0, leaving, stable2, stable3], c)).toEqual({ met: true, blocking: [] });
    // Without --members, Stable alone is enough.
    expect(gate([s0, leaving, stable2], group()).met).toBe(true);
  });

  it('holds a group above --max-lag and --max-time-lag', () => {
    // 100 messages a partition every 2 s, none consumed: 900 behind, still at the offset written 6 s ago.
    const lagging = steps(s0, 3, 2000, (d) => produce(d, 'orders', 100));
    const all = [s0, ...lagging];
    expect(gate(all, group({ maxLag: 900 })).met).toBe(true);
    expect(gate(all, group({ maxLag: 899 })).blocking).toEqual(['group billing lag 900 above 899']);
    expect(gate(all, group({ maxTimeLagMs: 10_000 })).met).toBe(true);
    expect(gate(all, group({ maxTimeLagMs: 3_000 })).blocking).toEqual(['group billing 6s behind, above 3s']);
  });

  it('says a group was not found rather than waiting silently', () => {
    expect(gate([s0], group({ groupId: 'nope' })).blocking).toEqual(['group nope not found']);
  });

  it('judges a KIP-848 group that ConsumerGroupDescribe described by its state and members', () => {
    const described = (state: string, members: number) =>
      step(s0, 2000, (d) => {
        const g = groupOf(d, 'billing');
        g.consumerProtocol = true;
        g.groupEpoch = 7;
        g.assignmentEpoch = state === 'Assigning' ? 6 : 7;
        g.state = state;
        g.members = g.members.slice(0, members);
      });
    expect(gate([s0, described('Reconciling', 1)], group()).blocking).toEqual(['group billing Reconciling']);
    expect(gate([s0, described('Stable', 1)], group({ members: 2 })).blocking).toEqual([
      'group billing has 1 of 2 members',
    ]);
    expect(gate([s0, described('Stable', 1)], group({ members: 1 })).met).toBe(true);
  });

  it('does not wait on the Dead state DescribeGroups reports for a KIP-848 group, and refuses to count its members', () => {
    const kip848 = step(s0, 2000, (d) => {
      const g = groupOf(d, 'billing');
      g.state = 'Dead';
      g.members = [];
      g.consumerProtocol = true;
    });
    expect(gate([s0, kip848], group()).met).toBe(true);
    expect(gate([s0, kip848], group({ members: 1 })).blocking).toEqual([
      'group billing uses the consumer protocol: members not collected',
    ]);
  });
});

describe('every wait', () => {
  it('blocks while the cluster is unreachable, with the reason', () => {
    const down = step(s0, 2000, (d) => {
      d.brokers = [];
      d.topics = [];
      d.groups = [];
      d.errors = [{ source: 'cluster', message: 'no broker reachable' }];
    });
    expect(gate([s0, down], { kind: 'settled' })).toEqual({
      met: false,
      blocking: ['cluster unreachable: no broker reachable'],
    });
    expect(gate([down], { kind: 'settled' }).met).toBe(false);
  });

  it("wait settled is the model's settled, with its reasons", () => {
    const urp = step(s0, 2000, (d) => {
      partitionOf(d, 'orders', 1).isr = [2, 3];
    });
    expect(gate([s0, urp], { kind: 'settled' })).toEqual({
      met: false,
      blocking: ['1 under-replicated partition'],
    });
    expect(gate([s0], { kind: 'settled' }).met).toBe(true);
  });
});
