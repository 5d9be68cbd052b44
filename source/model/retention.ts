/**
 * Retention risk of one group-partition: whether retention already deleted unconsumed messages,
 * and otherwise how long until it will at the current pace.
 *
 * Time retention deletes whole segments once their newest message is older than retention.ms, so
 * the oldest unconsumed message survives at least retention.ms − its age: the estimate errs early,
 * which is the safe side for an alert. Size retention depends on segment sizes we do not see.
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
  if (!timeLimited) return BYTES_ONLY;
  if (timeLagMs === null) return TIME_LAG_UNKNOWN;
  const ms = Math.max(0, retentionMs - timeLagMs);
  if (catchUpMs !== null && catchUpMs < ms) return SAFE;
  return bytesLimited
    ? { kind: 'overtaken-in', ms, estimated: true, note: 'retention.bytes may delete sooner' }
    : { kind: 'overtaken-in', ms, estimated: true };
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
