/**
 * What the model keeps, and how compactly: integer-coded ring buffers (exact values at 2, 4 or 8 bytes a
 * point), long history grown on demand, time lag found by bisection, and group-partition detail built
 * on demand yet frozen at its own fold.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../source/model/index.js';
import { BucketSeries, RingSeries, TimeAxis } from '../../../source/model/series.js';
import { timeLag } from '../../../source/model/time-lag.js';
import { cluster, consume, produce, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function record(values: readonly (number | null)[], capacity: number): RingSeries {
  const axis = new TimeAxis(capacity);
  const s = new RingSeries(axis);
  values.forEach((v, i) => {
    axis.advance(i * 1000);
    s.push(v);
  });
  return s;
}

const expected = (values: readonly (number | null)[], capacity: number) =>
  values.slice(-capacity).map((v) => v ?? Number.NaN);

describe('RingSeries integer coding', () => {
  it('holds small non-negative integers in 2 bytes a point, exactly', () => {
    const values = [0, 5, 65_000, null, 12, 0];
    const s = record(values, 8);
    expect(s.bytesPerPoint).toBe(2);
    expect(s.view().values()).toEqual(expected(values, 8));
  });

  it('moves to 4 bytes for a wider range, then to 8 for a range beyond 32 bits or a fraction, keeping every value', () => {
    const wide = [0, 70_000, 3, null, 4_000_000_000];
    const s = record(wide, 8);
    expect(s.bytesPerPoint).toBe(4);
    expect(s.view().values()).toEqual(expected(wide, 8));
    const wider = [...wide, 2 ** 40, 7];
    const t = record(wider, 8);
    expect(t.bytesPerPoint).toBe(8);
    expect(t.view().values()).toEqual(expected(wider, 8));
    const fractions = [3, 0.25, null, 0.8];
    const f = record(fractions, 8);
    expect(f.bytesPerPoint).toBe(8);
    expect(f.view().values()).toEqual(expected(fractions, 8));
  });

  it('keeps a large growing counter (a log end) in 2 bytes by coding it against a base', () => {
    const counter = Array.from({ length: 200 }, (_, i) => 9_000_000_000 + i * 100);
    const s = record(counter, 50);
    expect(s.bytesPerPoint).toBe(2);
    expect(s.view().values()).toEqual(expected(counter, 50));
    expect(s.last).toBe(counter[counter.length - 1]);
  });

  it('returns exactly what was pushed for random integer walks (negative, gaps, jumps) once the ring wraps', () => {
    const random = rng(7);
    for (let run = 0; run < 40; run++) {
      const capacity = 2 + Math.floor(random() * 30);
      const values: (number | null)[] = [];
      let v = Math.floor((random() - 0.5) * 2 ** 34);
      for (let i = 0; i < capacity * 3; i++) {
        const r = random();
        if (r < 0.1) values.push(null);
        else {
          v += r < 0.15 ? Math.floor((random() - 0.5) * 2 ** 33) : Math.floor(random() * 300) - 100;
          values.push(v);
        }
      }
      const s = record(values, capacity);
      expect(s.view().values()).toEqual(expected(values, capacity));
    }
  });

  it('an older view still reads its own values after the series changed width', () => {
    const axis = new TimeAxis(6);
    const s = new RingSeries(axis);
    for (const v of [1, 2, 3]) {
      axis.advance(v);
      s.push(v);
    }
    const old = s.view();
    axis.advance(4);
    s.push(2 ** 40);
    expect(s.bytesPerPoint).toBe(8);
    expect(old.values()).toEqual([1, 2, 3]);
    expect(s.view().values()).toEqual([1, 2, 3, 2 ** 40]);
  });
});

describe('timeLag by bisection', () => {
  /** The linear walk from the newest point that bisection replaced: the reference. */
  function reference(logEnd: readonly (number | null)[], committed: number, nowMs: number) {
    const known = logEnd.flatMap((o, i) => (o === null ? [] : [{ o, t: i * 1000 }]));
    if (known.length === 0) return null;
    const newest = known[known.length - 1]!;
    if (committed >= newest.o) return { ms: 0, estimated: false };
    let above = newest;
    for (let k = known.length - 2; k >= 0; k--) {
      const p = known[k]!;
      if (p.o <= committed) {
        const at = p.t + ((committed - p.o) / (above.o - p.o)) * (above.t - p.t);
        return { ms: Math.max(0, nowMs - at), estimated: false };
      }
      above = p;
    }
    if (above === newest) return null;
    const span = newest.t - above.t;
    const produced = newest.o - above.o;
    if (span <= 0 || produced <= 0) return { ms: Math.max(0, nowMs - above.t), estimated: true };
    return {
      ms: Math.max(0, nowMs - (above.t - (above.o - committed) / (produced / span))),
      estimated: true,
    };
  }

  it('finds the same bracketing points as a linear walk, with unknown points and flat stretches', () => {
    const random = rng(11);
    for (let run = 0; run < 200; run++) {
      const length = 1 + Math.floor(random() * 60);
      const logEnd: (number | null)[] = [];
      let o = Math.floor(random() * 1000);
      for (let i = 0; i < length; i++) {
        if (random() < 0.15) logEnd.push(null);
        else {
          o += random() < 0.3 ? 0 : Math.floor(random() * 50);
          logEnd.push(o);
        }
      }
      const now = length * 1000 + 500;
      const s = record(logEnd, 64);
      for (const committed of [o, o - 1, o - 37, o - 400, -5, Math.floor(random() * o)]) {
        expect(timeLag(s, committed, now), `run ${run}, committed ${committed}`).toEqual(
          reference(logEnd, committed, now),
        );
      }
    }
  });
});

