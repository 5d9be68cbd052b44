/**
 * Consumer status per group-partition, after Burrow's evaluator, over a window of recent commits.
 *
 * kafkatop samples committed offsets once per refresh, so a "commit" here is a refresh where the
 * committed offset differed from the previous one. Rules, first match wins, in the order of
 * Burrow's evaluator (a stopped consumer is a problem even if its lag was 0 at some point):
 *   1. lag is 0 now                                      → OK
 *   2. no commit for longer than the window's span (and at least `minQuietMs`):
 *        no member owns the partition                   → STOP
 *        a member owns it (stuck on a message)          → STALL
 *   3. lag was 0 at any commit in the window             → OK
 *   4. the committed offset went down within the window  → REWIND
 *   5. the window is full and lag rose at every commit    → WARN
 *   6.                                                    → OK
 * Burrow tells STALL (commits of the same offset) from STOP (no commits); sampling cannot see a
 * commit that does not move the offset, so ownership by a live member decides instead.
 * Rule 5 is Burrow's, strictly: lag must rise at every one of the window's `capacity` commits. Lag is
 * sampled at refresh time, so a healthy consumer's samples land anywhere in its commit sawtooth and
 * rise nine times in a row about once in 9! windows; a consumer falling behind rises at every one.
 * (Tolerating a quarter of dips, as this file once did, warned on healthy groups of the steady demo.)
 */

import type { ConsumerStatus, StatusWithReason } from './types.js';

/** The last `capacity` commits of one group-partition: offset, lag and time of the refresh that saw it. */
export class CommitWindow {
  /**
   * Offsets, lags and times in one plain array of doubles (3 × capacity): one allocation per
   * group-partition, on the JS heap (a typed array this small costs more in its buffer objects).
   */
  private readonly cells: number[];
  private count = 0;
  private head = 0;
  /** The newest commit's offset, null before the first (the hot path of `observe`). */
  lastOffset: number | null = null;
  /** The last evaluation and what it depended on: reasons are rebuilt only when those change. */
  memoCount = -1;
  memoLag: number | null = null;
  memoOwned = false;
  memoQuiet = false;
  memoResult: StatusWithReason | null = null;

  /** Commits observed so far (never decreases): identifies the window's content. */
  get observed(): number {
    return this.count;
  }

  constructor(readonly capacity: number) {
    this.cells = new Array<number>(capacity * 3).fill(0);
  }

  get length(): number {
    return Math.min(this.count, this.capacity);
  }

  /** i = 0 is the oldest retained commit. */
  private index(i: number): number {
    return (this.head - this.length + i + this.capacity * 2) % this.capacity;
  }

  offset(i: number): number {
    return this.cells[this.index(i)]!;
  }

  lag(i: number): number {
    return this.cells[this.capacity + this.index(i)]!;
  }

  time(i: number): number {
    return this.cells[this.capacity * 2 + this.index(i)]!;
  }

  /** Record a refresh; only a changed committed offset counts as a commit. */
  observe(committed: number, lag: number, timeMs: number): boolean {
    if (this.lastOffset === committed) return false;
    const h = this.head;
    this.cells[h] = committed;
    this.cells[this.capacity + h] = lag;
    this.cells[this.capacity * 2 + h] = timeMs;
    this.head = h + 1 === this.capacity ? 0 : h + 1;
    this.count++;
    this.lastOffset = committed;
    return true;
  }
}

export const STATUS_RANK: Readonly<Record<ConsumerStatus, number>> = {
  OK: 0,
  WARN: 1,
  STALL: 2,
  REWIND: 3,
  STOP: 4,
};

export interface StatusInput {
  readonly window: CommitWindow;
  /** Current lag, null when unknown. */
  readonly lag: number | null;
  readonly nowMs: number;
  /** Some member is assigned the partition (or membership is unknown, as for KIP-848 groups). */
  readonly owned: boolean;
  /** Minimum time without a commit before STOP/STALL: the span of the last few refreshes. */
  readonly minQuietMs: number;
}

