import { describe, expect, it } from 'vitest';
import { IdleRateTracker } from '../../../source/metrics/idle-rate.js';

describe('IdleRateTracker', () => {
  it('rates the idle-nanosecond count over the elapsed time', () => {
    const tracker = new IdleRateTracker(0);
    expect(tracker.observe(1, 1_000_000_000_000, 10_000)).toBeNull();
    // 2 s later, 1.8e9 idle ns more: 90 % idle.
    expect(tracker.observe(1, 1_001_800_000_000, 12_000)).toBeCloseTo(0.9, 12);
    // Next interval, fully busy.
    expect(tracker.observe(1, 1_001_800_000_000, 14_000)).toBe(0);
  });

  it('keeps brokers apart', () => {
    const tracker = new IdleRateTracker();
    tracker.observe(1, 5e12, 0);
    tracker.observe(2, 7e12, 0);
    expect(tracker.observe(1, 5e12 + 1e9, 1000)).toBeCloseTo(1, 12);
    expect(tracker.observe(2, 7e12 + 2.5e8, 1000)).toBeCloseTo(0.25, 12);
  });

  it('returns null after a counter reset (broker restart), then rates from the new base', () => {
    const tracker = new IdleRateTracker();
    tracker.observe(3, 9e12, 0);
    expect(tracker.observe(3, 2e9, 2000)).toBeNull();
    expect(tracker.observe(3, 2e9 + 1e9, 4000)).toBeCloseTo(0.5, 12);
  });

  it('returns null when the clock did not move forward', () => {
    const tracker = new IdleRateTracker();
    tracker.observe(1, 1e12, 5000);
    expect(tracker.observe(1, 1e12 + 5e8, 5000)).toBeNull();
    expect(tracker.observe(1, 1e12 + 5e8, 4000)).toBeNull();
  });

  it('rates over the window once enough readings exist, smoothing the coarse count', () => {
    const tracker = new IdleRateTracker(10_000);
    tracker.observe(1, 0, 0);
    // 75 % idle for 10 s, noisy per 2 s step as Kafka marks idle time in chunks.
    const steps = [1.6e9, 1.4e9, 1.65e9, 1.35e9, 1.5e9, 2e9, 2e9];
    let count = 0;
    const rates: (number | null)[] = [];
    steps.forEach((step, i) => {
      count += step;
      rates.push(tracker.observe(1, count, (i + 1) * 2000));
    });
    expect(rates[0]).toBeCloseTo(0.8, 12); // only two readings yet
    expect(rates[4]).toBeCloseTo(0.75, 12); // (0..10 s)
    // 12 s: the window starts at the newest reading at or before 2 s.
    expect(rates[5]).toBeCloseTo((count - 2e9 - 1.6e9) / 10e9, 12);
    // 14 s: from 4 s, so the recent full idle shows through.
    expect(rates[6]).toBeCloseTo((1.65e9 + 1.35e9 + 1.5e9 + 2e9 + 2e9) / 10e9, 12);
  });

  it('keeps values above 1 (KRaft combined nodes, KAFKA-19606) instead of clamping them', () => {
    const tracker = new IdleRateTracker();
    tracker.observe(1, 1e12, 0);
    expect(tracker.observe(1, 1e12 + 3.9e9, 2000)).toBeCloseTo(1.95, 12);
  });

  it('reaches back until the read times are precise enough for the span, and is null until then', () => {
    const tracker = new IdleRateTracker(10_000);
    // A slow exporter: each count read somewhere within ±2.5 s of its estimated time, every 10 s,
    // on a broker 60% idle. Rated over 10 s that could read 0.4 to 1.2; over 50 s, within 10%.
    const rates: (number | null)[] = [];
    for (let s = 0; s <= 70; s += 10) rates.push(tracker.observe(1, 0.6e9 * s, s * 1000, 2500));
    expect(rates.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(rates[5]).toBeCloseTo(0.6, 12); // 50 s: from 0 s
    expect(rates[7]).toBeCloseTo(0.6, 12);
  });

  it("a cold exporter's first imprecise reading is passed over once precise ones span the window", () => {
    const tracker = new IdleRateTracker(10_000);
    // The first answer's walk took 10 s (±5 s); the real read was early in it, so its count is low
    // for its estimated time: rated against it over 8 s, the broker would read about 2× idle.
    tracker.observe(1, 0, 0, 5000);
    expect(tracker.observe(1, 13e9, 8000, 500)).toBeNull();
    expect(tracker.observe(1, 15e9, 10_000, 500)).toBeNull();
    // 20 s: the reading at 10 s is a window old and precise: rated from it, not from the first.
    expect(tracker.observe(1, 25e9, 20_000, 500)).toBeCloseTo(1, 12);
  });

  it('forgets the previous sample when the count disappears', () => {
    const tracker = new IdleRateTracker();
    tracker.observe(1, 1e12, 0);
    tracker.observe(1, null, 1000);
    expect(tracker.observe(1, 1e12 + 1e9, 2000)).toBeNull();
  });
});
