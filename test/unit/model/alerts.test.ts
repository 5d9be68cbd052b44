import { describe, expect, it } from 'vitest';
import { createModel, DEFAULT_ALERT_RULES } from '../../../source/model/index.js';
import type {
  AlertFiringEvent,
  AlertPhase,
  AlertResolvedEvent,
  ModelOptions,
} from '../../../source/model/types.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import {
  brokerOf,
  cluster,
  groupPartitionOf,
  partitionOf,
  produce,
  steps,
} from '../../fixtures/snapshots/builders.js';
import { ofKind } from './helpers.js';

const SEC = 1000;
const MIN = 60 * SEC;

/** Fold every snapshot and record one rule's phase after each fold. */
function phases(snaps: readonly ClusterSnapshot[], rule: string, options: ModelOptions = {}) {
  const m = createModel(options);
  const seen: AlertPhase[] = [];
  const events: (AlertFiringEvent | AlertResolvedEvent)[] = [];
  for (const s of snaps) {
    const model = m.fold(s);
    for (const e of model.newEvents) {
      if ((e.kind === 'alert-firing' || e.kind === 'alert-resolved') && e.alert === rule) events.push(e);
    }
    seen.push(model.alerts.find((a) => a.rule.name === rule)!.phase);
  }
  return { seen, events, model: m.get() };
}

const base = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });

/** 30 s refreshes: `on` of them with the condition, then `off` without. */
function sequence(
  on: number,
  off: number,
  set: (d: ClusterSnapshot) => void,
  clear: (d: ClusterSnapshot) => void,
) {
  const a = steps(base, on, 30 * SEC, set);
  const b = steps(a[a.length - 1]!, off, 30 * SEC, clear);
  return [base, ...a, ...b];
}

const lagOf = (n: number) => (d: ClusterSnapshot) => {
  partitionOf(d, 'orders', 0).logEndOffset = n;
  groupPartitionOf(d, 'app', 'orders', 0).committedOffset = 0;
};
const caughtUp = (d: ClusterSnapshot) => {
  groupPartitionOf(d, 'app', 'orders', 0).committedOffset = partitionOf(d, 'orders', 0).logEndOffset;
};

