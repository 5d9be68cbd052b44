import { describe, expect, it } from 'vitest';
import { BucketSeries, RingSeries, TimeAxis } from '../../../source/model/series.js';
import { cluster, produce, step, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

describe('RingSeries', () => {
  it('keeps the newest `capacity` values, oldest first, with their times', () => {
    const axis = new TimeAxis(4);
    const s = new RingSeries(axis);
    for (let i = 1; i <= 7; i++) {
      axis.advance(i * 1000);
      s.push(i * 10);
    }
    const v = s.view();
    expect(v.length).toBe(4);
    expect(v.capacity).toBe(4);
    expect(v.values()).toEqual([40, 50, 60, 70]);
    expect(v.times()).toEqual([4000, 5000, 6000, 7000]);
    expect(v.last).toBe(70);
  });

  it('fills folds a series missed with NaN and reports null as unknown', () => {
    const axis = new TimeAxis(5);
    const s = new RingSeries(axis);
    axis.advance(1);
    s.push(1);
    axis.advance(2);
    axis.advance(3);
    s.push(null);
    expect(s.view().values()).toEqual([1, Number.NaN, Number.NaN]);
    expect(s.view().last).toBeNull();
  });

  it('starts when it is created, not at the start of the axis', () => {
    const axis = new TimeAxis(5);
    axis.advance(1);
    axis.advance(2);
    const s = new RingSeries(axis);
    s.push(7);
    expect(s.view().values()).toEqual([7]);
    expect(s.view().times()).toEqual([2]);
  });

  it('keeps the same view object until the next push', () => {
    const axis = new TimeAxis(3);
    const s = new RingSeries(axis);
    axis.advance(1);
    s.push(1);
    const a = s.view();
    expect(s.view()).toBe(a);
    axis.advance(2);
    s.push(2);
    expect(s.view()).not.toBe(a);
    expect(a.values()).toEqual([1]);
  });

  it('an old view returns only the part not yet overwritten', () => {
    const axis = new TimeAxis(3);
    const s = new RingSeries(axis);
    for (let i = 1; i <= 3; i++) {
      axis.advance(i);
      s.push(i);
    }
    const old = s.view();
    axis.advance(4);
    s.push(4);
    expect(old.values()).toEqual([2, 3]);
  });

  it('reset forgets history', () => {
    const axis = new TimeAxis(3);
    const s = new RingSeries(axis);
    axis.advance(1);
    s.push(5);
    s.reset();
    axis.advance(2);
    s.push(1);
    expect(s.view().values()).toEqual([1]);
  });
});

describe('model history at capacity', () => {
  it('never holds more than historyLength points per series however many folds', () => {
    const s0 = cluster({ topics: { orders: 2 }, groups: { billing: { topic: 'orders' } } });
    const snaps = [
      s0,
      ...steps(s0, 50, 2000, (d) => {
        for (const p of d.topics[0]!.partitions) p.logEndOffset = (p.logEndOffset ?? 0) + 10;
      }),
    ];
    const { model } = foldAll(snaps, { historyLength: 8 });
    const g = model.groups[0]!;
    expect(g.lagHistory.length).toBe(8);
    expect(g.lagHistory.values()).toHaveLength(8);
    // lag grows 20 per refresh (2 partitions × 10): the newest 8 of 51 folds.
    expect(g.lagHistory.values()).toEqual([43, 44, 45, 46, 47, 48, 49, 50].map((i) => i * 20));
    const p = model.topics[0]!.partitions[0]!;
    expect(p.logEndHistory.values()).toEqual([43, 44, 45, 46, 47, 48, 49, 50].map((i) => i * 10));
    expect(model.brokers[0]!.requestHandlerIdle.length).toBe(8);
  });

  it('rejects a history shorter than two points', () => {
    expect(() => foldAll([cluster({})], { historyLength: 1 })).toThrow(RangeError);
  });

  it('a group that appears later has a shorter history', () => {
    const s0 = cluster({ topics: { orders: 1 } });
    const s1 = step(s0, 2000);
    const s2 = step(s1, 2000, (d) => {
      d.groups.push({
        groupId: 'late',
        state: 'Empty',
        protocolType: 'consumer',
        protocol: '',
        members: [],
        totalLag: 0,
        partitions: [
          { topic: 'orders', partition: 0, committedOffset: 0, logEndOffset: 0, lag: 0, memberId: null },
        ],
      });
    });
    const { model } = foldAll([s0, s1, s2]);
    expect(model.groups[0]!.lagHistory.length).toBe(1);
  });
});

describe('BucketSeries (long history)', () => {
  it('keeps one point per bucket, the max (or min) of the folds in it, and the newest `capacity` buckets', () => {
    const max = new BucketSeries(3, 60_000, 'max');
    const min = new BucketSeries(3, 60_000, 'min');
    const points: [number, number][] = [
      [0, 5],
      [30_000, 9],
      [60_000, 2],
      [90_000, 1],
      [120_000, 7],
      [180_000, 3],
      [200_000, 4],
    ];
    for (const [t, v] of points) {
      max.push(t, v);
      min.push(t, v);
    }
    expect(max.view().values()).toEqual([2, 7, 4]);
    expect(max.view().times()).toEqual([60_000, 120_000, 180_000]);
    expect(min.view().values()).toEqual([1, 7, 3]);
    expect(max.view().length).toBe(3);
    expect(max.view().last).toBe(4);
  });

  it('skips unknown values', () => {
    const s = new BucketSeries(3, 1000, 'max');
    s.push(0, null);
    s.push(1000, Number.NaN);
    expect(s.view().length).toBe(0);
  });
});

describe('long history in the model', () => {
  it('keeps 24 h of group lag at one point a minute within 1440 points', () => {
    const s0 = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });
    // 25 hours at one refresh a minute, producing 1 message each.
    const snaps = [s0, ...steps(s0, 25 * 60, 60_000, (d) => produce(d, 'orders', 1))];
    const { model } = foldAll(snaps, { historyLength: 10 });
    const long = model.groups[0]!.longLagHistory;
    expect(long.length).toBe(1440);
    expect(long.last).toBe(1500);
    expect(long.values()[0]).toBe(61);
    expect(model.groups[0]!.lagHistory.length).toBe(10);
    expect(model.brokers[0]!.longRequestHandlerIdle.length).toBe(1440);
  });
});
