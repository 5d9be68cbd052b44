/**
 * The Kafka 4.4 parts of the demo: a consumer-protocol (KIP-848) group reconciled the way the broker's group
 * coordinator does it (`CurrentAssignmentBuilder`), a share group, and the KRaft metadata quorum; and the
 * snapshot fields the live collector builds from ConsumerGroupDescribe, ShareGroupDescribe,
 * DescribeShareGroupOffsets and DescribeQuorum for them (source/kafka/kafka4-descriptions.ts, quorum.ts).
 */

import type {
  GroupPartitionSnapshot,
  GroupSnapshot,
  MemberSnapshot,
  QuorumReplicaSnapshot,
  QuorumSnapshot,
  TopicPartitions,
} from '../snapshot.js';
import { lagOf } from '../snapshot.js';
import { assign } from './assignors.js';
import type { SimCluster, SimGroup, SimMember } from './model.js';
import { partitionKey } from './model.js';
import type { Rng } from './rng.js';

/** A consumer-protocol member as the coordinator holds it. */
export interface K4Member {
  member: SimMember;
  epoch: number;
  /** What ConsumerGroupDescribe reports as its assignment: partitions pending revocation are not in it. */
  assigned: Set<string>;
  /** Partitions the member was asked to give up and has not acknowledged yet (reported by no describe). */
  pendingRevocation: Set<string>;
}

export interface K4Group {
  groupEpoch: number;
  assignmentEpoch: number;
  members: K4Member[];
  /** Target assignment: member id → `topic:partition` keys. */
  target: Map<string, Set<string>>;
}

export interface SimQuorum {
  leaderId: number;
  leaderEpoch: number;
  voters: number[];
  /** Metadata records written per second (NoOpRecords every 500 ms, plus broker registrations). */
  recordsPerSecond: number;
  /** Offset of the metadata log at `since`. */
  base: number;
  since: number;
}

/** A KIP-848 member id: the Java client's `Uuid.randomUuid()`, 22 characters of base64url. */
export function memberUuid(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (let i = 0; i < 22; i++) id += alphabet[rng.int(0, alphabet.length - 1)];
  return id;
}

/** A new member heartbeats with epoch 0: the group epoch is bumped (the group is Assigning until the target is computed). */
export function joinGroup(k4: K4Group, member: SimMember): void {
  k4.members.push({ member, epoch: 0, assigned: new Set(), pendingRevocation: new Set() });
  k4.groupEpoch++;
}

/** A member leaves (heartbeat with epoch -1): its partitions are free at once, the group epoch is bumped. */
export function leaveGroup(k4: K4Group, memberId: string): void {
  k4.members = k4.members.filter((m) => m.member.memberId !== memberId);
  k4.target.delete(memberId);
  k4.groupEpoch++;
}

/** The coordinator computes the target assignment for the group epoch (server-side, sticky). */
export function computeTarget(k4: K4Group, group: SimGroup, cluster: SimCluster): void {
  const counts = group.topics.map((topic) => ({
    topic,
    partitions: cluster.topics.find((t) => t.name === topic)?.partitions.length ?? 0,
  }));
  const previous = new Map<string, string>();
  for (const [memberId, keys] of k4.target) for (const key of keys) previous.set(key, memberId);
  const owners = assign(
    'cooperative-sticky',
    k4.members.map((m) => m.member.memberId),
    counts,
    previous,
  );
  k4.target = new Map(k4.members.map((m) => [m.member.memberId, new Set<string>()]));
  for (const [key, memberId] of owners) k4.target.get(memberId)?.add(key);
  k4.assignmentEpoch = k4.groupEpoch;
}

/**
 * One heartbeat of one member, as `CurrentAssignmentBuilder` reconciles it: a member that must give up
 * partitions stays on its epoch until it acknowledges the revocation (its next heartbeat); otherwise it moves
 * to the assignment epoch and gets the target partitions nobody else still holds.
 */
export function heartbeat(k4: K4Group, m: K4Member): void {
  // No new target yet: nothing to reconcile towards.
  if (k4.groupEpoch > k4.assignmentEpoch) return;
  m.pendingRevocation.clear();
  const target = k4.target.get(m.member.memberId) ?? new Set<string>();
  const revoke: string[] = [];
  for (const key of m.assigned) if (!target.has(key)) revoke.push(key);
  if (revoke.length > 0) {
    for (const key of revoke) {
      m.assigned.delete(key);
      m.pendingRevocation.add(key);
    }
    return;
  }
  for (const key of target) if (!m.assigned.has(key) && !heldByOther(k4, m, key)) m.assigned.add(key);
  m.epoch = k4.assignmentEpoch;
}

function heldByOther(k4: K4Group, self: K4Member, key: string): boolean {
  for (const m of k4.members) {
    if (m !== self && (m.assigned.has(key) || m.pendingRevocation.has(key))) return true;
  }
  return false;
}

export function converged(k4: K4Group, m: K4Member): boolean {
  if (m.epoch !== k4.assignmentEpoch || m.pendingRevocation.size > 0) return false;
  const target = k4.target.get(m.member.memberId);
  if (!target || target.size !== m.assigned.size) return false;
  for (const key of target) if (!m.assigned.has(key)) return false;
  return true;
}

/** Heartbeats every member until the group has converged (a few heartbeat rounds). */
export function settle(k4: K4Group): void {
  for (let round = 0; round < 4; round++) {
    if (k4.members.every((m) => converged(k4, m))) return;
    for (const m of k4.members) heartbeat(k4, m);
  }
}

