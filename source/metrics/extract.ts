import type { MetricKey, MetricNames, Selector } from './names.js';
import { parseSelector } from './names.js';
import type { Sample } from './parse.js';

/**
 * Above this a "request-handler idle" value cannot be a fraction (even KRaft combined nodes read
 * about 2, KAFKA-19606) and must be the Meter's cumulative count of idle nanoseconds, which passes
 * 1e9 one second after the broker starts. Rule sets disagree on which name carries which.
 */
export const IDLE_FRACTION_LIMIT = 1000;

/** Series lookup by lowercased name: Prometheus names are case-sensitive, but rule sets lowercase inconsistently. */
export type SampleIndex = Map<string, Sample[]>;

export function indexSamples(samples: Sample[]): SampleIndex {
  const index: SampleIndex = new Map();
  for (const s of samples) {
    const key = s.name.toLowerCase();
    const list = index.get(key);
    if (list) list.push(s);
    else index.set(key, [s]);
  }
  return index;
}

function matching(index: SampleIndex, selector: Selector): Sample[] {
  const list = index.get(selector.name.toLowerCase()) ?? [];
  const wanted = Object.entries(selector.labels);
  if (wanted.length === 0) return list;
  return list.filter((s) => wanted.every(([k, v]) => s.labels[k] === v));
}

/** Compiled candidates, so config strings are parsed once per source, not per scrape. */
export type CompiledNames = Record<MetricKey, Selector[]>;

export function compileNames(names: MetricNames): CompiledNames {
  const out = {} as CompiledNames;
  for (const key of Object.keys(names) as MetricKey[]) out[key] = names[key].map(parseSelector);
  return out;
}

/**
 * Value of the first candidate with at least one finite series. Several series under one name
 * (per-listener or per-partition labels) are summed for counts and averaged for fractions.
 */
export function firstPresent(
  index: SampleIndex,
  candidates: Selector[],
  combine: 'sum' | 'mean',
): number | null {
  for (const selector of candidates) {
    const values = matching(index, selector)
      .map((s) => s.value)
      .filter(Number.isFinite);
    if (values.length === 0) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    return combine === 'sum' ? sum : sum / values.length;
  }
  return null;
}

export interface IdleReading {
  /** Cumulative idle nanoseconds, to be rated against the previous scrape. */
  count: number | null;
  /** An already-rated fraction (OneMinuteRate), used when no rate can be computed yet. */
  fraction: number | null;
}

/** Finds the request-handler idle count and rate, classifying each by magnitude (see IDLE_FRACTION_LIMIT). */
export function readRequestHandlerIdle(index: SampleIndex, names: CompiledNames): IdleReading {
  const reading: IdleReading = { count: null, fraction: null };
  for (const selector of [...names.requestHandlerIdleCount, ...names.requestHandlerIdleRate]) {
    const value = firstPresent(index, [selector], 'sum');
    if (value === null || value < 0) continue;
    if (value >= IDLE_FRACTION_LIMIT) reading.count ??= value;
    // A Meter's OneMinuteRate reads exactly 0 until its first 5 s tick after the broker starts
    // (seen on a real Kafka 4.1 broker); a busy broker still marks some idle nanoseconds.
    else if (value > 0) reading.fraction ??= value;
    if (reading.count !== null && reading.fraction !== null) break;
  }
  return reading;
}

/**
 * How far above 1 a broker-only node's idle may read from measurement noise alone. Each handler
 * thread marks its idle time when its 300 ms poll ends, so an idle broker reads around 1.00 with a
 * few percent of jitter over a 10 s window (up to 1.06 measured on a loaded 2-core test box), and
 * about 1.002 on average over a minute.
 */
export const IDLE_NOISE_TOLERANCE = 0.1;

/**
 * Reads within the noise above 1 on a node without the controller role are 1 (fully idle). Nodes
 * that also report ActiveControllerCount keep their value untouched: on a KRaft combined node both
 * roles' handler pools mark the same Meter (KAFKA-19606), so it legitimately reads up to about 2,
 * and 1.05 there means a busy node, not noise.
 */
export function settleIdle(value: number | null, controllerRole: boolean): number | null {
  if (value === null || controllerRole) return value;
  return value > 1 && value <= 1 + IDLE_NOISE_TOLERANCE ? 1 : value;
}
