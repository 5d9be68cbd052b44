/**
 * Consumer groups: the fold that wires them. Per group per refresh: carry a failed refresh forward, track
 * its members, diff it with the last refresh for events (group-events.ts), push its lag history, and fold
 * its partitions into its state (group-partitions.ts; lag trend, ETA and insights in group-insights.ts;
 * the state object, partitions built on first read, in group-state.ts).
 */
import type { GroupSnapshot, MemberSnapshot } from '../snapshot.js';
import type { EventCollector } from './events.js';
import type { PartitionTrack } from './fold-topics.js';
import { diffGroup, sameMembers } from './group-events.js';
import { type GroupPartitionTrack, groupState } from './group-partitions.js';
import type { FoldedGroup } from './group-state.js';
import { isRebalancing, knowsMembers } from './kafka-facts.js';
import type { Kip848Track } from './kip848-rebalance.js';
import type { ResolvedOptions } from './model.js';
import { PartitionTable } from './partition-table.js';
import { BucketSeries, RingSeries, type TimeAxis } from './series.js';
import { shareLagUnknown } from './share-groups.js';
import { sortedBy } from './sorted.js';
import type {
  GroupEpochs,
  GroupInsights,
  GroupState,
  LagTrend,
  MemberState,
  StatusWithReason,
  TopicState,
} from './types.js';
import { type Ranked, severity, timeLagBand, UNKNOWN_BAND, worstFirst } from './worst-first.js';

export interface GroupTrack {
  readonly groupId: string;
  prev: GroupSnapshot;
  /** The rebalance in progress: when it was first seen and the states seen so far. */
  rebalance: { startMs: number; states: string[] } | null;
  /** Owner per partition at the last Stable refresh, to detect moved partitions. */
  stableOwners: PartitionTable<MemberSnapshot> | null;
  rebalanceEnds: number[];
  readonly lagHistory: RingSeries;
  readonly longLagHistory: BucketSeries;
  readonly partitions: PartitionTable<GroupPartitionTrack>;
  /** Owner per partition from the current members, recomputed only when members change. */
  owners: PartitionTable<MemberSnapshot>;
  members: readonly MemberState[];
  seenSeq: number;
  /** The group's status reason last fold, reused while its worst partition's verdict is the same. */
  groupReason: { result: StatusWithReason; topic: string; partition: number; text: string } | null;
  insights: { members: readonly MemberState[]; assigned: boolean; value: GroupInsights } | null;
  /** The lag trend reported last refresh (its hysteresis). */
  lagTrend: LagTrend;
  /** Time-lag band and position in the worst-first order last refresh (worst-first.ts). */
  band: number;
  worstFirst: number;
  /** Consumer-protocol groups: members behind alone (kip848-rebalance.ts). */
  kip848?: Kip848Track;
  /** Kafka 4 groups: the epochs last refresh, kept while unchanged (kip848-rebalance.ts, epochsOf). */
  epochs?: GroupEpochs | null;
}

function toMemberStates(members: readonly MemberSnapshot[]): MemberState[] {
  return members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.host,
    assignment: m.assignment,
    partitionCount: m.assignment.reduce((n, a) => n + a.partitions.length, 0),
    ...(m.memberEpoch === undefined ? {} : { memberEpoch: m.memberEpoch }),
    ...(m.targetAssignment === undefined ? {} : { targetAssignment: m.targetAssignment }),
    ...(m.tasks === undefined ? {} : { tasks: m.tasks }),
    ...(m.processId === undefined ? {} : { processId: m.processId }),
  }));
}

function ownersOf(members: readonly MemberSnapshot[]): PartitionTable<MemberSnapshot> {
  const owners = new PartitionTable<MemberSnapshot>();
  for (const m of members) {
    for (const a of m.assignment) for (const p of a.partitions) owners.set(a.topic, p, m);
  }
  return owners;
}

/**
 * When the collector could not describe a group or read its offsets (its coordinator is down or moving,
 * `error` is set), the group did not change: keep the last description and offsets, so the failed refresh
 * reads as neither every member leaving nor the lag dropping to 0.
 */
