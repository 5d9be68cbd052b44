/**
 * Whether restarting a broker now keeps every partition it hosts writable for `acks=all` producers: the
 * check Strimzi's KafkaAvailability makes before rolling a broker. A restart takes the broker out of every
 * ISR it is in, so a partition whose ISR would fall below its topic's `min.insync.replicas` (or to nothing)
 * refuses `acks=all` writes until the broker is back. A partition the broker is not in sync for loses
 * nothing more. Pure: from the folded model only.
 */

import type { ClusterModel } from './types.js';

export type RestartBlockReason =
  /** The broker is the partition's only in-sync replica: it goes offline. */
  | 'only-in-sync-replica'
  /** The ISR holds exactly min.insync.replicas (or fewer) and the broker is one of them. */
  | 'at-min-isr'
  /**
   * The topic's min.insync.replicas could not be read (DescribeConfigs failed or was denied): the gate fails
   * closed, as Strimzi's does, rather than guess Kafka's default of 1.
   */
  | 'min-isr-unknown'
  /** The ISR already misses a replica: the restart takes it one further from full. */
  | 'under-replicated'
  /** The partition has no leader already (counted only while the broker is up). */
  | 'offline';

export interface RestartBlocker {
  readonly topic: string;
  readonly partition: number;
  readonly reason: RestartBlockReason;
  readonly isr: readonly number[];
  readonly replicas: readonly number[];
  /** The topic's min.insync.replicas; null when its configs could not be read. */
  readonly minIsr: number | null;
}

export interface RestartSafety {
  readonly brokerId: number;
  readonly safe: boolean;
  /** The broker is not in the cluster's metadata (never seen, or a typo). */
  readonly unknownBroker: boolean;
  /** Partitions the broker is a replica of. */
  readonly hosted: number;
  /** Worst first: offline, only in-sync replica, at min ISR, min ISR unknown, under-replicated. */
  readonly blockers: readonly RestartBlocker[];
  /**
   * Partitions no restart of this broker can keep available, however long one waits: it is in their ISR and
   * they have no more replicas than min.insync.replicas (replication factor 1, or RF 2 with min ISR 2).
   * Strimzi's KafkaAvailability skips them too: blocking on them would block every rolling restart for good.
   */
  readonly unavoidable: readonly { readonly topic: string; readonly partition: number }[];
  /** The broker votes in the KRaft controller quorum (null: the quorum is not known). */
  readonly quorumVoter: boolean | null;
  /** Why restarting it would leave the quorum without a majority in sync; null when it would not. */
  readonly quorumBlock: string | null;
  /** What could not be checked, said rather than assumed. */
  readonly notChecked: readonly string[];
}

/** Named so scripts and tests can match it: ZooKeeper clusters, and clusters that deny Describe on the cluster. */
export const QUORUM_NOT_CHECKED = 'quorum not checked: the cluster did not answer DescribeQuorum';

/**
 * A voter's restart keeps the controller quorum available only while a majority of all voters stays in sync
 * without it: the leader and voters not falling behind (quorum.ts), as Strimzi's KRaft quorum check counts.
 */
function quorumCheck(model: ClusterModel, brokerId: number): { voter: boolean | null; block: string | null } {
  const q = model.quorum;
  if (!q) return { voter: null, block: null };
  const voters = q.replicas.filter((r) => r.role !== 'observer');
  if (!voters.some((v) => v.id === brokerId)) return { voter: false, block: null };
  if (q.leaderId < 0) return { voter: true, block: 'the controller quorum has no leader already' };
  const needed = Math.floor(voters.length / 2) + 1;
  const inSync = voters.filter((v) => v.id !== brokerId && !v.behind);
  if (inSync.length >= needed) return { voter: true, block: null };
  return {
    voter: true,
    block: `node ${brokerId} votes in the controller quorum: without it ${inSync.length} of ${voters.length} voters are in sync (${inSync.map((v) => v.id).join(',') || 'none'}), a majority needs ${needed}`,
  };
}

const RANK: Record<RestartBlockReason, number> = {
  offline: 0,
  'only-in-sync-replica': 1,
  'at-min-isr': 2,
  'min-isr-unknown': 3,
  'under-replicated': 4,
};

