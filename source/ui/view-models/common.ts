/** Small helpers shared by the view-models: status words, memoization, cells. */

import type { CatchUpEta, ConsumerStatus, RetentionRisk, Series } from '../../model/types.js';
import { formatCount, formatDuration, formatEta, formatExact } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import type { Cell, Tone } from './table.js';

/** Worst last, as the model ranks them. */
export const STATUS_ORDER: Readonly<Record<ConsumerStatus, number>> = {
  OK: 0,
  WARN: 1,
  STALL: 2,
  REWIND: 3,
  STOP: 4,
};

export function statusTone(status: ConsumerStatus | null): Tone {
  if (status === null) return 'muted';
  if (status === 'OK') return 'ok';
  if (status === 'WARN') return 'warn';
  return 'crit';
}

/** Symbol and word, so the status reads without colour. */
export function statusCell(status: ConsumerStatus | null, glyphs: Glyphs): Cell {
  const tone = statusTone(status);
  const symbol =
    tone === 'crit' ? glyphs.crit : tone === 'warn' ? glyphs.warn : tone === 'ok' ? glyphs.ok : glyphs.info;
  return { text: `${symbol} ${status ?? '–'}`, tone };
}

export function toneSymbol(tone: Tone | undefined, glyphs: Glyphs): string {
  if (tone === 'crit') return glyphs.crit;
  if (tone === 'warn') return glyphs.warn;
  if (tone === 'ok') return glyphs.ok;
  return glyphs.info;
}

export function etaText(eta: CatchUpEta): Cell {
  const tone = eta.kind === 'not-catching-up' ? 'warn' : eta.kind === 'eta' ? undefined : 'muted';
  return { text: formatEta(eta), tone };
}

export function etaSortKey(eta: CatchUpEta): number {
  if (eta.kind === 'not-catching-up') return Number.MAX_SAFE_INTEGER;
  if (eta.kind === 'eta') return eta.ms;
  return eta.kind === 'keeping-up' ? 0 : -1;
}

export function retentionText(risk: RetentionRisk): Cell {
  switch (risk.kind) {
    case 'data-lost':
      return { text: `DATA LOST ${formatCount(risk.offsetsLost)} msgs`, tone: 'crit' };
    case 'overtaken-in':
      return {
        text: `retention overtakes in ${risk.estimated ? '~' : ''}${formatDuration(risk.ms)}`,
        tone: risk.ms < 3_600_000 ? 'crit' : 'warn',
      };
    case 'safe':
      return { text: 'retention safe', tone: 'ok' };
    case 'none':
      return { text: 'no retention limit', tone: 'muted' };
    case 'unknown':
      return { text: `retention ? (${sanitize(risk.reason)})`, tone: 'muted' };
  }
}

export function timeLagText(ms: number | null, estimated: boolean): string {
  if (ms === null) return '–';
  return (estimated ? '~' : '') + formatDuration(ms);
}

/**
 * Lag with the part past the last stable offset beside it, where there is one: `205 (205 past LSO)` reads
 * as a consumer caught up to what a read_committed consumer can read, not 205 behind.
 */
export function lagWithUnreadable(lag: number | null, unreadable: number): string {
  return unreadable > 0 ? `${formatExact(lag)} (${formatExact(unreadable)} past LSO)` : formatExact(lag);
}

/** Values of a series with unknowns as NaN (drawn as gaps). */
export function seriesValues(series: Series): readonly number[] {
  return series.values();
}

/** Memoizes a one-argument function of an object (typically the model or one of its arrays). */
export function memoByIdentity<K extends object, R>(fn: (key: K) => R): (key: K) => R {
  const cache = new WeakMap<K, R>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}

/** Memoizes on two objects (e.g. the model and the glyph set). */
export function memoByIdentity2<K1 extends object, K2 extends object, R>(
  fn: (a: K1, b: K2) => R,
): (a: K1, b: K2) => R {
  const cache = new WeakMap<K1, WeakMap<K2, R>>();
  return (a, b) => {
    let inner = cache.get(a);
    if (!inner) {
      inner = new WeakMap();
      cache.set(a, inner);
    }
    const hit = inner.get(b);
    if (hit !== undefined) return hit;
    const value = fn(a, b);
    inner.set(b, value);
    return value;
  };
}

/** The lower-cased text a filter matches against. */
export function searchText(...parts: (string | number | null | undefined)[]): string {
  return parts
    .filter((p) => p !== null && p !== undefined)
    .join(' ')
    .toLowerCase();
}

export function isrText(isr: readonly number[]): string {
  return `[${isr.join(',')}]`;
}

/** A topic-partition's row id: `topic-partition`, stable across refreshes. */
export function partitionId(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