/** The broker's state rule (`ConsumerGroup.maybeUpdateGroupState`). */
export function k4State(k4: K4Group): string {
  if (k4.members.length === 0) return 'Empty';
  if (k4.groupEpoch > k4.assignmentEpoch) return 'Assigning';
  return k4.members.every((m) => converged(k4, m)) ? 'Stable' : 'Reconciling';
}

function topicPartitions(keys: Iterable<string>): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const key of keys) {
    const cut = key.lastIndexOf(':');
    const topic = key.slice(0, cut);
    let list = byTopic.get(topic);
    if (!list) {
      list = [];
      byTopic.set(topic, list);
    }
    list.push(Number(key.slice(cut + 1)));
  }
  return [...byTopic]
    .map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }))
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/** A consumer-protocol group as ConsumerGroupDescribe and OffsetFetch show it. */
export function consumerGroupSnapshot(
  g: SimGroup,
  k4: K4Group,
  logEnds: ReadonlyMap<string, number>,
): GroupSnapshot {
  const owners = new Map<string, string>();
  const members: MemberSnapshot[] = k4.members.map((m) => {
    for (const key of m.assigned) owners.set(key, m.member.memberId);
    return {
      memberId: m.member.memberId,
      clientId: m.member.clientId,
      host: m.member.host,
      assignment: topicPartitions(m.assigned),
      memberEpoch: m.epoch,
      instanceId: null,
      rackId: null,
      targetAssignment: topicPartitions(k4.target.get(m.member.memberId) ?? []),
    };
  });
  let totalLag = 0;
  const partitions: GroupPartitionSnapshot[] = g.partitions.map((gp) => {
    const key = partitionKey(gp.topic, gp.partition);
    const logEndOffset = logEnds.get(key) ?? null;
    const lag = lagOf(gp.committed, logEndOffset);
    totalLag += lag ?? 0;
    return {
      topic: gp.topic,
      partition: gp.partition,
      committedOffset: gp.committed,
      logEndOffset,
      lastStableOffset: logEndOffset,
      lag,
      memberId: owners.get(key) ?? null,
    };
  });
  return {
    groupId: g.groupId,
    type: 'consumer',
    groupEpoch: k4.groupEpoch,
    assignmentEpoch: k4.assignmentEpoch,
    state: k4State(k4),
    protocolType: 'consumer',
    protocol: g.assignor,
    consumerProtocol: true,
    members,
    totalLag,
    partitions,
    error: null,
  };
}

/**
 * A share group as ShareGroupDescribe and DescribeShareGroupOffsets v1 show it: members (no target
 * assignment, assignor `simple`), each share-partition's start offset and the broker's lag; no commits.
 * The group's position stands for the start offset: records before it are acknowledged.
 */
export function shareGroupSnapshot(
  g: SimGroup,
  epoch: number,
  logEnds: ReadonlyMap<string, number>,
): GroupSnapshot {
  const members: MemberSnapshot[] = g.members.map((m, i) => {
    // The simple assignor spreads partitions over members; with more partitions than members each gets some.
    const keys = g.partitions
      .filter((_, k) => k % g.members.length === i)
      .map((gp) => partitionKey(gp.topic, gp.partition));
    return {
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.host,
      assignment: topicPartitions(keys),
      memberEpoch: epoch,
      rackId: null,
    };
  });
  let totalLag = 0;
  const partitions: GroupPartitionSnapshot[] = g.partitions.map((gp, k) => {
    const key = partitionKey(gp.topic, gp.partition);
    const logEndOffset = logEnds.get(key) ?? null;
    const startOffset = Math.floor(gp.position);
    const lag = lagOf(startOffset, logEndOffset);
    totalLag += lag ?? 0;
    return {
      topic: gp.topic,
      partition: gp.partition,
      committedOffset: null,
      logEndOffset,
      lag,
      memberId: g.members.length > 0 ? (g.members[k % g.members.length]?.memberId ?? null) : null,
      startOffset,
    };
  });
  return {
    groupId: g.groupId,
    type: 'share',
    groupEpoch: epoch,
    assignmentEpoch: epoch,
    state: g.members.length > 0 ? 'Stable' : 'Empty',
    protocolType: 'share',
    protocol: 'simple',
    consumerProtocol: false,
    members,
    totalLag,
    partitions,
    error: null,
  };
}

/**
 * DescribeQuorum's answer: the dedicated controllers vote, the brokers observe. Every replica fetches about
 * every 500 ms and is caught up (its last fetch reached the high watermark); the leader reports no fetch.
 */
export function quorumSnapshot(q: SimQuorum, cluster: SimCluster): QuorumSnapshot {
  const hw = q.base + Math.floor(((cluster.now - q.since) / 1000) * q.recordsPerSecond);
  const replica = (id: number, k: number): QuorumReplicaSnapshot => {
    const fetchedAt = id === q.leaderId ? null : cluster.now - ((id * 97 + k * 131) % 450);
    return {
      id,
      logEndOffset: hw,
      lag: 0,
      lastFetchTimestamp: fetchedAt,
      lastCaughtUpTimestamp: fetchedAt,
    };
  };
  const observers = cluster.brokers.filter((b) => b.alive).map((b) => b.id);
  return {
    leaderId: q.leaderId,
    leaderEpoch: q.leaderEpoch,
    highWatermark: hw,
    voters: q.voters.map(replica),
    observers: observers.map(replica),
  };
}
