/**
 * A group's lag trend and catch-up ETA: signals people act on, so they must not flip on noise.
 *
 * Lag sampled at refresh time is a sawtooth: it climbs between a consumer's commits (every 5 s by
 * default) and drops at each one, so one sample against another says nothing. The trend is a
 * least-squares line through the last `TREND_WINDOW_MS` of the group's total lag; it is rising or falling
 * only when its slope is both significant against the residual noise (`TREND_T` standard errors) and
 * large against the group's throughput (`TREND_RELATIVE` of max(produce, consume) rate), and never
 * rising while the group keeps up (time lag under `KEEPING_UP_MS`). A reported trend holds until it drops
 * below half of every bar. docs/model.md gives the numbers' whys.
 */

import type { RingSeries } from './series.js';
import type { CatchUpEta, LagTrend } from './types.js';

/**
 * Samples of the last 90 s (at least `TREND_MIN_POINTS` of them at long intervals): long enough to
 * average over many commit intervals, short enough to react.
 */
export const TREND_WINDOW_MS = 90_000;
/** Fewer samples than this (10 s at 2 s) is too few to tell a trend from a commit: unknown. */
export const TREND_MIN_POINTS = 6;
/** At most this many newest samples (bounds the cost at short refresh intervals). */
export const TREND_MAX_POINTS = 64;
/** The slope must be this many standard errors away from 0. */
export const TREND_T = 3;
/** ...and at least this fraction of the group's throughput (msg/s). */
export const TREND_RELATIVE = 0.1;
/** A group whose time lag is under this keeps up, whatever its message lag does. */
export const KEEPING_UP_MS = 10_000;
/** ETAs beyond this read `> 7d`: at that distance the figure is noise. */
export const ETA_CAP_MS = 7 * 24 * 3_600_000;

/** The last fit, reused: the fold computes one per group per refresh without allocating. */
export interface TrendFit {
  trend: LagTrend;
  /** Messages per second; 0 when unknown. */
  slope: number;
}

/**
 * Keeping up: time lag under the floor, or, while time lag is unknown, lag under what the group
 * moves in that time. `rising`: the trend reported last; it holds until the time lag is under half the
 * floor, as the slope's bars do (a consumer at 85% of the produce rate jitters around 10 s for a minute).
 */
export function keepingUp(
  lag: number,
  timeLagMs: number | null,
  throughput: number | null,
  rising: boolean,
): boolean {
  const floorMs = rising ? KEEPING_UP_MS / 2 : KEEPING_UP_MS;
  if (timeLagMs !== null) return timeLagMs < floorMs;
  return throughput !== null && throughput > 0 && lag <= (throughput * floorMs) / 1000;
}

export function throughputOf(consumeRate: number | null, produceRate: number | null): number | null {
  if (consumeRate === null) return produceRate;
  if (produceRate === null) return consumeRate;
  return Math.max(consumeRate, produceRate);
}

/**
 * Fits the lag history (group total lag) ending at its newest sample; writes `out` and returns it.
 * `keptUp` says the group keeps up now (see `keepingUp`): then it never reads rising. `prev` is the
 * trend reported last refresh.
 */
export function fitLagTrend(
  history: RingSeries,
  throughput: number | null,
  keptUp: boolean,
  prev: LagTrend,
  out: TrendFit,
): TrendFit {
  out.trend = 'unknown';
  out.slope = 0;
  if (history.length < TREND_MIN_POINTS) return out;
  const lastSeq = history.lastSeq;
  const first = history.firstSeq;
  const t0 = history.timeAt(lastSeq);
  const from = t0 - TREND_WINDOW_MS;
  // Sums of t (seconds before the newest sample, ≤ 0) and y (lag minus the newest known lag, for precision).
  let n = 0;
  let y0 = Number.NaN;
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  let syy = 0;
  for (let s = lastSeq; s >= first && n < TREND_MAX_POINTS; s--) {
    const at = history.timeAt(s);
    if (at < from && n >= TREND_MIN_POINTS) break;
    const v = history.valueAt(s);
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(y0)) y0 = v;
    const t = (at - t0) / 1000;
    const y = v - y0;
    n++;
    st += t;
    sy += y;
    stt += t * t;
    sty += t * y;
    syy += y * y;
  }
  if (n < TREND_MIN_POINTS) return out;
  const sxx = stt - (st * st) / n;
  if (sxx <= 0) return out;
  const sxy = sty - (st * sy) / n;
  const slope = sxy / sxx;
  const sse = Math.max(0, syy - (sy * sy) / n - slope * sxy);
  const se = Math.sqrt(sse / (n - 2) / sxx);
  out.slope = slope;
  // Hysteresis: a trend already reported holds until it falls below half the bars that started it.
  const k = prev === (slope > 0 ? 'rising' : 'falling') ? 0.5 : 1;
  const significant = Math.abs(slope) > k * TREND_T * se;
  const large = throughput === null || Math.abs(slope) > k * TREND_RELATIVE * throughput;
  if (significant && large && slope > 0 && !keptUp) out.trend = 'rising';
  else if (significant && large && slope < 0) out.trend = 'falling';
  else out.trend = 'flat';
  return out;
}

/**
 * Time to catch up: `keeping-up` under the floor; from the trend's slope when the lag is falling; from
 * consume − produce when consumption clearly outpaces production (by `TREND_RELATIVE` of the throughput:
 * a smaller surplus is noise of the rate window, and would flap between an ETA and none); else
 * `not-catching-up`, or `unknown` while neither the trend nor the rates are known.
 */
export function eta(
  lag: number,
  consumeRate: number | null,
  produceRate: number | null,
  timeLagMs: number | null,
  fit: TrendFit,
): CatchUpEta {
  if (lag === 0) return CAUGHT_UP;
  const throughput = throughputOf(consumeRate, produceRate);
  // A trend that reads rising is not keeping up: the same floor, with the same hysteresis.
  if (keepingUp(lag, timeLagMs, throughput, fit.trend === 'rising')) return KEEPING_UP;
  if (fit.trend === 'falling') return etaIn((lag / -fit.slope) * 1000);
  if (consumeRate === null || produceRate === null || throughput === null) return UNKNOWN;
  const net = consumeRate - produceRate;
  if (net > TREND_RELATIVE * throughput) return etaIn((lag / net) * 1000);
  return fit.trend === 'unknown' ? UNKNOWN : NOT_CATCHING_UP;
}

function etaIn(ms: number): CatchUpEta {
  return { kind: 'eta', ms: Math.min(ETA_CAP_MS + 1, ms) };
}

const CAUGHT_UP: CatchUpEta = Object.freeze({ kind: 'caught-up' });
const KEEPING_UP: CatchUpEta = Object.freeze({ kind: 'keeping-up' });
const NOT_CATCHING_UP: CatchUpEta = Object.freeze({ kind: 'not-catching-up' });
const UNKNOWN: CatchUpEta = Object.freeze({ kind: 'unknown' });