export function carryForward(prev: GroupSnapshot, cur: GroupSnapshot): GroupSnapshot {
  if (!cur.error) return cur;
  const undescribed = cur.state === 'Unknown' && cur.members.length === 0 && !cur.consumerProtocol;
  const noOffsets = cur.partitions.length === 0 && prev.partitions.length > 0;
  if (!undescribed && !noOffsets) return cur;
  return {
    ...cur,
    ...(undescribed
      ? { state: prev.state, protocolType: prev.protocolType, protocol: prev.protocol, members: prev.members }
      : {}),
    ...(noOffsets ? { partitions: prev.partitions, totalLag: prev.totalLag } : {}),
  };
}

function byGroupId(a: GroupSnapshot, b: GroupSnapshot): number {
  return a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0;
}

export function foldGroups(
  snapshotGroups: readonly GroupSnapshot[],
  tracks: Map<string, GroupTrack>,
  partitions: PartitionTable<PartitionTrack>,
  topicsByName: ReadonlyMap<string, TopicState>,
  axis: TimeAxis,
  opts: ResolvedOptions,
  events: EventCollector,
  first: boolean,
  nowMs: number,
): GroupState[] {
  const out: GroupState[] = [];
  const ranked: Ranked[] = [];
  const minQuietMs = Math.max(
    opts.stallAfterMs,
    nowMs - axis.timeOf(Math.max(0, axis.seq - opts.statusWindow + 1)),
  );

  for (const seen of sortedBy(snapshotGroups, byGroupId)) {
    let track = tracks.get(seen.groupId);
    const g = track ? carryForward(track.prev, seen) : seen;
    const lagKnown = (g === seen || seen.partitions.length > 0) && !shareLagUnknown(g);
    if (!track) {
      track = {
        groupId: g.groupId,
        prev: g,
        rebalance: isRebalancing(g.state) ? { startMs: nowMs, states: [g.state] } : null,
        stableOwners: null,
        rebalanceEnds: [],
        lagHistory: new RingSeries(axis),
        longLagHistory: new BucketSeries(opts.longHistory.length, opts.longHistory.bucketMs, 'max'),
        partitions: new PartitionTable(),
        owners: ownersOf(g.members),
        members: toMemberStates(g.members),
        seenSeq: axis.seq,
        groupReason: null,
        insights: null,
        lagTrend: 'unknown',
        band: UNKNOWN_BAND,
        worstFirst: Number.POSITIVE_INFINITY,
      };
      if (g.state === 'Stable' && knowsMembers(g)) track.stableOwners = track.owners;
      tracks.set(g.groupId, track);
    } else {
      const membersSame = sameMembers(track.prev.members, g.members);
      if (!membersSame) {
        track.owners = ownersOf(g.members);
        track.members = toMemberStates(g.members);
      }
      if (!first) diffGroup(track, g, membersSame, nowMs, events);
      track.prev = g;
      track.seenSeq = axis.seq;
    }
    // A refresh that could not read the group's offsets leaves a gap in its history, not a dip to 0.
    track.lagHistory.push(lagKnown ? g.totalLag : Number.NaN);
    if (lagKnown) track.longLagHistory.push(nowMs, g.totalLag);
    const state = groupState(
      track,
      g,
      partitions,
      topicsByName,
      axis,
      opts,
      events,
      first,
      nowMs,
      minQuietMs,
    );
    track.band = timeLagBand(state.timeLagMs, track.band);
    ranked.push({ group: state, severity: severity(state), band: track.band, prevPos: track.worstFirst });
    out.push(state);
  }
  for (const [id, t] of tracks) if (t.seenSeq !== axis.seq) tracks.delete(id);
  worstFirst(ranked);
  for (let i = 0; i < ranked.length; i++) {
    const g = ranked[i]!.group as FoldedGroup;
    g.worstFirst = i;
    tracks.get(g.groupId)!.worstFirst = i;
  }
  return out;
}