describe('alerts', () => {
  it('lists every rule, inactive, before anything happens', () => {
    const m = createModel();
    const model = m.fold(base);
    expect(model.alerts.map((a) => [a.rule.name, a.phase])).toEqual(
      DEFAULT_ALERT_RULES.map((r) => [r.name, 'inactive']),
    );
  });

  it('ConsumerGroupLagHigh: pending, fires after 5 m, resolves with an event', () => {
    // 12 refreshes 30 s apart with lag 200k: pending from the 1st, firing from the 11th (5 m later).
    const { seen, events, model } = phases(sequence(12, 1, lagOf(200_000), caughtUp), 'ConsumerGroupLagHigh');
    expect(seen).toEqual(['inactive', ...Array(10).fill('pending'), 'firing', 'firing', 'inactive']);
    expect(events.map((e) => e.kind)).toEqual(['alert-firing', 'alert-resolved']);
    expect(events[0]).toMatchObject({
      severity: 'warning',
      subject: 'app',
      value: 200_000,
      threshold: 100_000,
      pendingSince: '2026-01-01T00:00:30.000Z',
    });
    expect(events[1]).toMatchObject({ kind: 'alert-resolved', firingForMs: 60 * SEC });
    expect(model.alerts.find((a) => a.rule.name === 'ConsumerGroupLagHigh')!.instances).toEqual([]);
  });

  it('ConsumerGroupLagCritical fires after 2 m, not before', () => {
    const { seen } = phases(sequence(6, 1, lagOf(2_000_000), caughtUp), 'ConsumerGroupLagCritical');
    expect(seen).toEqual([
      'inactive',
      'pending',
      'pending',
      'pending',
      'pending',
      'firing',
      'firing',
      'inactive',
    ]);
  });

  it('a condition that clears before its duration never fires', () => {
    const { seen, events } = phases(sequence(4, 2, lagOf(2_000_000), caughtUp), 'ConsumerGroupLagCritical');
    expect(seen).not.toContain('firing');
    expect(events).toEqual([]);
  });

  it('ConsumerGroupTimeLagHigh: more than 5 minutes behind for 2 minutes', () => {
    // Nothing consumed while 100 messages arrive every 30 s: the group is k×30 s behind at step k.
    const snaps = [base, ...steps(base, 16, 30 * SEC, (d) => produce(d, 'orders', 100))];
    const { seen, events } = phases(snaps, 'ConsumerGroupTimeLagHigh');
    // Behind > 5 m from step 11 (5.5 m); fires 2 m later at step 15.
    expect(seen.slice(10)).toEqual([
      'inactive',
      'pending',
      'pending',
      'pending',
      'pending',
      'firing',
      'firing',
    ]);
    expect(events[0]).toMatchObject({ kind: 'alert-firing', subject: 'app', value: 7.5 * MIN });
  });

  it('ConsumerGroupTimeLagCritical: more than 30 minutes behind for 2 minutes', () => {
    const snaps = [base, ...steps(base, 34, MIN, (d) => produce(d, 'orders', 100))];
    const { seen } = phases(snaps, 'ConsumerGroupTimeLagCritical');
    expect(seen.indexOf('pending')).toBe(31);
    expect(seen.indexOf('firing')).toBe(33);
  });

  it('time-lag rules skip an Empty group (a batch job between runs); its message lag still alerts', () => {
    // The group's consumers are gone: its time lag is the time since they left and grows with the clock.
    const emptyAndProducing = (d: ClusterSnapshot) => {
      const g = d.groups[0]!;
      g.state = 'Empty';
      g.members = [];
      for (const p of g.partitions) p.memberId = null;
      produce(d, 'orders', 3_000);
    };
    const snaps = [base, ...steps(base, 40, MIN, emptyAndProducing)];
    expect(phases(snaps, 'ConsumerGroupTimeLagHigh').seen).not.toContain('pending');
    expect(phases(snaps, 'ConsumerGroupTimeLagCritical').seen).not.toContain('pending');
    // 120k behind after 40 minutes: the backlog is alerted by its size.
    expect(phases(snaps, 'ConsumerGroupLagHigh').seen.at(-1)).toBe('firing');
  });

  it('UnderReplicatedPartitions: per broker, fires after 1 m', () => {
    const urp = (n: number) => (d: ClusterSnapshot) => {
      brokerOf(d, 2).metrics!.underReplicatedPartitions = n;
    };
    const { seen, events } = phases(sequence(3, 1, urp(4), urp(0)), 'UnderReplicatedPartitions');
    expect(seen).toEqual(['inactive', 'pending', 'pending', 'firing', 'inactive']);
    expect(events[0]).toMatchObject({
      kind: 'alert-firing',
      severity: 'critical',
      subject: 'broker:2',
      broker: 2,
      value: 4,
    });
    expect(events[1]).toMatchObject({ kind: 'alert-resolved', subject: 'broker:2', broker: 2 });
  });

  it('RequestHandlerIdleLow: below 20% for 5 m', () => {
    const idle = (v: number) => (d: ClusterSnapshot) => {
      brokerOf(d, 1).metrics!.requestHandlerIdle = v;
    };
    const { seen, events } = phases(sequence(11, 1, idle(0.1), idle(0.5)), 'RequestHandlerIdleLow');
    expect(seen.indexOf('firing')).toBe(11);
    expect(seen[12]).toBe('inactive');
    expect(events.map((e) => [e.kind, e.subject])).toEqual([
      ['alert-firing', 'broker:1'],
      ['alert-resolved', 'broker:1'],
    ]);
  });

  it('UnderMinIsrPartitions fires on the first refresh it holds', () => {
    const under = (d: ClusterSnapshot) => {
      partitionOf(d, 'orders', 0).isr = [1];
    };
    const full = (d: ClusterSnapshot) => {
      partitionOf(d, 'orders', 0).isr = [1, 2, 3];
    };
    const { seen, events } = phases(sequence(1, 1, under, full), 'UnderMinIsrPartitions');
    expect(seen).toEqual(['inactive', 'firing', 'inactive']);
    expect(events[0]).toMatchObject({ kind: 'alert-firing', subject: 'cluster', value: 1, threshold: 0 });
  });

  it('OfflinePartitions fires on the first refresh it holds', () => {
    const off = (d: ClusterSnapshot) => {
      partitionOf(d, 'orders', 0).leader = -1;
    };
    const on = (d: ClusterSnapshot) => {
      partitionOf(d, 'orders', 0).leader = 1;
    };
    const { seen } = phases(sequence(2, 1, off, on), 'OfflinePartitions');
    expect(seen).toEqual(['inactive', 'firing', 'firing', 'inactive']);
  });

  it('takes custom rules and thresholds', () => {
    const rules = [
      {
        name: 'AnyLag',
        severity: 'warning' as const,
        metric: 'group-lag' as const,
        op: '>' as const,
        threshold: 10,
        forMs: 0,
        description: '',
      },
    ];
    const { seen, model } = phases(sequence(1, 0, lagOf(11), caughtUp), 'AnyLag', { alertRules: rules });
    expect(seen).toEqual(['inactive', 'firing']);
    expect(model.alerts).toHaveLength(1);
    expect(model.alerts[0]!.instances).toEqual([
      { subject: 'app', phase: 'firing', since: '2026-01-01T00:00:30.000Z', value: 11 },
    ]);
  });

  it('resolves when its subject disappears', () => {
    const { events } = phases(
      sequence(1, 1, lagOf(11), (d) => {
        d.groups = [];
      }),
      'AnyLag',
      {
        alertRules: [
          {
            name: 'AnyLag',
            severity: 'warning',
            metric: 'group-lag',
            op: '>',
            threshold: 10,
            forMs: 0,
            description: '',
          },
        ],
      },
    );
    expect(ofKind(events, 'alert-resolved')).toHaveLength(1);
  });

  it('keeps the alerts array identical while nothing is pending or firing', () => {
    const m = createModel();
    const a = m.fold(base).alerts;
    const b = m.fold(steps(base, 1, 2000)[0]!).alerts;
    expect(b).toBe(a);
  });
});
