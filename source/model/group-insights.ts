/**
 * The insights drawn from a group's members (partitions per member, idle members, uneven assignment)
 * with its retention risk. Its lag trend and ETA are in lag-trend.ts.
 */

import type { GroupSnapshot } from '../snapshot.js';
import { unevenAssignments } from './config-insights.js';
import type { GroupTrack } from './fold-groups.js';
import type { GroupInsights, PartitionsPerMember, RetentionRisk } from './types.js';

/**
 * Member-derived insights change only with the members (and whether the group is Stable). The assignor, which
 * decides how an uneven spread is counted, changes only through a rebalance, which hands out new assignments.
 */
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
  const value: GroupInsights = {
    partitionsPerMember,
    idleMembers: assigned ? members.filter((m) => m.partitionCount === 0).map((m) => m.memberId) : [],
    unevenAssignments: unevenAssignments(g.protocolType, g.state, g.protocol, members),
    retentionRisk,
    dataLossPartitions,
  };
  track.insights = { members, assigned, value };
  return value;
}
