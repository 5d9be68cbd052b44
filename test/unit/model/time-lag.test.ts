import { describe, expect, it } from 'vitest';
import { RingSeries, TimeAxis } from '../../../source/model/series.js';
import { ratePerSecond, timeLag } from '../../../source/model/time-lag.js';
import {
  cluster,
  consume,
  groupPartitionOf,
  produce,
  step,
  steps,
} from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

/** A log end recorded every `dtMs`, starting at time 0. */
function history(logEnds: readonly (number | null)[], dtMs = 1000, capacity = 100): RingSeries {
  const axis = new TimeAxis(capacity);
  const s = new RingSeries(axis);
  logEnds.forEach((o, i) => {
    axis.advance(i * dtMs);
    s.push(o);
  });
  return s;
}

describe('timeLag (kafka-lag-exporter interpolation)', () => {
  // 100 messages per second for 10 s: log end 0, 100, ..., 1000 at t = 0 .. 10 s.
  const steady = history(Array.from({ length: 11 }, (_, i) => i * 100));

  it('is 0 when the commit reached the log end', () => {
    expect(timeLag(steady, 1000, 10_000)).toEqual({ ms: 0, estimated: false });
    expect(timeLag(steady, 1200, 10_000)).toEqual({ ms: 0, estimated: false });
  });

  it('interpolates between the two points that bracket the commit', () => {
    // Offset 450 was the log end at 4.5 s; now is 10 s.
    expect(timeLag(steady, 450, 10_000)).toEqual({ ms: 5500, estimated: false });
    // Exactly on a point.
    expect(timeLag(steady, 300, 12_000)).toEqual({ ms: 9000, estimated: false });
  });

  it('follows an uneven produce history', () => {
    // Nothing produced from 2 s to 6 s, then a burst of 1000 in one second.
    const bursty = history([0, 100, 200, 200, 200, 200, 200, 1200, 1300]);
    // 700 was the log end half-way through the burst, at 6.5 s; now = 8 s.
    expect(timeLag(bursty, 700, 8000)).toEqual({ ms: 1500, estimated: false });
    // 200 was first reached at 2 s, and stayed: the latest point still at 200 (6 s) brackets it.
    expect(timeLag(bursty, 200, 8000)).toEqual({ ms: 2000, estimated: false });
  });

  it('extrapolates with the mean rate when the commit is older than the table, marked as an estimate', () => {
    const recent = history([5000, 5100, 5200]); // 100/s, t = 0..2 s
    // 4500 is 500 before the oldest point at 100/s: produced 5 s before t = 0; now = 2 s.
    expect(timeLag(recent, 4500, 2000)).toEqual({ ms: 7000, estimated: true });
  });

  it('is unknown behind a single point (no bracket, no rate), not 0', () => {
    expect(timeLag(history([500]), 100, 0)).toBeNull();
    expect(timeLag(history([500, null]), 100, 1000)).toBeNull();
    // At the log end it is 0 with one point too: that is known.
    expect(timeLag(history([500]), 500, 0)).toEqual({ ms: 0, estimated: false });
  });

  it('gives a lower bound, marked estimated, when nothing was produced over the table', () => {
    expect(timeLag(history([500, 500]), 100, 3000)).toEqual({ ms: 3000, estimated: true });
  });

  it('is unknown on the first refresh for a group far behind, then an estimate', () => {
    const s0 = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });
    const behind = step(s0, 0, (d) => produce(d, 'orders', 7800));
    const first = foldAll([behind]).model.groups[0]!;
    expect(first.totalLag).toBe(7800);
    expect(first.timeLagMs).toBeNull();
    const later = foldAll([behind, step(behind, 2000, (d) => produce(d, 'orders', 60))]).model.groups[0]!;
    expect(later.timeLagMs).toBeGreaterThan(60_000);
    expect(later.timeLagEstimated).toBe(true);
  });

  it('is unknown for the group while one lagging partition is unknown, even if another is caught up', () => {
    const s0 = cluster({ topics: { orders: 2 }, groups: { app: { topic: 'orders' } } });
    const behind = step(s0, 0, (d) => produce(d, 'orders', 7800, 1));
    const g = foldAll([behind]).model.groups[0]!;
    expect(g.partitions.map((p) => p.timeLagMs)).toEqual([0, null]);
    expect(g.timeLagMs).toBeNull();
  });

  it('skips unknown points and returns null without any', () => {
    expect(timeLag(history([0, null, 200, null, 400]), 300, 4000)).toEqual({ ms: 1000, estimated: false });
    expect(timeLag(history([null, null]), 0, 1000)).toBeNull();
  });
});

