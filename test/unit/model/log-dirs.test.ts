/** Disk headroom per log dir: usable share, how fast it falls, time until full, errors as events, alerts. */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, LogDirSnapshot } from '../../../source/snapshot.js';
import { brokerOf, cluster, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

const GB = 1e9;
const base = cluster({ brokers: 1, topics: { orders: 1 } });

function dir(usableBytes: number, error: string | null = null): LogDirSnapshot {
  return { path: '/var/kafka/data', totalBytes: 1000 * GB, usableBytes, cordoned: false, error };
}

/** Refreshes every 2 s for `minutes`; usable bytes fall by `perSecond` (read every 30 s, carried between). */
function filling(minutes: number, startBytes: number, perSecond: number): ClusterSnapshot[] {
  const count = (minutes * 60) / 2;
  return [
    base,
    ...steps(base, count, 2000, (d, i) => {
      const t = (i + 1) * 2;
      const readAt = t - (t % 30);
      brokerOf(d, 1).logDirs = [dir(startBytes - readAt * perSecond)];
    }),
  ];
}

describe('log dir headroom', () => {
  it('the usable share, the rate it falls at and the time until full', () => {
    // 500 GB usable, losing 1 MB/s: full in ~5.8 days.
    const { model } = foldAll(filling(12, 500 * GB, 1e6));
    const d = model.brokers[0]!.logDirs[0]!;
    expect(d.path).toBe('/var/kafka/data');
    expect(d.usableRatio).toBeCloseTo(d.usableBytes! / (1000 * GB));
    expect(d.growthBytesPerSec).toBeCloseTo(1e6, -3);
    expect(d.fullInMs! / 86_400_000).toBeCloseTo(d.usableBytes! / 1e6 / 86_400, 1);
    expect(model.alerts.find((a) => a.rule.name === 'LogDirFullSoon')!.phase).toBe('inactive');
    expect(model.alerts.find((a) => a.rule.name === 'LogDirUsableLow')!.phase).toBe('inactive');
  });

  it('fires LogDirFullSoon when the volume fills within 24 h, LogDirUsableLow under 10% usable', () => {
    // 200 GB usable, losing 5 MB/s: full in ~11 h; then 80 GB (8%).
    const soon = foldAll(filling(25, 200 * GB, 5e6)).model;
    expect(soon.alerts.find((a) => a.rule.name === 'LogDirFullSoon')!.phase).toBe('firing');
    const low = foldAll(filling(8, 80 * GB, 0)).model;
    expect(low.brokers[0]!.logDirs[0]!.fullInMs).toBeNull();
    expect(low.alerts.find((a) => a.rule.name === 'LogDirUsableLow')!.phase).toBe('firing');
  });

  it('a log dir going offline is an event, and so is its recovery', () => {
    const snaps = [
      base,
      ...steps(base, 6, 2000, (d, i) => {
        brokerOf(d, 1).logDirs = [dir(500 * GB, i >= 2 && i < 4 ? 'KAFKA_STORAGE_ERROR' : null)];
      }),
    ];
    const { events } = foldAll(snaps);
    expect(ofKind(events, 'log-dir-error')).toMatchObject([
      { broker: 1, path: '/var/kafka/data', error: 'KAFKA_STORAGE_ERROR' },
    ]);
    expect(ofKind(events, 'log-dir-recovered')).toMatchObject([{ broker: 1, path: '/var/kafka/data' }]);
  });

  it('no log dirs known: none shown, no alert', () => {
    const { model } = foldAll([base, ...steps(base, 3, 2000)]);
    expect(model.brokers[0]!.logDirs).toEqual([]);
  });
});
