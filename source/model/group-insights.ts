/**
 * What a group's figures add up to: its lag trend, its catch-up ETA, and the insights drawn from its
 * members (partitions per member, idle members, uneven assignment) with its retention risk.
 */

import type { GroupSnapshot } from '../snapshot.js';
import type { GroupTrack } from './fold-groups.js';
import type { RingSeries } from './series.js';
import type { CatchUpEta, GroupInsights, LagTrend, PartitionsPerMember, RetentionRisk } from './types.js';

export function lagTrend(history: RingSeries, window: number): LagTrend {
  const last = history.last;
  if (last === null || history.length < 2) return 'unknown';
  const seq = Math.max(history.firstSeq, history.lastSeq - window);
  const before = history.valueAt(seq);
  if (Number.isNaN(before)) return 'unknown';
  return last > before ? 'rising' : last < before ? 'falling' : 'flat';
}

export function eta(lag: number, consumeRate: number | null, produceRate: number | null): CatchUpEta {
  if (lag === 0) return { kind: 'caught-up' };
  if (consumeRate === null || produceRate === null) return { kind: 'unknown' };
  const net = consumeRate - produceRate;
  if (net <= 0) return { kind: 'not-catching-up' };
  return { kind: 'eta', ms: (lag / net) * 1000 };
}

/** Member-derived insights change only with the members (and whether the group is Stable). */
export function insights(
  track: GroupTrack,
  g: GroupSnapshot,
  retentionRisk: RetentionRisk,
  dataLossPartitions: number,
): GroupInsights {
  const members = track.members;
  // Assignments are only reported for Stable groups; elsewhere "idle" would be a false alarm.
  const assigned = g.state === 'Stable' && members.length > 0;
  const prev = track.insights;
  if (prev !== null && prev.members === members && prev.assigned === assigned) {
    if (prev.value.retentionRisk === retentionRisk && prev.value.dataLossPartitions === dataLossPartitions) {
      return prev.value;
    }
    prev.value = { ...prev.value, retentionRisk, dataLossPartitions };
    return prev.value;
  }
  const partitionsPerMember: PartitionsPerMember[] = members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.host,
    partitions: m.partitionCount,
  }));
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const m of members) {
    if (m.partitionCount < min) min = m.partitionCount;
    if (m.partitionCount > max) max = m.partitionCount;
  }
  const value: GroupInsights = {
    partitionsPerMember,
    idleMembers: assigned ? members.filter((m) => m.partitionCount === 0).map((m) => m.memberId) : [],
    unevenAssignment: assigned && max !== min,
    retentionRisk,
    dataLossPartitions,
  };
  track.insights = { members, assigned, value };
  return value;
}