const NO_COMMIT: StatusWithReason = Object.freeze({ status: null, reason: 'no commit' });
const CAUGHT_UP: StatusWithReason = Object.freeze({ status: 'OK', reason: 'caught up' });
const ZERO_IN_WINDOW: StatusWithReason = Object.freeze({
  status: 'OK',
  reason: 'lag reached 0 within the window',
});
const CONSUMING: StatusWithReason = Object.freeze({ status: 'OK', reason: 'consuming' });

export function evaluateStatus(input: StatusInput): StatusWithReason {
  return evaluateStatusOf(input.window, input.lag, input.nowMs, input.owned, input.minQuietMs);
}

/** `evaluateStatus` with plain arguments: the fold calls it for every group-partition. */
export function evaluateStatusOf(
  w: CommitWindow,
  lag: number | null,
  nowMs: number,
  owned: boolean,
  minQuietMs: number,
): StatusWithReason {
  const n = w.length;
  if (n === 0) return NO_COMMIT;
  if (lag === 0) return CAUGHT_UP;
  const lastCommit = w.time(n - 1);
  const span = n > 1 ? lastCommit - w.time(0) : 0;
  const quiet = nowMs - lastCommit > Math.max(span, minQuietMs);
  // Only STALL and STOP reasons quote the current lag; other verdicts depend on the window alone.
  if (
    w.memoResult !== null &&
    w.memoCount === w.observed &&
    w.memoOwned === owned &&
    w.memoQuiet === quiet &&
    (!quiet || w.memoLag === lag)
  ) {
    return w.memoResult;
  }
  const result = evaluateWindow(w, lag, owned, quiet);
  w.memoCount = w.observed;
  w.memoLag = lag;
  w.memoOwned = owned;
  w.memoQuiet = quiet;
  w.memoResult = result;
  return result;
}

/**
 * A verdict whose reason is formatted on first read: the fold re-evaluates a window on every commit,
 * but only the worst partition's reason (and those of the group on screen) is ever read.
 */
class WindowVerdict implements StatusWithReason {
  #reason: string | null = null;
  readonly #a: number;
  readonly #b: number;
  readonly #c: number | null;

  constructor(
    readonly status: ConsumerStatus,
    a: number,
    b: number,
    c: number | null,
  ) {
    this.#a = a;
    this.#b = b;
    this.#c = c;
  }

  get reason(): string {
    this.#reason ??= this.format();
    return this.#reason;
  }

  private format(): string {
    const lagText = this.#c === null ? 'unknown' : String(this.#c);
    switch (this.status) {
      case 'STALL':
        return `committed offset stuck at ${this.#a} since ${new Date(this.#b).toISOString()} with lag ${lagText}`;
      case 'STOP':
        return `no commit since ${new Date(this.#b).toISOString()} and no member owns the partition (lag ${lagText})`;
      case 'REWIND':
        return `committed offset went back from ${this.#a} to ${this.#b}`;
      default:
        return `lag rising over the last ${this.#a} commits: ${this.#b} → ${this.#c}`;
    }
  }
}

function evaluateWindow(
  w: CommitWindow,
  lag: number | null,
  owned: boolean,
  quiet: boolean,
): StatusWithReason {
  const n = w.length;
  if (quiet) return new WindowVerdict(owned ? 'STALL' : 'STOP', w.offset(n - 1), w.time(n - 1), lag);
  for (let i = 0; i < n; i++) {
    if (w.lag(i) === 0) return ZERO_IN_WINDOW;
  }
  for (let i = 1; i < n; i++) {
    if (w.offset(i) < w.offset(i - 1)) return new WindowVerdict('REWIND', w.offset(i - 1), w.offset(i), null);
  }
  if (n === w.capacity && lagRoseAtEveryCommit(w))
    return new WindowVerdict('WARN', n, w.lag(0), w.lag(n - 1));
  return CONSUMING;
}

/** Burrow's `isLagAlwaysIncreasing`: a commit whose lag did not rise clears the warning. */
function lagRoseAtEveryCommit(w: CommitWindow): boolean {
  for (let i = 1; i < w.length; i++) if (!(w.lag(i) > w.lag(i - 1))) return false;
  return true;
}

/** Worst status of many; null only when all are null. */
export function worstStatus(a: ConsumerStatus | null, b: ConsumerStatus | null): ConsumerStatus | null {
  if (a === null) return b;
  if (b === null) return a;
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}
