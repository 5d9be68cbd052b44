import { describe, expect, it } from 'vitest';
import { createModel } from '../../../source/model/index.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import {
  cluster,
  consume,
  groupOf,
  partitionOf,
  produce,
  reassign,
  step,
  steps,
  T0,
} from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

describe('write rate and skew', () => {
  it('computes messages per second per partition and topic, and the busiest partition over the mean', () => {
    const s0 = cluster({ topics: { orders: 4 } });
    const snaps = [
      s0,
      ...steps(s0, 5, 2000, (d) => {
        produce(d, 'orders', 100, 0);
        produce(d, 'orders', 100, 1);
        produce(d, 'orders', 100, 2);
        produce(d, 'orders', 500, 3);
      }),
    ];
    const t = foldAll(snaps).model.topics[0]!;
    expect(t.partitions.map((p) => p.writeRate)).toEqual([50, 50, 50, 250]);
    expect(t.writeRate).toBe(400);
    expect(t.writeSkew).toBe(2.5);
  });

  it('has no rate before two refreshes and treats a log end going back as a recreated partition', () => {
    const s0 = cluster({ topics: { orders: 1 } });
    expect(foldAll([s0]).model.topics[0]!.writeRate).toBeNull();
    const s1 = step(s0, 2000, (d) => produce(d, 'orders', 1000));
    const s2 = step(s1, 2000, (d) => {
      partitionOf(d, 'orders', 0).logEndOffset = 10;
    });
    const p = foldAll([s0, s1, s2]).model.topics[0]!.partitions[0]!;
    expect(p.writeRate).toBeNull();
    expect(p.logEndHistory.values()).toEqual([10]);
  });
});

describe('assignment insights', () => {
  it('partitions per member, uneven counts and eager assignor', () => {
    const s0 = cluster({ topics: { orders: 10 }, groups: { app: { topic: 'orders', members: 3 } } });
    const g = foldAll([s0]).model.groups[0]!;
    expect(g.insights.partitionsPerMember.map((m) => m.partitions)).toEqual([4, 3, 3]);
    expect(g.insights.unevenAssignments).toEqual([
      { topic: 'orders', topics: ['orders'], partitions: 10, members: 3, max: 4, min: 3 },
    ]);
    expect(g.insights.idleMembers).toEqual([]);
    expect(g.assignor).toBe('range');
    expect(g.rebalanceProtocol).toBe('eager');
  });

  it('idle members when there are more members than partitions; even otherwise', () => {
    const s0 = cluster({
      topics: { orders: 2 },
      groups: { app: { topic: 'orders', members: 3, protocol: 'cooperative-sticky' } },
    });
    const g = foldAll([s0]).model.groups[0]!;
    expect(g.insights.idleMembers).toEqual(['app-m2']);
    expect(g.rebalanceProtocol).toBe('cooperative');
    const even = cluster({ topics: { orders: 6 }, groups: { app: { topic: 'orders', members: 3 } } });
    expect(foldAll([even]).model.groups[0]!.insights.unevenAssignments).toEqual([]);
  });

  it('does not call members idle while the group is rebalancing (assignments are empty then)', () => {
    const s0 = cluster({ topics: { orders: 2 }, groups: { app: { topic: 'orders', members: 2 } } });
    const g0 = groupOf(s0, 'app');
    g0.state = 'PreparingRebalance';
    for (const m of g0.members) m.assignment = [];
    const g = foldAll([s0]).model.groups[0]!;
    expect(g.insights.idleMembers).toEqual([]);
    expect(g.rebalancing).toBe(true);
    expect(g.rebalancesLast15m).toBe(1);
  });
});