describe('long history is allocated as it fills', () => {
  it('holds 16 buckets after a few minutes, grows to capacity by doubling, and keeps values across growth and wrap', () => {
    const s = new BucketSeries(100, 1000, 'max');
    for (let i = 0; i < 5; i++) s.push(i * 1000, i);
    expect(s.allocated).toBe(16);
    for (let i = 5; i < 250; i++) s.push(i * 1000, i);
    expect(s.allocated).toBe(100);
    expect(s.view().values()).toEqual(Array.from({ length: 100 }, (_, k) => 150 + k));
    expect(s.view().times()[0]).toBe(150_000);
  });
});

describe('group-partition detail built on demand', () => {
  const s0 = cluster({ topics: { orders: 3 }, groups: { app: { topic: 'orders', members: 2 } } });
  const snaps = [
    s0,
    ...steps(s0, 30, 2000, (d, i) => {
      produce(d, 'orders', 100 + i);
      if (i % 3 !== 0) consume(d, 'app', 90);
    }),
  ];

  it('a group kept from an earlier fold (a frozen display) shows that fold’s partitions when read folds later', () => {
    const eager = foldAll(snaps.slice(0, 12), { historyLength: 20 }).model.groups[0]!;
    const expectedParts = eager.partitions.map((p) => ({ ...p, lagHistory: p.lagHistory.values() }));

    const model = createModel({ historyLength: 20 });
    for (const s of snaps.slice(0, 12)) model.fold(s);
    const frozen = model.get().groups[0]!;
    // Within the history length, so the old lag history is still intact (see Series).
    for (const s of snaps.slice(12, 20)) model.fold(s);
    const late = frozen.partitions.map((p) => ({ ...p, lagHistory: p.lagHistory.values() }));
    expect(late).toEqual(expectedParts);
    expect(model.get().groups[0]!.partitions[0]!.lagHistory.length).toBe(20);
    expect(late[0]!.lagHistory).toHaveLength(12);
    expect(late.some((p) => p.timeLagMs !== null && p.timeLagMs > 0)).toBe(true);
  });

  it('builds the partitions once per fold, in snapshot order', () => {
    const g = foldAll(snaps, { historyLength: 20 }).model.groups[0]!;
    expect(g.partitions).toBe(g.partitions);
    expect(g.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual([
      'orders-0',
      'orders-1',
      'orders-2',
    ]);
  });
});

describe('log-end history', () => {
  it('restarts when a log end went back, even with an unknown refresh in between (a recreated topic)', () => {
    const s0 = cluster({ topics: { orders: 1 } });
    const [s1, s2, s3] = steps(s0, 3, 2000, (d, i) => {
      const p = d.topics[0]!.partitions[0]!;
      p.logEndOffset = i === 0 ? 500 : i === 1 ? null : 20;
    });
    const p = foldAll([s0, s1!, s2!, s3!]).model.topics[0]!.partitions[0]!;
    expect(p.logEndHistory.values()).toEqual([20]);
  });
});
