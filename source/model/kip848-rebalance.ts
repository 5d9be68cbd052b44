/**
 * Consumer-protocol (KIP-848) rebalances, as the broker defines them (`ConsumerGroup.maybeUpdateGroupState`):
 * a member has converged when its member epoch equals the group's assignment epoch and its assignment
 * equals its target; the group is Assigning while its group epoch is ahead of the assignment epoch and
 * Reconciling while a member has not converged. A rebalance starts at a group-epoch bump. A member still
 * on an old epoch three heartbeats after others reached the new one is stuck (a slow revocation: it holds
 * partitions the others wait for).
 */
import type { GroupSnapshot, GroupType, MemberSnapshot, TopicPartitions } from '../snapshot.js';
import type { EventCollector } from './events.js';
import type { GroupEpochs } from './types.js';

/**
 * Three heartbeats at the broker's default `group.consumer.heartbeat.interval.ms` (5 s): a member that
 * converges as it should does so at its next heartbeat.
 */
export const STUCK_AFTER_MS = 15_000;

/** Per consumer-protocol group, between refreshes. */
export interface Kip848Track {
  /** Members on an old epoch while others were on the assignment epoch, with when that was first seen. */
  behindAlone: Map<string, number>;
  /** Members already reported stuck in this episode. */
  reported: Set<string>;
}

/** A group described by ConsumerGroupDescribe (KIP-848 members with epochs). */
export function isKip848(g: GroupSnapshot): boolean {
  return g.consumerProtocol === true && g.groupEpoch !== undefined && g.assignmentEpoch !== undefined;
}

export function sameAssignment(a: readonly TopicPartitions[], b: readonly TopicPartitions[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.topic !== y.topic || x.partitions.length !== y.partitions.length) return false;
    for (let k = 0; k < x.partitions.length; k++) if (x.partitions[k] !== y.partitions[k]) return false;
  }
  return true;
}

export function converged(m: MemberSnapshot, assignmentEpoch: number): boolean {
  return (
    m.memberEpoch === assignmentEpoch && sameAssignment(m.assignment, m.targetAssignment ?? m.assignment)
  );
}

/** The broker's state rule, from epochs and assignments. */
export function kip848Phase(g: GroupSnapshot): 'Assigning' | 'Reconciling' | 'Stable' | 'Empty' {
  if (g.members.length === 0) return 'Empty';
  if (g.groupEpoch! > g.assignmentEpoch!) return 'Assigning';
  for (const m of g.members) if (!converged(m, g.assignmentEpoch!)) return 'Reconciling';
  return 'Stable';
}

/** A rebalance started between the two refreshes: the group epoch moved. */
export function groupEpochBumped(prev: GroupSnapshot, cur: GroupSnapshot): boolean {
  return isKip848(prev) && isKip848(cur) && cur.groupEpoch! > prev.groupEpoch!;
}

/**
 * Partitions pending revocation: in one member's target while still in another member's current
 * assignment (the new owner waits for the old one to let go).
 */
export function pendingRevocations(g: GroupSnapshot): number {
  const current = new Map<string, string>();
  for (const m of g.members) {
    for (const a of m.assignment)
      for (const p of a.partitions) current.set(`${a.topic}\u0000${p}`, m.memberId);
  }
  let pending = 0;
  for (const m of g.members) {
    for (const a of m.targetAssignment ?? []) {
      for (const p of a.partitions) {
        const owner = current.get(`${a.topic}\u0000${p}`);
        if (owner !== undefined && owner !== m.memberId) pending++;
      }
    }
  }
  return pending;
}

/**
 * Emits `member-stuck` for a member still on an old epoch STUCK_AFTER_MS after some other member reached
 * the assignment epoch, once per episode. A member at the new epoch that still waits for partitions is
 * not stuck: it waits for the stuck one.
 */
export function watchStuckMembers(
  track: Kip848Track,
  g: GroupSnapshot,
  nowMs: number,
  events: EventCollector,
): void {
  const epoch = g.assignmentEpoch!;
  let behind = 0;
  for (const m of g.members) if (m.memberEpoch !== epoch) behind++;
  // Alone: some moved on and some did not. All behind is the rebalance itself, not one member.
  const alone = behind > 0 && behind < g.members.length;
  for (const id of track.behindAlone.keys()) {
    if (!alone || !g.members.some((m) => m.memberId === id && m.memberEpoch !== epoch)) {
      track.behindAlone.delete(id);
      track.reported.delete(id);
    }
  }
  if (!alone) return;
  for (const m of g.members) {
    if (m.memberEpoch === epoch) continue;
    const since = track.behindAlone.get(m.memberId) ?? nowMs;
    track.behindAlone.set(m.memberId, since);
    if (nowMs - since >= STUCK_AFTER_MS && !track.reported.has(m.memberId)) {
      track.reported.add(m.memberId);
      events.emit({
        kind: 'member-stuck',
        group: g.groupId,
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.host,
        memberEpoch: m.memberEpoch ?? -1,
        assignmentEpoch: epoch,
        behindForMs: nowMs - since,
      });
    }
  }
}

/** The group's type as ListGroups v5 named it, else what its protocol type and DescribeGroups said. */
export function groupType(g: GroupSnapshot): GroupType {
  if (g.type) return g.type;
  if (g.consumerProtocol) return 'consumer';
  return g.protocolType === 'share' || g.protocolType === 'streams' ? g.protocolType : 'classic';
}

/**
 * The epochs of a group a Kafka 4 API described; null for classic groups and undescribed ones. `last`,
 * the group's epochs last refresh, is handed back while nothing in it changed: no object per group per
 * refresh while epochs hold still, which is nearly always.
 */
export function epochsOf(g: GroupSnapshot, last: GroupEpochs | null | undefined): GroupEpochs | null {
  if (g.groupEpoch === undefined || g.assignmentEpoch === undefined) return null;
  // Only while members are moving: a converged group has none, and counting allocates per partition.
  const pending = g.consumerProtocol && kip848Phase(g) === 'Reconciling' ? pendingRevocations(g) : 0;
  if (
    last &&
    last.group === g.groupEpoch &&
    last.assignment === g.assignmentEpoch &&
    last.topology === g.topologyEpoch &&
    last.pendingRevocations === pending
  ) {
    return last;
  }
  return {
    group: g.groupEpoch,
    assignment: g.assignmentEpoch,
    ...(g.topologyEpoch === undefined ? {} : { topology: g.topologyEpoch }),
    pendingRevocations: pending,
  };
}