describe('retention risk', () => {
  const DAY = 86_400_000;

  /** 10 minutes of 10 msg/s from offset 0 with no consumption; `kbPerMessage` gives the partition a size. */
  function lagging(configs: Record<string, string>, consumeEach = 0, kbPerMessage: number | null = null) {
    const s0 = cluster({
      topics: { orders: 1 },
      configs: { orders: configs },
      groups: { app: { topic: 'orders' } },
    });
    const snaps = [
      s0,
      ...steps(s0, 10, 60_000, (d) => {
        produce(d, 'orders', 600);
        consume(d, 'app', consumeEach);
        const p = partitionOf(d, 'orders', 0);
        if (kbPerMessage !== null) p.sizeBytes = (p.logEndOffset! - p.logStartOffset!) * kbPerMessage * 1000;
      }),
    ];
    return foldAll(snaps).model.groups[0]!;
  }

  it('estimates time until retention.ms overtakes a group that is not catching up', () => {
    const g = lagging({ 'retention.ms': String(DAY) });
    // Committed 0 was the log end 10 minutes ago.
    expect(g.partitions[0]!.timeLagMs).toBe(10 * 60_000);
    expect(g.insights.retentionRisk).toEqual({
      kind: 'overtaken-in',
      ms: DAY - 10 * 60_000,
      estimated: true,
    });
  });

  it('is safe when the group will catch up before retention', () => {
    // Produces 10/s, consumes 15/s: catching up.
    const s0 = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });
    const behind = step(s0, 60_000, (d) => produce(d, 'orders', 6000));
    const snaps = [
      s0,
      behind,
      ...steps(behind, 5, 60_000, (d) => {
        produce(d, 'orders', 600);
        consume(d, 'app', 900);
      }),
    ];
    const g = foldAll(snaps).model.groups[0]!;
    expect(g.eta.kind).toBe('eta');
    expect(g.insights.retentionRisk).toEqual({ kind: 'safe' });
  });

  it('says so when only retention.bytes limits the topic', () => {
    const g = lagging({ 'retention.ms': '-1', 'retention.bytes': '1073741824' });
    expect(g.insights.retentionRisk).toEqual({
      kind: 'unknown',
      reason: 'retention.bytes only: size-based deletion time cannot be estimated',
    });
  });

  it('estimates when retention.bytes reaches the group from the partition size and write rate', () => {
    // 6,000 messages of 1 kB = 6 MB, 10 MB allowed, written at 10 kB/s: the group's offset (the log start)
    // goes in 4 MB / 10 kB/s = 400 s.
    const g = lagging({ 'retention.ms': '-1', 'retention.bytes': '10000000' }, 0, 1);
    expect(g.insights.retentionRisk).toEqual({ kind: 'overtaken-in', ms: 400_000, estimated: true });
    // retention.ms a day away: size retention comes first, and nothing is left to note.
    const both = lagging({ 'retention.ms': String(DAY), 'retention.bytes': '10000000' }, 0, 1);
    expect(both.insights.retentionRisk).toEqual({ kind: 'overtaken-in', ms: 400_000, estimated: true });
  });

  it('notes that retention.bytes may delete sooner when both are set', () => {
    const g = lagging({ 'retention.ms': String(DAY), 'retention.bytes': '1073741824' });
    expect(g.insights.retentionRisk).toMatchObject({
      kind: 'overtaken-in',
      note: 'retention.bytes may delete sooner',
    });
  });

  it('none for unlimited retention or compacted topics', () => {
    expect(lagging({ 'retention.ms': '-1' }).insights.retentionRisk).toEqual({ kind: 'none' });
    expect(lagging({ 'cleanup.policy': 'compact' }).insights.retentionRisk).toEqual({ kind: 'none' });
  });
});

describe('settled', () => {
  const s0 = cluster({ topics: { orders: 2 }, groups: { app: { topic: 'orders', members: 2 } } });

  it('is settled when all is quiet', () => {
    const { model } = foldAll([s0, step(s0, 2000)]);
    expect(model.settled).toEqual({ settled: true, reasons: [] });
  });

  it('is not settled with URP, a rebalancing group, a down broker or rising lag', () => {
    const s1 = step(s0, 2000, (d) => {
      partitionOf(d, 'orders', 0).isr = [1, 2];
      groupOf(d, 'app').state = 'PreparingRebalance';
      d.brokers = d.brokers.filter((b) => b.id !== 3);
    });
    expect(foldAll([s0, s1]).model.settled).toEqual({
      settled: false,
      reasons: ['broker 3 down', '1 under-replicated partition', 'group app PreparingRebalance'],
    });
    // Nothing consumed: once the time lag passes the keeping-up floor (10 s) with 6 samples, lag rises.
    const rising = [s0, ...steps(s0, 7, 2000, (d) => produce(d, 'orders', 100))];
    expect(foldAll(rising.slice(0, 5)).model.settled.settled).toBe(true);
    expect(foldAll(rising).model.settled.reasons).toEqual(['group app lag rising']);
    // Lag above 0 but no longer rising is fine.
    const falling = [
      ...rising,
      ...steps(rising.at(-1)!, 12, 2000, (d) => {
        produce(d, 'orders', 100);
        consume(d, 'app', 150);
      }),
    ];
    expect(foldAll(falling).model.groups[0]!.totalLag).toBeGreaterThan(0);
    expect(foldAll(falling).model.groups[0]!.lagTrend).not.toBe('rising');
    expect(foldAll(falling).model.settled.settled).toBe(true);
  });
});

