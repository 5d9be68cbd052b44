/**
 * Replays a recording as a `SnapshotSource`. The poller asks `nextDelayMs()` how long to wait before the
 * next `refresh()`, so playback follows the recording's own clock (divided by `speed`); pause, step and
 * seek only move a cursor, and `refresh()` yields whatever the cursor points at.
 */

import { basename } from 'node:path';
import type { ModelEvent } from '../model/types.js';
import type { ClusterSnapshot, SnapshotSource } from '../snapshot.js';
import { SNAPSHOT_SCHEMA_VERSION } from '../snapshot.js';
import { RecordingError } from './format.js';
import { parseRecording, type Recording, readRecording, skippedLinesWarning } from './reader.js';

export interface ReplayOptions {
  /** Playback speed (default 1): 2 plays twice as fast as recorded. */
  speed?: number;
  /** Start paused (the first refresh still yields the first snapshot). */
  paused?: boolean;
  /**
   * Longest wait between two snapshots at 1×, in ms (default 10 s): a recording that was suspended for an
   * hour should not make the replay sit still for an hour.
   */
  maxGapMs?: number;
  /** Shown in the header (default "replay: FILE"). */
  label?: string;
}

export interface ReplayPosition {
  /** Index of the snapshot last yielded, -1 before the first refresh. */
  index: number;
  count: number;
  /** The recording's own time at `index` (its snapshot's takenAt), null before the first refresh. */
  at: string | null;
  /** The recording's first and last snapshot times, for a progress bar. */
  firstAt: string;
  lastAt: string;
}

export type SeekTarget = { index: number } | { fraction: number };

export interface ReplaySource extends SnapshotSource {
  readonly recording: Recording;
  readonly position: ReplayPosition;
  readonly paused: boolean;
  /** The last snapshot has been yielded and nothing is pending. */
  readonly ended: boolean;
  /** Playback speed, clamped to 1/16 .. 64. */
  speed: number;
  /** The recording's own refresh interval (the median gap between snapshots), null with one snapshot. */
  readonly intervalMs: number | null;
  /** Lines the reader skipped, worded for the user (`skipped 3 corrupt lines at the end`), or null. */
  readonly warning: string | null;
  pause(): void;
  resume(): void;
  /** Pauses and lets exactly one more snapshot through. False at the end. */
  step(): boolean;
  /** Moves the cursor: the next refresh yields that snapshot, even while paused. */
  seek(target: SeekTarget): void;
  /** How long to wait before the next refresh: 0 now, null while paused or at the end. */
  nextDelayMs(): number | null;
  /** The events recorded with snapshot `index`, as the live model produced them. */
  eventsAt(index: number): readonly ModelEvent[];
}

const MIN_SPEED = 1 / 16;
const MAX_SPEED = 64;

function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`replay speed must be positive: ${speed}`);
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}

/** The median of the positive gaps: a recording suspended for an hour or a clock step does not skew it. */
function medianGap(times: readonly number[]): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

function isRecording(input: readonly string[] | Recording): input is Recording {
  return !Array.isArray(input) && 'takenAt' in input;
}

/** `input`: a file path, the recording's lines, or an already parsed recording. */
export function createReplaySource(
  input: string | readonly string[] | Recording,
  options: ReplayOptions = {},
): ReplaySource {
  const recording: Recording =
    typeof input === 'string' ? readRecording(input) : isRecording(input) ? input : parseRecording(input);
  const takenAt = recording.takenAt;
  if (recording.count === 0) {
    throw new RecordingError(
      `${typeof input === 'string' ? `${input}: ` : ''}the recording holds no snapshots to replay`,
    );
  }
  const times = takenAt.map((t) => Date.parse(t));
  const count = recording.count;
  const maxGapMs = options.maxGapMs ?? 10_000;
  let speed = clampSpeed(options.speed ?? 1);
  let paused = options.paused ?? false;
  let current = -1;
  let cursor = 0;
  let pending = false;
  const intervalMs = medianGap(times);
  const warning = skippedLinesWarning(recording);
  // While paused the same snapshot is asked for again and again: keep the last one parsed.
  let cached: { index: number; snapshot: ClusterSnapshot } | null = null;
  let lastGood: ClusterSnapshot | null = null;

  /** Never throws, as refresh() must not: a file changed under us becomes an error in the snapshot. */
  const load = (index: number): ClusterSnapshot => {
    if (cached?.index === index) return cached.snapshot;
    try {
      const snapshot = recording.snapshot(index);
      cached = { index, snapshot };
      lastGood = snapshot;
      return snapshot;
    } catch (e) {
      const message = `snapshot ${index + 1} of the recording is unreadable: ${e instanceof Error ? e.message : String(e)}`;
      const base: ClusterSnapshot = lastGood ?? {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        takenAt: takenAt[index] ?? new Date(0).toISOString(),
        clusterId: null,
        controllerId: null,
        brokers: [],
        topics: [],
        groups: [],
        errors: [],
      };
      return { ...base, errors: [...base.errors, { source: 'replay', message }] };
    }
  };

  const label =
    options.label ??
    `replay: ${typeof input === 'string' ? basename(input) : 'recording'} (${recording.header.source})`;

  return {
    label,
    recording,
    get position(): ReplayPosition {
      return {
        index: current,
        count,
        at: current >= 0 ? (takenAt[current] ?? null) : null,
        firstAt: takenAt[0] ?? '',
        lastAt: takenAt[count - 1] ?? '',
      };
    },
    get paused() {
      return paused;
    },
    get ended() {
      return cursor >= count && current === count - 1;
    },
    get speed() {
      return speed;
    },
    set speed(value: number) {
      speed = clampSpeed(value);
    },
    intervalMs,
    warning,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    step() {
      paused = true;
      if (cursor >= count) return false;
      pending = true;
      return true;
    },
    seek(target) {
      const raw = 'index' in target ? target.index : target.fraction * (count - 1);
      if (!Number.isFinite(raw)) return;
      cursor = Math.min(count - 1, Math.max(0, Math.round(raw)));
      pending = true;
    },
    nextDelayMs() {
      if (cursor >= count) return null;
      if (current < 0 || pending) return 0;
      if (paused) return null;
      const gap = (times[cursor] ?? 0) - (times[current] ?? 0);
      // Clock steps backwards (NTP) or torn timestamps must not stall playback.
      return Math.min(maxGapMs, Math.max(0, Number.isFinite(gap) ? gap : 0)) / speed;
    },
    eventsAt(index) {
      return recording.events[index] ?? [];
    },
    async refresh(): Promise<ClusterSnapshot> {
      if (cursor < count && (current < 0 || pending || !paused)) {
        current = cursor;
        cursor++;
        pending = false;
      }
      return load(Math.max(0, current));
    },
    async close() {},
  };
}
