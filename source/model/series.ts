/**
 * Fixed-capacity history shared by every series of one model.
 *
 * All series advance together once per fold, so they share one ring of times (`TimeAxis`) and
 * each keeps only its values, 2 to 8 bytes a point (see RingSeries), allocated once.
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

type Cells = Uint16Array | Uint32Array | Float64Array;

/** Widest integer ranges, as (sentinel for "unknown"); a range above 3/4 of it moves to the next width. */
const UINT16_NONE = 0xffff;
const UINT32_NONE = 0xffffffff;

/**
 * One value per fold; `capacity` may be smaller than the axis (e.g. the consume-rate window).
 *
 * Lags and offsets are integers that move little within a window, so values are stored exactly as
 * `value − base` in the narrowest unsigned array that holds the window's range: 2 bytes a point
 * (Uint16), then 4 (Uint32), then 8 (Float64, also for any non-integer value, e.g. idle fractions).
 * The largest code of each width marks an unknown value. What `valueAt` returns is unchanged by the
 * encoding: it is the value pushed, bit for bit (integers up to 2^53).
 */
export class RingSeries {
  readonly capacity: number;
  private cells: Cells;
  /** Code for NaN; 0 once the cells are Float64 (which hold NaN itself). */
  private none = UINT16_NONE;
  private base = 0;
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
    this.cells = new Uint16Array(capacity);
    this.startSeq = axis.seq;
    this.lastSeq = axis.seq - 1;
  }

  /** Bytes of values held (for the docs' cost figures and tests). */
  get bytesPerPoint(): number {
    return this.cells.BYTES_PER_ELEMENT;
  }

  /** Record the value of the current fold (NaN = unknown). Folds this series missed become NaN. */
  push(value: number | null): void {
    const seq = this.axis.seq;
    const v = value ?? Number.NaN;
    if (seq <= this.lastSeq) {
      this.write(seq, v);
      this.cachedView = null;
      return;
    }
    // The first value starts the series, wherever the axis is.
    if (this.lastSeq < this.startSeq) this.startSeq = seq;
    const gapFrom = Math.max(this.lastSeq + 1, this.startSeq, seq - this.capacity + 1);
    for (let s = gapFrom; s < seq; s++) this.write(s, Number.NaN);
    this.lastSeq = seq;
    this.write(seq, v);
    this.cachedView = null;
  }

  private write(seq: number, value: number): void {
    const i = seq % this.capacity;
    if (this.none === 0) {
      this.cells[i] = value;
      return;
    }
    if (Number.isNaN(value)) {
      this.cells[i] = this.none;
      return;
    }
    const code = value - this.base;
    if (code >= 0 && code < this.none && Number.isInteger(code)) {
      this.cells[i] = code;
      return;
    }
    this.recode(seq, value);
  }

  /**
   * The value at `seq` does not fit the current width or base: pick a base and width that hold it
   * and every value still intact, and copy those over. Rare: a new width lasts, and a new base
   * leaves room on both sides.
   */
  private recode(seq: number, value: number): void {
    const from = Math.max(this.startSeq, this.lastSeq - this.capacity + 1);
    const kept: number[] = [];
    let min = value;
    let max = value;
    let integers = Number.isInteger(value);
    for (let s = from; s <= this.lastSeq; s++) {
      if (s === seq) {
        kept.push(Number.NaN);
        continue;
      }
      const v = this.valueAt(s);
      kept.push(v);
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (!Number.isInteger(v)) integers = false;
    }
    const range = max - min;
    const none =
      !integers || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)
        ? 0
        : range < (UINT16_NONE * 3) / 4
          ? UINT16_NONE
          : range < (UINT32_NONE * 3) / 4
            ? UINT32_NONE
            : 0;
    if (none !== this.none) {
      this.cells =
        none === 0
          ? new Float64Array(this.capacity)
          : none === UINT32_NONE
            ? new Uint32Array(this.capacity)
            : new Uint16Array(this.capacity);
      this.none = none;
    }
    // Non-negative values below the limit need no base (lags near 0); others get a quarter of the
    // spare room below and three quarters above (counters grow).
    this.base = none === 0 || (min >= 0 && max < none) ? 0 : min - Math.floor((none - 1 - range) / 4);
    for (let k = 0; k < kept.length; k++) this.write(from + k, kept[k]!);
    this.write(seq, value);
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
    const c = this.cells[seq % this.capacity]!;
    if (this.none === 0) return c;
    return c === this.none ? Number.NaN : this.base + c;
  }

  timeAt(seq: number): number {
    return this.axis.timeOf(seq);
  }

  /** Newest non-NaN value, or null. */
  get last(): number | null {
    if (this.lastSeq < this.startSeq) return null;
    const v = this.valueAt(this.lastSeq);
    return Number.isNaN(v) ? null : v;
  }

  /** Newest known value still held (skipping unknown ones), or null. */
  lastKnown(): number | null {
    for (let s = this.lastSeq; s >= this.oldestIntact(); s--) {
      const v = this.valueAt(s);
      if (!Number.isNaN(v)) return v;
    }
    return null;
  }

  /** An immutable-looking view; the same object until the next push. */
  view(): Series {
    if (this.cachedView === null)
      this.cachedView = new SeriesView(this, this.lastSeq, this.length, this.last);
    return this.cachedView;
  }

  /**
   * The view as it was after fold `seq`, for series that are pushed every fold they exist and never
   * reset (group-partition lag): built on demand instead of every fold. `last` is the value pushed then.
   */
  viewAt(seq: number, last: number | null): Series {
    if (seq === this.lastSeq) return this.view();
    const length = Math.max(0, Math.min(this.capacity, seq - this.startSeq + 1));
    return new SeriesView(this, seq, length, last);
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
    last: number | null,
  ) {
    this.capacity = ring.capacity;
    this.length = length;
    this.last = last;
  }

  private materialize(): { values: number[]; times: number[] } {
    if (this.cache !== null) return this.cache;
    const from = Math.max(this.endSeq - this.length + 1, this.ring.oldestIntact());
    const to = Math.min(this.endSeq, this.ring.lastSeq);
    const values: number[] = [];
    const times: number[] = [];
    for (let s = from; s <= to; s++) {
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
  /** Grown by doubling up to `capacity`: a series filled for 15 minutes holds 15 buckets, not 1,440. */
  private buffer: Float64Array;
  private starts: Float64Array;
  private count = 0;
  private head = -1;
  private cachedView: Series | null = null;

  constructor(
    readonly capacity: number,
    private readonly bucketMs: number,
    private readonly keep: 'max' | 'min',
  ) {
    const initial = Math.min(capacity, 16);
    this.buffer = new Float64Array(initial);
    this.starts = new Float64Array(initial);
  }

  /** Buckets allocated so far (grows to `capacity`). */
  get allocated(): number {
    return this.buffer.length;
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
    if (this.head >= this.buffer.length) this.grow();
    this.buffer[this.head] = value;
    this.starts[this.head] = start;
    this.count++;
  }

  /** Only before the ring first wraps, so positions 0..head-1 are in order and stay put. */
  private grow(): void {
    const size = Math.min(this.capacity, this.buffer.length * 2);
    const buffer = new Float64Array(size);
    const starts = new Float64Array(size);
    buffer.set(this.buffer);
    starts.set(this.starts);
    this.buffer = buffer;
    this.starts = starts;
  }

  view(): Series {
    if (this.cachedView === null) {
      const length = Math.min(this.count, this.capacity);
      this.cachedView = new BucketView(
        this,
        this.head,
        length,
        length === 0 ? null : this.buffer[this.head]!,
      );
    }
    return this.cachedView;
  }

  /** Values and bucket starts of the `length` buckets ending at `head`, oldest first. */
  read(head: number, length: number): { values: number[]; times: number[] } {
    const values: number[] = [];
    const times: number[] = [];
    for (let i = length - 1; i >= 0; i--) {
      const k = (head - i + this.capacity) % this.capacity;
      values.push(this.buffer[k]!);
      times.push(this.starts[k]!);
    }
    return { values, times };
  }
}

/** Materialized on first use: most folds nobody charts 24 hours. */
class BucketView implements Series {
  readonly capacity: number;
  private cache: { values: number[]; times: number[] } | null = null;

  constructor(
    private readonly series: BucketSeries,
    private readonly head: number,
    readonly length: number,
    readonly last: number | null,
  ) {
    this.capacity = series.capacity;
  }

  values(): readonly number[] {
    this.cache ??= this.series.read(this.head, this.length);
    return this.cache.values;
  }

  times(): readonly number[] {
    this.cache ??= this.series.read(this.head, this.length);
    return this.cache.times;
  }
}
