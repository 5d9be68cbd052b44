/**
 * Fixed-capacity history shared by every series of one model.
 *
 * All series advance together once per fold, so they share one ring of times (`TimeAxis`) and
 * each keeps only a Float64Array of values: 8 bytes per point per series, allocated once.
 * Position `seq % capacity` holds the value of fold number `seq`.
 */

import type { Series } from './types.js';

export class TimeAxis {
  readonly capacity: number;
  readonly times: Float64Array;
  /** Sequence number of the newest fold, -1 before the first. */
  seq = -1;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`history capacity ${capacity}`);
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
  }

  advance(timeMs: number): void {
    this.seq += 1;
    this.times[this.seq % this.capacity] = timeMs;
  }

  timeOf(seq: number): number {
    return this.times[seq % this.capacity]!;
  }
}

/** One value per fold; `capacity` may be smaller than the axis (e.g. Burrow's short window). */
export class RingSeries {
  readonly capacity: number;
  private readonly buffer: Float64Array;
  /** First fold this series holds a value for (older ones were never recorded or were reset). */
  private startSeq: number;
  /** Newest fold written, startSeq - 1 when empty. */
  lastSeq: number;
  private cachedView: SeriesView | null = null;

  constructor(
    private readonly axis: TimeAxis,
    capacity = axis.capacity,
  ) {
    if (capacity > axis.capacity) throw new RangeError('series longer than its time axis');
    this.capacity = capacity;
    this.buffer = new Float64Array(capacity);
    this.startSeq = axis.seq;
    this.lastSeq = axis.seq - 1;
  }

  /** Record the value of the current fold (NaN = unknown). Folds this series missed become NaN. */
  push(value: number | null): void {
    const seq = this.axis.seq;
    if (seq <= this.lastSeq) {
      this.buffer[seq % this.capacity] = value ?? Number.NaN;
      this.cachedView = null;
      return;
    }
    // The first value starts the series, wherever the axis is.
    if (this.lastSeq < this.startSeq) this.startSeq = seq;
    const gapFrom = Math.max(this.lastSeq + 1, this.startSeq, seq - this.capacity + 1);
    for (let s = gapFrom; s < seq; s++) this.buffer[s % this.capacity] = Number.NaN;
    this.buffer[seq % this.capacity] = value ?? Number.NaN;
    this.lastSeq = seq;
    this.cachedView = null;
  }

  /** Forget everything (e.g. a log-end offset went backwards: the topic was recreated). */
  reset(): void {
    this.startSeq = this.axis.seq;
    this.lastSeq = this.axis.seq - 1;
    this.cachedView = null;
  }

  get length(): number {
    return Math.max(0, Math.min(this.capacity, this.lastSeq - this.startSeq + 1));
  }

  /** Oldest retained sequence number. */
  get firstSeq(): number {
    return this.lastSeq - this.length + 1;
  }

  /** Value at fold `seq` (must be within [firstSeq, lastSeq]). */
  valueAt(seq: number): number {
    return this.buffer[seq % this.capacity]!;
  }

  timeAt(seq: number): number {
    return this.axis.timeOf(seq);
  }

  /** Newest non-NaN value, or null. */
  get last(): number | null {
    if (this.length === 0) return null;
    const v = this.buffer[this.lastSeq % this.capacity]!;
    return Number.isNaN(v) ? null : v;
  }

  /** An immutable-looking view; the same object until the next push. */
  view(): Series {
    if (this.cachedView === null) this.cachedView = new SeriesView(this, this.lastSeq, this.length);
    return this.cachedView;
  }

  /** Oldest sequence still intact in the buffer for a view ending at lastSeq. */
  oldestIntact(): number {
    return Math.max(this.startSeq, this.lastSeq - this.capacity + 1);
  }
}

class SeriesView implements Series {
  readonly capacity: number;
  readonly length: number;
  readonly last: number | null;
  private cache: { values: number[]; times: number[] } | null = null;

  constructor(
    private readonly ring: RingSeries,
    private readonly endSeq: number,
    length: number,
  ) {
    this.capacity = ring.capacity;
    this.length = length;
    this.last = ring.last;
  }

  private materialize(): { values: number[]; times: number[] } {
    if (this.cache !== null) return this.cache;
    const from = Math.max(this.endSeq - this.length + 1, this.ring.oldestIntact());
    const values: number[] = [];
    const times: number[] = [];
    for (let s = from; s <= this.endSeq; s++) {
      values.push(this.ring.valueAt(s));
      times.push(this.ring.timeAt(s));
    }
    this.cache = { values, times };
    return this.cache;
  }

  values(): readonly number[] {
    return this.materialize().values;
  }

  times(): readonly number[] {
    return this.materialize().times;
  }
}

/** The view of a series that never had a value. */
export const EMPTY_SERIES: Series = Object.freeze({
  capacity: 0,
  length: 0,
  last: null,
  values: () => [],
  times: () => [],
});

/**
 * A coarse series for long history at little cost: one point per `bucketMs`, aggregated (max or
 * min) over the folds that fall into it. 24 h at one point a minute is 1,440 points, 23 KB.
 */
export class BucketSeries {
  private readonly buffer: Float64Array;
  private readonly starts: Float64Array;
  private count = 0;
  private head = -1;
  private cachedView: Series | null = null;

  constructor(
    readonly capacity: number,
    private readonly bucketMs: number,
    private readonly keep: 'max' | 'min',
  ) {
    this.buffer = new Float64Array(capacity);
    this.starts = new Float64Array(capacity);
  }

  push(timeMs: number, value: number | null): void {
    if (value === null || Number.isNaN(value)) return;
    const start = Math.floor(timeMs / this.bucketMs) * this.bucketMs;
    this.cachedView = null;
    if (this.head >= 0 && this.starts[this.head] === start) {
      const cur = this.buffer[this.head]!;
      this.buffer[this.head] = this.keep === 'max' ? Math.max(cur, value) : Math.min(cur, value);
      return;
    }
    this.head = (this.head + 1) % this.capacity;
    this.buffer[this.head] = value;
    this.starts[this.head] = start;
    this.count++;
  }

  view(): Series {
    if (this.cachedView !== null) return this.cachedView;
    const length = Math.min(this.count, this.capacity);
    const head = this.head;
    const last = length === 0 ? null : this.buffer[head]!;
    let cache: { values: number[]; times: number[] } | null = null;
    // Materialized on first use: most folds nobody charts 24 hours.
    const materialize = () => {
      if (cache !== null) return cache;
      const values: number[] = [];
      const times: number[] = [];
      for (let i = length - 1; i >= 0; i--) {
        const k = (head - i + this.capacity) % this.capacity;
        values.push(this.buffer[k]!);
        times.push(this.starts[k]!);
      }
      cache = { values, times };
      return cache;
    };
    this.cachedView = Object.freeze({
      capacity: this.capacity,
      length,
      last,
      values: () => materialize().values,
      times: () => materialize().times,
    });
    return this.cachedView;
  }
}