describe('staleness, data age and identity', () => {
  const s0 = cluster({ topics: { orders: 2 }, groups: { app: { topic: 'orders', members: 1 } } });
  const failed = (prev: ClusterSnapshot, ms: number): ClusterSnapshot => ({
    ...step(prev, ms),
    brokers: [],
    topics: [],
    groups: [],
    errors: [{ source: 'cluster', message: 'Connection timeout' }],
  });

  it('keeps the last good data through failed refreshes and says since when', () => {
    const m = createModel();
    const good = m.fold(s0);
    const f1 = failed(s0, 2000);
    const bad = m.fold(f1);
    m.fold(failed(f1, 2000));
    const model = m.get();
    expect(model.groups).toBe(good.groups);
    expect(model.brokers).toBe(good.brokers);
    expect(model.at).toBe(s0.takenAt);
    expect(model.staleness).toEqual({
      stale: true,
      lastError: { source: 'cluster', message: 'Connection timeout' },
      since: f1.takenAt,
      consecutiveFailures: 2,
    });
    expect(bad.newEvents).toEqual([]);
    expect(model.foldCount).toBe(3);
    const back = m.fold(step(s0, 6000));
    expect(back.staleness.stale).toBe(false);
    expect(back.newEvents).toEqual([]);
  });

  it('reports partial errors without going stale', () => {
    const s1 = step(s0, 2000, (d) => {
      d.errors = [{ source: 'group:app', message: 'COORDINATOR_NOT_AVAILABLE' }];
    });
    expect(foldAll([s0, s1]).model.staleness).toMatchObject({
      stale: false,
      lastError: { source: 'group:app' },
    });
  });

  it('computes data age from the injected clock', () => {
    let now = T0 + 5000;
    const m = createModel({ clock: () => now });
    expect(m.dataAgeMs()).toBeNull();
    m.fold(s0);
    expect(m.dataAgeMs()).toBe(5000);
    now += 1000;
    expect(m.dataAgeMs()).toBe(6000);
  });

  it('ignores a snapshot that is not newer than the last one', () => {
    const m = createModel();
    const a = m.fold(s0);
    const b = m.fold(s0);
    expect(b.groups).toBe(a.groups);
    expect(b.foldCount).toBe(2);
  });

  it('keeps members and configs identical across folds while unchanged', () => {
    const m = createModel();
    const a = m.fold(s0);
    const b = m.fold(step(s0, 2000, (d) => produce(d, 'orders', 5)));
    expect(b.groups[0]!.members).toBe(a.groups[0]!.members);
    expect(b.topics[0]!.configs).toBe(a.topics[0]!.configs);
    const c = m.fold(step(s0, 4000, (d) => reassign(d, 'app', ['new'])));
    expect(c.groups[0]!.members).not.toBe(b.groups[0]!.members);
  });

  it('bounds the event log, newest last', () => {
    let s = s0;
    const snaps = [s0];
    for (let i = 0; i < 10; i++) {
      s = step(s, 2000, (d) => {
        partitionOf(d, 'orders', 0).leader = i % 2 === 0 ? 2 : 1;
      });
      snaps.push(s);
    }
    const { model } = foldAll(snaps, { maxEvents: 4 });
    expect(model.events).toHaveLength(4);
    expect(model.events[3]!.at).toBe(s.takenAt);
  });
});