export function restartSafety(model: ClusterModel, brokerId: number): RestartSafety {
  const broker = model.brokers.find((b) => b.id === brokerId);
  const unknownBroker = broker === undefined;
  // A down broker serves nothing: restarting it is how its offline partitions come back.
  const up = broker?.up ?? false;
  const blockers: RestartBlocker[] = [];
  const unavoidable: { topic: string; partition: number }[] = [];
  let hosted = 0;
  for (const t of model.topics) {
    const minIsr = t.minIsr;
    for (const p of t.partitions) {
      if (!p.replicas.includes(brokerId)) continue;
      hosted++;
      let reason: RestartBlockReason | null = null;
      if (p.offline) {
        if (!up) continue;
        reason = 'offline';
      } else if (!p.isr.includes(brokerId)) continue;
      else if (p.replicas.length <= Math.max(1, minIsr ?? 1)) {
        unavoidable.push({ topic: t.name, partition: p.partition });
        continue;
      } else if (p.isr.length === 1) reason = 'only-in-sync-replica';
      else if (minIsr === null) reason = 'min-isr-unknown';
      else if (p.isr.length <= minIsr) reason = 'at-min-isr';
      else if (p.isr.length < p.replicas.length) reason = 'under-replicated';
      if (reason === null) continue;
      blockers.push({
        topic: t.name,
        partition: p.partition,
        reason,
        isr: p.isr,
        replicas: p.replicas,
        minIsr,
      });
    }
  }
  // Internal topics after the user's, as everywhere else: the first lines listed name what the user owns.
  const internal = new Set<string>();
  for (const t of model.topics) if (t.internal) internal.add(t.name);
  blockers.sort(
    (a, b) =>
      RANK[a.reason] - RANK[b.reason] ||
      Number(internal.has(a.topic)) - Number(internal.has(b.topic)) ||
      (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) ||
      a.partition - b.partition,
  );
  const quorum = quorumCheck(model, brokerId);
  return {
    brokerId,
    safe: !unknownBroker && blockers.length === 0 && quorum.block === null,
    unknownBroker,
    hosted,
    blockers,
    unavoidable,
    quorumVoter: quorum.voter,
    quorumBlock: quorum.block,
    notChecked: quorum.voter === null ? [QUORUM_NOT_CHECKED] : [],
  };
}

/** Why one partition blocks the restart, in words; `topic` is raw: the caller sanitizes it for a terminal. */
export function blockerText(b: RestartBlocker, brokerId: number): string {
  const isr = `ISR ${b.isr.join(',') || 'none'} of replicas ${b.replicas.join(',')}`;
  switch (b.reason) {
    case 'offline':
      return `offline already (${isr})`;
    case 'only-in-sync-replica':
      return `broker ${brokerId} is the only in-sync replica: the partition would go offline (${isr})`;
    case 'at-min-isr':
      return `broker ${brokerId} is in an ISR of exactly min.insync.replicas=${b.minIsr}: acks=all writes would fail (${isr})`;
    case 'min-isr-unknown':
      return `min.insync.replicas unknown (the topic's configs could not be read): not assumed safe (${isr})`;
    case 'under-replicated':
      return `already under-replicated (${isr})`;
  }
}

/** One short phrase for a facts line: "yes", or "no (orders-3: at min ISR, and 2 more)". */
export function restartSummary(s: RestartSafety): string {
  if (s.unknownBroker) return 'no (not in metadata)';
  if (s.safe) return 'yes';
  const first = s.blockers[0];
  if (!first) return 'no (controller quorum majority)';
  const word: Record<RestartBlockReason, string> = {
    offline: 'offline',
    'only-in-sync-replica': 'only in-sync replica',
    'at-min-isr': 'at min ISR',
    'min-isr-unknown': 'min ISR unknown',
    'under-replicated': 'under-replicated',
  };
  const more = s.blockers.length - 1;
  return `no (${first.topic}-${first.partition}: ${word[first.reason]}${more > 0 ? `, and ${more} more` : ''})`;
}
