/**
 * The groups pane's order, worst first, with hysteresis: a row moves only when its rank changes
 * meaningfully. Keys, most significant first:
 *   1. severity: ERROR › STOP › REWIND › STALL › WARN › OK › no status;
 *   2. time-lag band: unknown, under the keeping-up floor (10 s), then doublings (10–20 s, 20–40 s, …);
 *      a group leaves its band only when its time lag is 25% beyond the band's edge;
 *   3. the previous order (groups new to the list after the ones already in it);
 *   4. time lag, lag, group id (only for groups new to the list, and on the first refresh).
 * Sub-second jitter cannot cross a band edge by 25%, and within a band the previous order holds, so
 * the cursor's neighbourhood stays put (a group moved row 6→4→6→3→7→8 in 15 s when time lag sorted).
 */

import { STATUS_RANK } from './burrow.js';
import { KEEPING_UP_MS } from './lag-trend.js';
import type { GroupState } from './types.js';

/** How far past a band's edge a time lag must go before its group changes band. */
export const BAND_MARGIN = 1.25;
export const UNKNOWN_BAND = -1;

/** Lower edge of band `b` ≥ 1 in ms (band 0 starts at 0). */
function bandLow(b: number): number {
  return b === 0 ? 0 : KEEPING_UP_MS * 2 ** (b - 1);
}

/** The time-lag band of `ms`, kept at `prev` while `ms` stays within its edges widened by the margin. */
export function timeLagBand(ms: number | null, prev: number): number {
  if (ms === null) return UNKNOWN_BAND;
  if (prev >= 0 && ms >= bandLow(prev) / BAND_MARGIN && ms < bandLow(prev + 1) * BAND_MARGIN) return prev;
  return ms < KEEPING_UP_MS ? 0 : 1 + Math.floor(Math.log2(ms / KEEPING_UP_MS));
}

export function severity(g: GroupState): number {
  return g.error ? 5 : g.status === null ? -1 : STATUS_RANK[g.status];
}

export interface Ranked {
  readonly group: GroupState;
  readonly severity: number;
  readonly band: number;
  /** Position in the previous order; Infinity for a group new to the list. */
  readonly prevPos: number;
}

export function compareWorstFirst(a: Ranked, b: Ranked): number {
  return (
    b.severity - a.severity ||
    b.band - a.band ||
    (a.prevPos === b.prevPos ? 0 : a.prevPos < b.prevPos ? -1 : 1) ||
    (b.group.timeLagMs ?? -1) - (a.group.timeLagMs ?? -1) ||
    b.group.totalLag - a.group.totalLag ||
    (a.group.groupId < b.group.groupId ? -1 : a.group.groupId > b.group.groupId ? 1 : 0)
  );
}

/** Sorts `ranked` in place, worst first (O(n log n)), and returns it. */
export function worstFirst(ranked: Ranked[]): Ranked[] {
  return ranked.sort(compareWorstFirst);
}
