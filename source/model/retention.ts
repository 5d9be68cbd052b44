/**
 * Retention risk of one group-partition: whether retention already deleted unconsumed messages,
 * and otherwise how long until it will at the current pace.
 *
 * Time retention deletes whole segments once their newest message is older than retention.ms, so
 * the oldest unconsumed message survives at least retention.ms − its age: the estimate errs early,
 * which is the safe side for an alert. Size retention (retention.bytes, per partition) deletes the oldest
 * segments once the partition is larger: with its size (DescribeLogDirs) and write rate, the time until it
 * reaches the committed offset is estimated from the mean bytes per message (`bytesRetentionMs`); without
 * them it cannot be.
 */

import type { RetentionRisk } from './types.js';

export interface RetentionInput {
  readonly committed: number | null;
  readonly logStart: number | null;
  readonly lag: number | null;
  readonly timeLagMs: number | null;
  /** ms until the partition catches up at current rates, null when not catching up or unknown. */
  readonly catchUpMs: number | null;
  readonly retentionMs: number | null;
  readonly retentionBytes: number | null;
  /** False when cleanup.policy has no 'delete' (compacted only); true when unknown. */
  readonly deletes: boolean;
  /** ms until retention.bytes deletes the committed offset (`bytesRetentionMs`), null when unknown. */
  readonly bytesMs?: number | null;
}

/**
 * ms until size retention reaches the committed offset: the bytes before it (at the partition's mean bytes
 * per message) plus what the partition may still grow before retention.bytes, at its write rate. Segment
 * granularity makes deletion come later than this, the safe side. null when anything is unknown or nothing is
 * written.
 */
export function bytesRetentionMs(
  committed: number | null,
  logStart: number | null,
  logEnd: number | null,
  sizeBytes: number | null,
  writeRate: number | null,
  retentionBytes: number | null,
): number | null {
  if (committed === null || logStart === null || logEnd === null || sizeBytes === null) return null;
  if (retentionBytes === null || retentionBytes < 0 || writeRate === null || writeRate <= 0) return null;
  const messages = logEnd - logStart;
  if (messages <= 0 || sizeBytes <= 0) return null;
  const perMessage = sizeBytes / messages;
  const before = Math.max(0, committed - logStart) * perMessage;
  const room = Math.max(0, retentionBytes - sizeBytes);
  return ((before + room) / (writeRate * perMessage)) * 1000;
}

const SAFE: RetentionRisk = Object.freeze({ kind: 'safe' });
const NONE: RetentionRisk = Object.freeze({ kind: 'none' });
const NO_COMMIT: RetentionRisk = Object.freeze({ kind: 'unknown', reason: 'no commit' });
const MS_UNKNOWN: RetentionRisk = Object.freeze({ kind: 'unknown', reason: 'retention.ms unknown' });
const BYTES_ONLY: RetentionRisk = Object.freeze({
  kind: 'unknown',
  reason: 'retention.bytes only: size-based deletion time cannot be estimated',
});
const TIME_LAG_UNKNOWN: RetentionRisk = Object.freeze({ kind: 'unknown', reason: 'time lag unknown' });

/** Whether a cleanup.policy value deletes old segments (null: unknown, assume Kafka's default 'delete'). */
export function policyDeletes(cleanupPolicy: string | null): boolean {
  return cleanupPolicy === null || cleanupPolicy.split(',').some((p) => p.trim() === 'delete');
}

export function retentionRisk(input: RetentionInput): RetentionRisk {
  return retentionRiskOf(
    input.committed,
    input.logStart,
    input.lag,
    input.timeLagMs,
    input.catchUpMs,
    input.retentionMs,
    input.retentionBytes,
    input.deletes,
    input.bytesMs ?? null,
  );
}

/** `retentionRisk` with plain arguments: the fold calls it for every group-partition. */
export function retentionRiskOf(
  committed: number | null,
  logStart: number | null,
  lag: number | null,
  timeLagMs: number | null,
  catchUpMs: number | null,
  retentionMs: number | null,
  retentionBytes: number | null,
  deletes: boolean,
  bytesMs: number | null = null,
): RetentionRisk {
  if (committed === null) return NO_COMMIT;
  if (logStart !== null && committed < logStart)
    return { kind: 'data-lost', offsetsLost: logStart - committed };
  if (lag === 0) return SAFE;
  if (!deletes) return NONE;
  const bytesLimited = retentionBytes !== null && retentionBytes >= 0;
  if (retentionMs === null) return MS_UNKNOWN;
  const timeLimited = retentionMs >= 0;
  if (!timeLimited && !bytesLimited) return NONE;
  const bytesKnown = bytesLimited && bytesMs !== null;
  if (!timeLimited) {
    if (!bytesKnown) return BYTES_ONLY;
    return catchUpMs !== null && catchUpMs < bytesMs
      ? SAFE
      : { kind: 'overtaken-in', ms: bytesMs, estimated: true };
  }
  if (timeLagMs === null) return TIME_LAG_UNKNOWN;
  const ms = Math.max(0, retentionMs - timeLagMs);
  const soonest = bytesKnown ? Math.min(ms, bytesMs) : ms;
  if (catchUpMs !== null && catchUpMs < soonest) return SAFE;
  return bytesLimited && !bytesKnown
    ? { kind: 'overtaken-in', ms, estimated: true, note: 'retention.bytes may delete sooner' }
    : { kind: 'overtaken-in', ms: soonest, estimated: true };
}

const RANK: Readonly<Record<RetentionRisk['kind'], number>> = {
  none: 0,
  safe: 1,
  unknown: 2,
  'overtaken-in': 3,
  'data-lost': 4,
};

/** The riskier of two: data lost, then the soonest overtaken, then unknown, safe, none. */
export function worseRisk(a: RetentionRisk, b: RetentionRisk): RetentionRisk {
  if (RANK[b.kind] !== RANK[a.kind]) return RANK[b.kind] > RANK[a.kind] ? b : a;
  if (a.kind === 'overtaken-in' && b.kind === 'overtaken-in') return b.ms < a.ms ? b : a;
  if (a.kind === 'data-lost' && b.kind === 'data-lost') return b.offsetsLost > a.offsetsLost ? b : a;
  return a;
}
