import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDemoSource, DEFAULT_DEMO_START, DEMO_SCENARIOS } from '../../../source/demo/index.js';
import { group, partitions, run, sumMetric } from './helpers.js';

describe('demo cluster layout', () => {
  it('looks like a real cluster: racks, RF 3, min ISR 2, internal topics', async () => {
    const [s] = await run({ seed: 7 }, 1);
    if (!s) throw new Error('no snapshot');
    expect(s.brokers.length).toBeGreaterThanOrEqual(3);
    expect(s.brokers.length).toBeLessThanOrEqual(5);
    expect(new Set(s.brokers.map((b) => b.rack)).size).toBe(3);
    const ids = new Set(s.brokers.map((b) => b.id));
    expect(s.controllerId).not.toBeNull();
    expect(ids.has(s.controllerId as number)).toBe(true);
    expect(s.topics.length).toBeGreaterThanOrEqual(8);
    expect(s.topics.find((t) => t.name === '__consumer_offsets')?.internal).toBe(true);
    for (const t of s.topics) {
      expect(t.partitions.length).toBeGreaterThanOrEqual(6);
      expect(t.partitions.length).toBeLessThanOrEqual(24);
      expect(t.configs['min.insync.replicas']).toBe('2');
      expect(t.configs['retention.ms']).toMatch(/^-?\d+$/);
      for (const p of t.partitions) {
        expect(new Set(p.replicas).size).toBe(3);
        for (const r of p.replicas) expect(ids.has(r)).toBe(true);
        expect(p.isr).toEqual(p.replicas);
        expect(p.leader).toBe(p.replicas[0]);
        expect(p.logEndOffset).toBeGreaterThanOrEqual(p.logStartOffset ?? 0);
      }
    }
  });

  it('has the groups the panes need: assignors, KIP-848, empty, no commit', async () => {
    const [s] = await run({ seed: 1 }, 1);
    if (!s) throw new Error('no snapshot');
    expect(s.groups.length).toBeGreaterThanOrEqual(10);
    const assignors = new Set(s.groups.map((g) => g.protocol));
    for (const a of ['range', 'roundrobin', 'cooperative-sticky']) expect(assignors.has(a)).toBe(true);

    const kip848 = s.groups.filter((g) => g.consumerProtocol);
    expect(kip848).toHaveLength(1);
    expect(kip848[0]?.members).toEqual([]);
    expect(kip848[0]?.partitions.every((p) => p.committedOffset !== null)).toBe(true);

    const empty = s.groups.filter((g) => g.state === 'Empty');
    expect(empty).toHaveLength(1);
    expect(empty[0]?.members).toEqual([]);
    expect(empty[0]?.totalLag).toBeGreaterThan(0);

    const noCommit = s.groups.flatMap((g) => g.partitions.filter((p) => p.committedOffset === null));
    expect(noCommit).toHaveLength(1);
    expect(noCommit[0]?.lag).toBeNull();

    for (const g of s.groups.filter((x) => x.state === 'Stable')) {
      const assigned = g.members.flatMap((m) =>
        m.assignment.flatMap((a) => a.partitions.map((p) => `${a.topic}:${p}`)),
      );
      expect(new Set(assigned).size).toBe(assigned.length);
      expect(assigned.sort()).toEqual(g.partitions.map((p) => `${p.topic}:${p.partition}`).sort());
      for (const m of g.members) {
        expect(m.memberId.startsWith(`${m.clientId}-`)).toBe(true);
        expect(m.memberId).toMatch(
          /^consumer-[a-z-]+-\d+-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(m.host).toMatch(/^\/10\.0\.\d{1,3}\.\d{1,3}$/);
      }
      for (const p of g.partitions) {
        expect(p.memberId).not.toBeNull();
      }
    }
  });

  it('keeps lag, totals and broker counts consistent with the metadata', async () => {
    const snapshots = await run({ scenario: 'broker-failure', seed: 3 }, 80);
    const wrong: string[] = [];
    for (const s of snapshots) {
      for (const g of s.groups) {
        let total = 0;
        for (const p of g.partitions) {
          const expected =
            p.committedOffset === null || p.logEndOffset === null
              ? null
              : Math.max(0, p.logEndOffset - p.committedOffset);
          if (p.lag !== expected)
            wrong.push(`${s.takenAt} ${g.groupId} ${p.topic}:${p.partition} lag ${p.lag}`);
          total += p.lag ?? 0;
        }
        if (g.totalLag !== total) wrong.push(`${s.takenAt} ${g.groupId} total ${g.totalLag} != ${total}`);
      }
      const parts = partitions(s);
      expect(sumMetric(s, 'underReplicatedPartitions')).toBe(
        parts.filter((p) => p.isr.length < p.replicas.length).length,
      );
      expect(sumMetric(s, 'underMinIsrPartitions')).toBe(parts.filter((p) => p.isr.length < 2).length);
    }
    expect(wrong).toEqual([]);
  });

  it('advances simulated time by interval × speed from the start', async () => {
    const start = new Date('2024-06-01T12:00:00Z');
    const snapshots = await run({ start, intervalMs: 1000, speed: 5 }, 4);
    expect(snapshots.map((s) => s.takenAt)).toEqual([
      '2024-06-01T12:00:00.000Z',
      '2024-06-01T12:00:05.000Z',
      '2024-06-01T12:00:10.000Z',
      '2024-06-01T12:00:15.000Z',
    ]);
    const [first] = await run({}, 1);
    expect(first?.takenAt).toBe(DEFAULT_DEMO_START);
  });

  it('swings the produce rate over the simulated day', async () => {
    // 30 simulated minutes per refresh: 49 refreshes cover a day.
    const snapshots = await run({ intervalMs: 2000, speed: 900 }, 49);
    const produced = (i: number) =>
      partitions(snapshots[i + 1]!).reduce((a, p) => a + (p.logEndOffset ?? 0), 0) -
      partitions(snapshots[i]!).reduce((a, p) => a + (p.logEndOffset ?? 0), 0);
    const rates = Array.from({ length: 48 }, (_, i) => produced(i));
    expect(Math.min(...rates)).toBeGreaterThan(0);
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(2);
  });

  it('skews writes across the partitions of a topic', async () => {
    const snapshots = await run({}, 31);
    const first = snapshots[0]!.topics.find((t) => t.name === 'orders')!;
    const last = snapshots[30]!.topics.find((t) => t.name === 'orders')!;
    const deltas = last.partitions.map(
      (p, i) => (p.logEndOffset ?? 0) - (first.partitions[i]?.logEndOffset ?? 0),
    );
    expect(Math.max(...deltas)).toBeGreaterThan(2 * Math.min(...deltas));
  });

  it('keeps healthy brokers between 60% and 95% request-handler idle', async () => {
    for (const s of await run({ scenario: 'steady', seed: 5 }, 60)) {
      for (const b of s.brokers) {
        expect(b.metrics?.requestHandlerIdle).toBeGreaterThanOrEqual(0.6);
        expect(b.metrics?.requestHandlerIdle).toBeLessThanOrEqual(0.95);
        expect(b.metrics?.networkProcessorIdle).toBeGreaterThan(0.5);
      }
      expect(s.errors).toEqual([]);
      expect(group(s, 'billing').state).toBe('Stable');
    }
  });
});

describe('demo determinism', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(DEMO_SCENARIOS.map((s) => s.name))('same seed, same snapshots: %s', async (scenario) => {
    const a = await run({ scenario, seed: 42 }, 45);
    const b = await run({ scenario, seed: 42 }, 45);
    expect(b).toEqual(a);
  });

  it('different seeds give different clusters', async () => {
    const [a] = await run({ seed: 1 }, 1);
    const [b] = await run({ seed: 2 }, 1);
    expect(a?.clusterId).not.toBe(b?.clusterId);
    expect(JSON.stringify(b?.groups)).not.toBe(JSON.stringify(a?.groups));
  });

  it('never asks the real clock or Math.random', async () => {
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    await run({ scenario: 'rolling-deploy', seed: 9 }, 40);
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
  });

  it('rejects unknown scenarios and bad numbers', () => {
    expect(() => createDemoSource({ scenario: 'nope' })).toThrow(/unknown demo scenario/);
    expect(() => createDemoSource({ speed: 0 })).toThrow(/speed/);
    expect(() => createDemoSource({ intervalMs: Number.NaN })).toThrow(/interval/);
  });

  it('describes every scenario in one line', () => {
    expect(DEMO_SCENARIOS.map((s) => s.name)).toEqual([
      'steady',
      'rolling-deploy',
      'broker-failure',
      'slow-consumer',
      'hot-broker',
      'kafka4',
    ]);
    for (const s of DEMO_SCENARIOS) expect(s.description).not.toMatch(/\n/);
  });
});
