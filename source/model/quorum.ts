/**
 * The KRaft metadata quorum (DescribeQuorum, in the snapshot's `quorum`): who leads it (the active
 * controller), each voter's and observer's lag, how long ago it last fetched, and whether its metadata is
 * falling behind; and an event when leadership moves. Ages are measured against the latest fetch of any
 * replica, so both ends are the leader's clock, never ours.
 */
import type { QuorumReplicaSnapshot, QuorumSnapshot } from '../snapshot.js';
import type { EventCollector } from './events.js';

/**
 * A replica that last caught up with the leader this long before the latest fetch is falling behind: a
 * healthy one fetches every few hundred ms (controller.quorum.fetch.timeout.ms is 2 s).
 */
export const QUORUM_BEHIND_MS = 10_000;

export interface QuorumReplicaState {
  readonly id: number;
  readonly role: 'leader' | 'voter' | 'observer';
  readonly logEndOffset: number;
  /** highWatermark − logEndOffset. */
  readonly lag: number;
  /** Since its last fetch, against the latest fetch of any replica; null when unknown (the leader itself). */
  readonly lastFetchAgeMs: number | null;
  /** Since it last reached the leader's log end, measured the same way; null when unknown. */
  readonly lastCaughtUpAgeMs: number | null;
  readonly behind: boolean;
}

export interface QuorumState {
  /** -1 while the quorum has no leader. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  /** Voters then observers, each by id. */
  readonly replicas: readonly QuorumReplicaState[];
}

export function quorumState(q: QuorumSnapshot | null | undefined): QuorumState | null {
  if (!q) return null;
  let latest = Number.NEGATIVE_INFINITY;
  for (const r of q.voters)
    if (r.lastFetchTimestamp !== null) latest = Math.max(latest, r.lastFetchTimestamp);
  for (const r of q.observers)
    if (r.lastFetchTimestamp !== null) latest = Math.max(latest, r.lastFetchTimestamp);
  const replica = (r: QuorumReplicaSnapshot, voter: boolean): QuorumReplicaState => {
    const leader = r.id === q.leaderId;
    const known = Number.isFinite(latest);
    return {
      id: r.id,
      role: leader ? 'leader' : voter ? 'voter' : 'observer',
      logEndOffset: r.logEndOffset,
      lag: r.lag,
      lastFetchAgeMs:
        !leader && known && r.lastFetchTimestamp !== null ? latest - r.lastFetchTimestamp : null,
      lastCaughtUpAgeMs:
        !leader && known && r.lastCaughtUpTimestamp !== null ? latest - r.lastCaughtUpTimestamp : null,
      behind:
        !leader &&
        known &&
        r.lag > 0 &&
        (r.lastCaughtUpTimestamp === null || latest - r.lastCaughtUpTimestamp > QUORUM_BEHIND_MS),
    };
  };
  return {
    leaderId: q.leaderId,
    leaderEpoch: q.leaderEpoch,
    highWatermark: q.highWatermark,
    replicas: [...q.voters.map((r) => replica(r, true)), ...q.observers.map((r) => replica(r, false))],
  };
}

/** `controller-change` when two refreshes that both read the quorum name different leaders. */
export function diffQuorum(
  prev: QuorumSnapshot | null | undefined,
  cur: QuorumSnapshot | null | undefined,
  events: EventCollector,
): void {
  if (!prev || !cur || prev.leaderId === cur.leaderId) return;
  const to = cur.leaderId < 0 ? null : cur.leaderId;
  events.emit({
    kind: 'controller-change',
    from: prev.leaderId < 0 ? null : prev.leaderId,
    to,
    leaderEpoch: cur.leaderEpoch,
    ...(to === null ? {} : { broker: to }),
  });
}
