/**
 * Disk headroom per broker log directory: usable and total bytes as DescribeLogDirs reports them (read every
 * 30 s), the rate the usable bytes fall at over the last 10 minutes, and the time until the volume is full at
 * that rate. A log dir that reports an error (offline: a full or failed disk takes its partitions offline)
 * is an event, and so is its recovery.
 */
import type { BrokerSnapshot } from '../snapshot.js';
import type { EventCollector } from './events.js';
import type { AlertMetric, BrokerState, LogDirState } from './types.js';

/** One sample per this long: log dirs are read every 30 s and carried between. */
const SAMPLE_MS = 30_000;
/** Samples in the growth window: 10 minutes at 30 s. */
const WINDOW = 21;

export interface LogDirTrack {
  /** (time ms, usable bytes) pairs, oldest first, at most WINDOW of them. */
  readonly samples: number[];
  error: string | null;
}

/** Bytes per second the usable space falls by over the window, null before two samples. */
export function growthOf(samples: readonly number[]): number | null {
  if (samples.length < 4) return null;
  const t0 = samples[0]!;
  const u0 = samples[1]!;
  const t1 = samples[samples.length - 2]!;
  const u1 = samples[samples.length - 1]!;
  return t1 > t0 ? ((u0 - u1) / (t1 - t0)) * 1000 : null;
}

export function foldLogDirs(
  b: BrokerSnapshot,
  tracks: Map<string, LogDirTrack>,
  events: EventCollector,
  first: boolean,
  nowMs: number,
): readonly LogDirState[] {
  const dirs = b.logDirs;
  if (!dirs) return NO_DIRS;
  const out: LogDirState[] = [];
  for (const d of dirs) {
    let track = tracks.get(d.path);
    if (!track) {
      track = { samples: [], error: null };
      tracks.set(d.path, track);
    }
    if (!first && d.error !== track.error) {
      if (d.error !== null)
        events.emit({ kind: 'log-dir-error', broker: b.id, path: d.path, error: d.error });
      else events.emit({ kind: 'log-dir-recovered', broker: b.id, path: d.path });
    }
    track.error = d.error;
    const s = track.samples;
    if (d.usableBytes !== null && (s.length === 0 || nowMs - s[s.length - 2]! >= SAMPLE_MS)) {
      s.push(nowMs, d.usableBytes);
      if (s.length > WINDOW * 2) s.splice(0, 2);
    }
    const growth = growthOf(s);
    out.push({
      path: d.path,
      totalBytes: d.totalBytes,
      usableBytes: d.usableBytes,
      cordoned: d.cordoned,
      error: d.error,
      usableRatio:
        d.totalBytes !== null && d.usableBytes !== null && d.totalBytes > 0
          ? d.usableBytes / d.totalBytes
          : null,
      growthBytesPerSec: growth,
      fullInMs:
        growth !== null && growth > 0 && d.usableBytes !== null ? (d.usableBytes / growth) * 1000 : null,
    });
  }
  return out;
}

const NO_DIRS: readonly LogDirState[] = Object.freeze([]);

/** A broker's alert values: its fullest log dir's usable ratio, its soonest-full dir's time until full. */
export function putLogDirValues<V>(
  values: V,
  b: BrokerState,
  put: (values: V, metric: AlertMetric, subject: string, value: number) => void,
): void {
  let ratio: number | null = null;
  let fullIn: number | null = null;
  for (const d of b.logDirs) {
    if (d.usableRatio !== null && (ratio === null || d.usableRatio < ratio)) ratio = d.usableRatio;
    if (d.fullInMs !== null && (fullIn === null || d.fullInMs < fullIn)) fullIn = d.fullInMs;
  }
  if (ratio !== null) put(values, 'log-dir-usable', `broker:${b.id}`, ratio);
  if (fullIn !== null) put(values, 'log-dir-full-in', `broker:${b.id}`, fullIn);
}
