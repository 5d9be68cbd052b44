/**
 * A stuck last stable offset: below the log end and not moving for longer than a transaction may stay open
 * (`transaction.max.timeout.ms`, 15 minutes by default, or `--stuck-lso`). Every read_committed consumer of
 * the partition stalls at the LSO and compaction stops there, while lag reads as ordinary lag. The transaction
 * holding it is hanging when its coordinator no longer has the partition in it (its marker will never come:
 * `kafka-transactions.sh find-hanging`'s verdict, source/kafka/hanging-transactions.ts); open when the
 * coordinator still has it (a shorter `--stuck-lso`, or a coordinator about to abort it).
 */
import type { PartitionSnapshot } from '../snapshot.js';
import type { EventCollector } from './events.js';

/** How a stuck LSO's transaction reads, from its `hanging` verdict: never "hanging" while the coordinator has it. */
export function transactionWord(hanging: boolean | null | undefined): string {
  if (hanging === true) return 'hanging transaction';
  return hanging === false ? 'open transaction' : 'transaction';
}

/** Kafka's default transaction.max.timeout.ms: no transaction may legitimately stay open longer. */
export const DEFAULT_STUCK_LSO_MS = 15 * 60_000;

export interface LsoTrack {
  /** The LSO seen below the log end, and since when (ms); null while it is at the log end or unknown. */
  lso: number | null;
  lsoSinceMs: number;
  stuck: boolean;
}

/** Updates the track; returns when the LSO got stuck (ms), or null when it is not stuck. */
export function foldLso(
  track: LsoTrack,
  p: PartitionSnapshot,
  nowMs: number,
  boundMs: number,
): number | null {
  const lso = p.lastStableOffset ?? null;
  if (lso === null || p.logEndOffset === null || lso >= p.logEndOffset) {
    track.lso = null;
    track.stuck = false;
    return null;
  }
  if (track.lso !== lso) {
    track.lso = lso;
    track.lsoSinceMs = nowMs;
  }
  track.stuck = nowMs - track.lsoSinceMs >= boundMs;
  return track.stuck ? track.lsoSinceMs : null;
}

/**
 * A partition's LSO in this fold, with its `lso-stuck` / `lso-released` events; returns when it got stuck, or
 * null. No track is made for a partition whose LSO was never below its log end (the usual case).
 */
export function foldPartitionLso(
  track: { lso?: LsoTrack },
  topic: string,
  p: PartitionSnapshot,
  nowMs: number,
  boundMs: number,
  events: EventCollector,
): number | null {
  let lso = track.lso;
  if (lso === undefined) {
    if (p.lastStableOffset == null || p.logEndOffset === null || p.lastStableOffset >= p.logEndOffset)
      return null;
    lso = { lso: null, lsoSinceMs: nowMs, stuck: false };
    track.lso = lso;
  }
  const was = lso.stuck;
  const since = foldLso(lso, p, nowMs, boundMs);
  if (!was && since !== null) {
    events.emit({
      kind: 'lso-stuck',
      topic,
      partition: p.partition,
      lastStableOffset: lso.lso!,
      logEndOffset: p.logEndOffset!,
      sinceMs: nowMs - since,
      producerId: p.openTransaction?.producerId ?? null,
      transactionalId: p.openTransaction?.transactionalId ?? null,
      hanging: p.openTransaction?.hanging ?? null,
      broker: p.leader >= 0 ? p.leader : undefined,
    });
  } else if (was && since === null) {
    events.emit({
      kind: 'lso-released',
      topic,
      partition: p.partition,
      lastStableOffset: p.lastStableOffset ?? null,
    });
  }
  return since;
}
