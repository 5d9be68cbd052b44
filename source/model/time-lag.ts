/**
 * Rates and lag in time from offset histories.
 *
 * Time lag follows kafka-lag-exporter: the partition's log-end history is a table of
 * (log-end offset, time) points; the committed offset is located between the two points that
 * bracket it and the time it was the log end is interpolated linearly. Time lag = now − that time.
 * When the committed offset is older than the whole table, the table's mean rate is extrapolated
 * backwards and the result is marked as an estimate. With a single point there is neither a bracket nor
 * a rate: the time lag is unknown (null), never 0.
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
  const out = { ms: 0, estimated: false };
  return timeLagInto(logEnd, committed, nowMs, out) ? out : null;
}

/** Newest seq in [floor, from] with a known value, or floor − 1. */
function knownAtOrBefore(logEnd: RingSeries, from: number, floor: number): number {
  let s = from;
  while (s >= floor && Number.isNaN(logEnd.valueAt(s))) s--;
  return s;
}

/**
 * `timeLag` without allocating (the fold calls it for every group-partition): writes into `out`,
 * false when there is no time lag. Known log ends never decrease, so the newest point at or below
 * the commit is found by galloping back from the newest point (consumers are usually near the end)
 * and then bisecting: O(log n) however far behind the consumer is.
 */
export function timeLagInto(
  logEnd: RingSeries,
  committed: number,
  nowMs: number,
  out: { ms: number; estimated: boolean },
): boolean {
  if (logEnd.length === 0) return false;
  const first = logEnd.firstSeq;
  const newest = knownAtOrBefore(logEnd, logEnd.lastSeq, first);
  if (newest < first) return false;
  const newestOffset = logEnd.valueAt(newest);
  if (committed >= newestOffset) {
    out.ms = 0;
    out.estimated = false;
    return true;
  }
  // Invariant: `hi` is a known point above the commit; `lo` is a known point at or below it, or first − 1.
  let hi = newest;
  let lo = first - 1;
  for (let step = 1; ; step *= 2) {
    const s = knownAtOrBefore(logEnd, Math.max(first, hi - step), first);
    if (s < first) break;
    if (logEnd.valueAt(s) <= committed) {
      lo = s;
      break;
    }
    hi = s;
    if (s === first) break;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    let s = knownAtOrBefore(logEnd, mid, lo + 1);
    if (s <= lo) {
      s = mid + 1;
      while (s < hi && Number.isNaN(logEnd.valueAt(s))) s++;
      if (s >= hi) break;
    }
    if (logEnd.valueAt(s) <= committed) lo = s;
    else hi = s;
  }

  if (lo >= first) {
    const o = logEnd.valueAt(lo);
    const t = logEnd.timeAt(lo);
    const tAbove = logEnd.timeAt(hi);
    const producedAt = t + ((committed - o) / (logEnd.valueAt(hi) - o)) * (tAbove - t);
    out.ms = Math.max(0, nowMs - producedAt);
    out.estimated = false;
    return true;
  }

  // Older than the table (`hi` is its oldest known point): extrapolate with its mean rate.
  const oldestOffset = logEnd.valueAt(hi);
  const oldestTime = logEnd.timeAt(hi);
  // One point brackets nothing and gives no rate: unknown, not 0 (it read ~0s for a group 7.8k behind).
  if (hi === newest) return false;
  const span = logEnd.timeAt(newest) - oldestTime;
  const produced = newestOffset - oldestOffset;
  out.estimated = true;
  if (span <= 0 || produced <= 0) {
    // Nothing produced over the table: the commit is at least as old as its oldest point.
    out.ms = Math.max(0, nowMs - oldestTime);
    return true;
  }
  const rate = produced / span;
  const producedAt = oldestTime - (oldestOffset - committed) / rate;
  out.ms = Math.max(0, nowMs - producedAt);
  return true;
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
