/**
 * Rates and lag in time from offset histories.
 *
 * Time lag follows kafka-lag-exporter: the partition's log-end history is a table of
 * (log-end offset, time) points; the committed offset is located between the two points that
 * bracket it and the time it was the log end is interpolated linearly. Time lag = now − that time.
 * When the committed offset is older than the whole table, the table's mean rate is extrapolated
 * backwards and the result is marked as an estimate.
 */

import type { RingSeries } from './series.js';

export interface TimeLag {
  readonly ms: number;
  readonly estimated: boolean;
}

/**
 * @param logEnd the partition's log-end history (non-decreasing; NaN where unknown)
 * @param committed the group's committed offset
 * @param nowMs model time
 */
export function timeLag(logEnd: RingSeries, committed: number, nowMs: number): TimeLag | null {
  if (logEnd.length === 0) return null;
  const first = logEnd.firstSeq;
  const lastSeq = logEnd.lastSeq;
  // Newest known point: caught up when the commit reached it.
  let newest = lastSeq;
  while (newest >= first && Number.isNaN(logEnd.valueAt(newest))) newest--;
  if (newest < first) return null;
  if (committed >= logEnd.valueAt(newest)) return { ms: 0, estimated: false };

  // Walk back from the newest point: consumers are usually near the end, so this is short.
  let above = newest; // a point whose offset is > committed
  for (let s = newest - 1; s >= first; s--) {
    const o = logEnd.valueAt(s);
    if (Number.isNaN(o)) continue;
    if (o <= committed) {
      const oAbove = logEnd.valueAt(above);
      const t = logEnd.timeAt(s);
      const tAbove = logEnd.timeAt(above);
      const producedAt = t + ((committed - o) / (oAbove - o)) * (tAbove - t);
      return { ms: Math.max(0, nowMs - producedAt), estimated: false };
    }
    above = s;
  }

  // Older than the table: extrapolate with its mean rate.
  const oldestOffset = logEnd.valueAt(above);
  const oldestTime = logEnd.timeAt(above);
  const span = logEnd.timeAt(newest) - oldestTime;
  const produced = logEnd.valueAt(newest) - oldestOffset;
  if (span <= 0 || produced <= 0) {
    // One point only: the commit is at least as old as it.
    return { ms: Math.max(0, nowMs - oldestTime), estimated: true };
  }
  const rate = produced / span;
  const producedAt = oldestTime - (oldestOffset - committed) / rate;
  return { ms: Math.max(0, nowMs - producedAt), estimated: true };
}

/**
 * Per-second rate of a non-decreasing counter over the last `window` folds (or fewer when the
 * history is shorter). null with fewer than two known points or when the counter went down.
 */
export function ratePerSecond(series: RingSeries, window: number): number | null {
  if (series.length < 2) return null;
  const lastSeq = series.lastSeq;
  let newest = lastSeq;
  const floor = Math.max(series.firstSeq, lastSeq - window);
  while (newest >= floor && Number.isNaN(series.valueAt(newest))) newest--;
  let oldest = floor;
  while (oldest < newest && Number.isNaN(series.valueAt(oldest))) oldest++;
  if (oldest >= newest) return null;
  const dv = series.valueAt(newest) - series.valueAt(oldest);
  const dt = series.timeAt(newest) - series.timeAt(oldest);
  if (dt <= 0 || dv < 0) return null;
  return (dv / dt) * 1000;
}