describe('ratePerSecond', () => {
  it('averages over the window', () => {
    expect(ratePerSecond(history([0, 100, 300, 600, 1000]), 2)).toBe(350);
    expect(ratePerSecond(history([0, 100, 300, 600, 1000]), 10)).toBe(250);
  });

  it('is null with one point or a counter that went down', () => {
    expect(ratePerSecond(history([5]), 5)).toBeNull();
    expect(ratePerSecond(history([500, 100]), 5)).toBeNull();
  });
});

describe('time lag, rates and ETA in the model', () => {
  it('reports rising time lag for a consumer slower than the producer', () => {
    const s0 = cluster({ topics: { orders: 1 }, groups: { slow: { topic: 'orders' } } });
    // 200 msg/s produced, 100 msg/s consumed, refresh every 2 s.
    const snaps = [
      s0,
      ...steps(s0, 30, 2000, (d) => {
        produce(d, 'orders', 400);
        consume(d, 'slow', 200);
      }),
    ];
    const { model } = foldAll(snaps);
    const g = model.groups[0]!;
    const gp = g.partitions[0]!;
    expect(gp.lag).toBe(30 * 200);
    // committed 6000 was the log end at 30 s (400 per 2 s); now is 60 s.
    expect(gp.timeLagMs).toBe(30_000);
    expect(gp.timeLagEstimated).toBe(false);
    expect(g.timeLagMs).toBe(30_000);
    expect(gp.produceRate).toBe(200);
    expect(gp.consumeRate).toBe(100);
    expect(g.eta).toEqual({ kind: 'not-catching-up' });
    expect(g.lagTrend).toBe('rising');
  });

  it('computes a catch-up ETA when consuming faster than producing', () => {
    const s0 = cluster({ topics: { orders: 1 }, groups: { fast: { topic: 'orders' } } });
    const warmup = steps(s0, 5, 2000, (d) => produce(d, 'orders', 2000));
    const catching = steps(warmup[4]!, 6, 2000, (d) => {
      produce(d, 'orders', 200); // 100/s
      consume(d, 'fast', 600); // 300/s
    });
    const { model } = foldAll([s0, ...warmup, ...catching]);
    const g = model.groups[0]!;
    const lag = groupPartitionOf(catching[5]!, 'fast', 'orders', 0).lag!;
    expect(g.totalLag).toBe(lag);
    expect(g.eta).toEqual({ kind: 'eta', ms: (lag / 200) * 1000 });
  });

  it('is 0 and caught-up when the group is at the log end', () => {
    const s0 = cluster({ topics: { orders: 2 }, groups: { idle: { topic: 'orders' } } });
    const { model } = foldAll([s0, ...steps(s0, 3, 2000)]);
    expect(model.groups[0]!.timeLagMs).toBe(0);
    expect(model.groups[0]!.eta).toEqual({ kind: 'caught-up' });
  });

  it('reports no time lag for a partition with no commit', () => {
    const s0 = cluster({ topics: { orders: 1 }, groups: { fresh: { topic: 'orders' } } });
    s0.groups[0]!.partitions[0]!.committedOffset = null;
    s0.groups[0]!.partitions[0]!.lag = null;
    const { model } = foldAll([s0]);
    expect(model.groups[0]!.partitions[0]!.timeLagMs).toBeNull();
    expect(model.groups[0]!.partitions[0]!.status).toBeNull();
    expect(model.groups[0]!.partitions[0]!.statusReason).toBe('no commit');
  });
});
