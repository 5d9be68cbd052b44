import { describe, expect, it } from 'vitest';
import { createModel } from '../../../source/model/index.js';
import type { ClusterModel } from '../../../source/model/types.js';
import { timeLagBand, UNKNOWN_BAND } from '../../../source/model/worst-first.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import { UNICODE_GLYPHS } from '../../../source/ui/glyphs.js';
import { groupTable } from '../../../source/ui/panes/groups.js';
import { cluster, groupPartitionOf, partitionOf, step, T0 } from '../../fixtures/snapshots/builders.js';

describe('time-lag bands', () => {
  it('puts time lags under the keeping-up floor in one band, then doublings', () => {
    expect(timeLagBand(null, 3)).toBe(UNKNOWN_BAND);
    expect([0, 400, 9_999].map((ms) => timeLagBand(ms, UNKNOWN_BAND))).toEqual([0, 0, 0]);
    expect([10_000, 19_999, 20_000, 45_000].map((ms) => timeLagBand(ms, UNKNOWN_BAND))).toEqual([1, 1, 2, 3]);
  });

  it('leaves a band only 25% past its edge', () => {
    expect(timeLagBand(12_000, 0)).toBe(0);
    expect(timeLagBand(12_600, 0)).toBe(1);
    expect(timeLagBand(8_100, 1)).toBe(1);
    expect(timeLagBand(7_900, 1)).toBe(0);
    expect(timeLagBand(24_000, 1)).toBe(1);
    expect(timeLagBand(25_100, 1)).toBe(2);
  });
});

const GROUPS = 8;
const INTERVAL = 2000;

/** Deterministic noise in [0, 1). */
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/**
 * Eight groups keeping up with their own topic at ~100 msg/s, each committing every 5 s at its own
 * phase: time lags jitter between 0 and ~5 s. From `stopAtMs` group g5 stops committing.
 */
function jittery(seconds: number, stopAtMs: number): ClusterSnapshot[] {
  const random = noise(3);
  const topics = Object.fromEntries(Array.from({ length: GROUPS }, (_, i) => [`t${i}`, 1]));
  const groups = Object.fromEntries(Array.from({ length: GROUPS }, (_, i) => [`g${i}`, { topic: `t${i}` }]));
  let prev = cluster({ topics, groups });
  const out = [prev];
  for (let ms = INTERVAL; ms <= seconds * 1000; ms += INTERVAL) {
    prev = step(prev, INTERVAL, (d) => {
      for (let i = 0; i < GROUPS; i++) {
        const p = partitionOf(d, `t${i}`, 0);
        p.logEndOffset = (p.logEndOffset ?? 0) + Math.round(150 + 100 * random());
        const commits = Math.floor((ms + i * 700) / 5000) !== Math.floor((ms - INTERVAL + i * 700) / 5000);
        if (commits && !(i === 5 && ms >= stopAtMs)) {
          groupPartitionOf(d, `g${i}`, `t${i}`, 0).committedOffset =
            p.logEndOffset - Math.round(random() * 30);
        }
      }
    });
    out.push(prev);
  }
  return out;
}

function paneOrder(m: ClusterModel): string[] {
  return groupTable(m.groups, UNICODE_GLYPHS).rows.map((r) => r.id);
}

describe('the groups pane order, worst first with hysteresis', () => {
  const STOP_AT = 40_000;
  const m = createModel();
  const models = jittery(90, STOP_AT).map((s) => m.fold(s));

  it('does not re-sort on sub-second jitter of groups keeping up', () => {
    const steady = models.slice(1).filter((x) => x.atMs! < T0 + STOP_AT);
    // The jitter is there: time lags of the same groups swap order between refreshes.
    const byTimeLag = steady.map((x) =>
      [...x.groups]
        .sort((a, b) => b.timeLagMs! - a.timeLagMs!)
        .map((g) => g.groupId)
        .join(),
    );
    expect(new Set(byTimeLag).size).toBeGreaterThan(5);
    expect(new Set(steady.map((x) => paneOrder(x).join())).size).toBe(1);
  });

  it('moves a group up once its rank changes meaningfully, and keeps the others in their order', () => {
    const last = models.at(-1)!;
    const g5 = last.groups.find((g) => g.groupId === 'g5')!;
    expect(g5.timeLagMs).toBeGreaterThan(30_000);
    const before = paneOrder(models[5]!);
    const after = paneOrder(last);
    expect(after[0]).toBe('g5');
    expect(after.slice(1)).toEqual(before.filter((id) => id !== 'g5'));
    // Once it moved, it stays: the order changes only where g5's band changes.
    const orders = models.slice(1).map((x) => paneOrder(x).join());
    const changes = orders.filter((o, i) => i > 0 && o !== orders[i - 1]).length;
    expect(changes).toBeLessThanOrEqual(4);
  });

  it('is a permutation: positions 0..n-1', () => {
    expect(
      models
        .at(-1)!
        .groups.map((g) => g.worstFirst)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
