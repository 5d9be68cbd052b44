/**
 * Consumer groups: lag history, rates, time lag, ETA, Burrow status, retention risk, insights and
 * the rebalance / membership / assignment / data-loss events.
 */

import type { GroupPartitionSnapshot, GroupSnapshot, MemberSnapshot } from '../snapshot.js';
import { CommitWindow, evaluateStatus, worstStatus } from './burrow.js';
import type { EventCollector } from './events.js';
import { type PartitionTrack, recordLogEnd } from './fold-topics.js';
import { isRebalancing, partitionKey, rebalanceProtocol } from './kafka-facts.js';
import type { ResolvedOptions } from './model.js';
import { retentionRisk, worseRisk } from './retention.js';
import { RingSeries, type TimeAxis } from './series.js';
import { ratePerSecond, timeLag } from './time-lag.js';
import type {
  CatchUpEta,
  ConsumerStatus,
  GroupInsights,
  GroupPartitionState,
  GroupState,
  LagTrend,
  MemberState,
  PartitionsPerMember,
  RetentionRisk,
  TopicState,
} from './types.js';

const FIFTEEN_MINUTES = 15 * 60_000;
/** Rebalance end times kept per group: enough to count a burst. */
const MAX_REBALANCE_MARKS = 200;

interface GroupPartitionTrack {
  readonly lag: RingSeries;
  /** Short history of committed offsets for the consume rate. */
  readonly committed: RingSeries;
  readonly window: CommitWindow;
  dataLost: boolean;
}

export interface GroupTrack {
  readonly groupId: string;
  prev: GroupSnapshot;
  /** The rebalance in progress: when it was first seen and the states seen so far. */
  rebalance: { startMs: number; states: string[] } | null;
  /** Owner per partition key at the last Stable refresh, to detect moved partitions. */
  stableOwners: Map<string, MemberSnapshot> | null;
  rebalanceEnds: number[];
  readonly lagHistory: RingSeries;
  readonly partitions: Map<string, GroupPartitionTrack>;
  membersSignature: string;
  members: readonly MemberState[];
  seenSeq: number;
}

function membersSignature(members: readonly MemberSnapshot[]): string {
  let s = '';
  for (const m of members) {
    s += `${m.memberId}\u0001${m.clientId}\u0001${m.host}\u0001`;
    for (const a of m.assignment) s += `${a.topic}\u0002${a.partitions.join(',')}\u0002`;
    s += '\u0000';
  }
  return s;
}

function toMemberStates(members: readonly MemberSnapshot[]): MemberState[] {
  return members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.host,
    assignment: m.assignment,
    partitionCount: m.assignment.reduce((n, a) => n + a.partitions.length, 0),
  }));
}

function ownersOf(members: readonly MemberSnapshot[]): Map<string, MemberSnapshot> {
  const owners = new Map<string, MemberSnapshot>();
  for (const m of members) {
    for (const a of m.assignment) for (const p of a.partitions) owners.set(partitionKey(a.topic, p), m);
  }
  return owners;
}

function splitKey(key: string): { topic: string; partition: number } {
  const i = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, i), partition: Number(key.slice(i + 1)) };
}

/** Membership is only meaningful for classic consumer groups that report members. */
function knowsMembers(g: GroupSnapshot): boolean {
  return !g.consumerProtocol && g.protocolType === 'consumer' && g.state !== 'Dead';
}

function diffGroup(track: GroupTrack, cur: GroupSnapshot, nowMs: number, events: EventCollector): void {
  const prev = track.prev;
  const group = cur.groupId;
  const wasRebalancing = isRebalancing(prev.state);
  const rebalancing = isRebalancing(cur.state);

  let membersChanged = false;
  if (knowsMembers(prev) && knowsMembers(cur)) {
    const before = new Map(prev.members.map((m) => [m.memberId, m]));
    const after = new Map(cur.members.map((m) => [m.memberId, m]));
    for (const [id, m] of before) {
      if (after.has(id)) continue;
      membersChanged = true;
      events.emit({ kind: 'member-leave', group, memberId: id, clientId: m.clientId, host: m.host });
    }
    for (const [id, m] of after) {
      if (before.has(id)) continue;
      membersChanged = true;
      events.emit({ kind: 'member-join', group, memberId: id, clientId: m.clientId, host: m.host });
    }
  }

  // Assignments are only filled in Stable refreshes: compare each Stable one with the last.
  let moved = 0;
  if (cur.state === 'Stable' && knowsMembers(cur)) {
    const owners = ownersOf(cur.members);
    const before = track.stableOwners;
    if (before !== null) {
      const keys = new Set([...before.keys(), ...owners.keys()]);
      for (const key of keys) {
        const from = before.get(key) ?? null;
        const to = owners.get(key) ?? null;
        if (from?.memberId === to?.memberId) continue;
        moved++;
        events.emit({
          kind: 'assignment-move',
          group,
          ...splitKey(key),
          fromMember: from?.memberId ?? null,
          toMember: to?.memberId ?? null,
          fromClientId: from?.clientId ?? null,
          toClientId: to?.clientId ?? null,
        });
      }
    }
    track.stableOwners = owners;
  }

  if (!wasRebalancing && rebalancing) {
    track.rebalance = { startMs: nowMs, states: [prev.state, cur.state] };
    events.emit({ kind: 'rebalance-start', group, fromState: prev.state, state: cur.state });
  } else if (wasRebalancing && rebalancing) {
    const r = track.rebalance;
    if (r && r.states[r.states.length - 1] !== cur.state) r.states.push(cur.state);
  } else if (wasRebalancing && !rebalancing) {
    const r = track.rebalance;
    events.emit({
      kind: 'rebalance-end',
      group,
      states: r ? [...r.states, cur.state] : [prev.state, cur.state],
      durationMs: r ? nowMs - r.startMs : null,
      observed: true,
    });
    track.rebalance = null;
    track.rebalanceEnds.push(nowMs);
  } else if (membersChanged || moved > 0) {
    // Neither refresh saw it, but members or partitions changed: it happened in between.
    events.emit({
      kind: 'rebalance-end',
      group,
      states: [prev.state, cur.state],
      durationMs: null,
      observed: false,
    });
    track.rebalanceEnds.push(nowMs);
  }
  while (
    track.rebalanceEnds.length > 0 &&
    (nowMs - track.rebalanceEnds[0]! > FIFTEEN_MINUTES || track.rebalanceEnds.length > MAX_REBALANCE_MARKS)
  ) {
    track.rebalanceEnds.shift();
  }
}

function lagTrend(history: RingSeries, window: number): LagTrend {
  const last = history.last;
  if (last === null || history.length < 2) return 'unknown';
  const seq = Math.max(history.firstSeq, history.lastSeq - window);
  const before = history.valueAt(seq);
  if (Number.isNaN(before)) return 'unknown';
  return last > before ? 'rising' : last < before ? 'falling' : 'flat';
}

function eta(lag: number, consumeRate: number | null, produceRate: number | null): CatchUpEta {
  if (lag === 0) return { kind: 'caught-up' };
  if (consumeRate === null || produceRate === null) return { kind: 'unknown' };
  const net = consumeRate - produceRate;
  if (net <= 0) return { kind: 'not-catching-up' };
  return { kind: 'eta', ms: (lag / net) * 1000 };
}

export function foldGroups(
  snapshotGroups: readonly GroupSnapshot[],
  tracks: Map<string, GroupTrack>,
  partitions: Map<string, PartitionTrack>,
  topicsByName: ReadonlyMap<string, TopicState>,
  axis: TimeAxis,
  opts: ResolvedOptions,
  events: EventCollector,
  first: boolean,
  nowMs: number,
): GroupState[] {
  const out: GroupState[] = [];
  const minQuietMs = Math.max(
    opts.stallAfterMs,
    nowMs - axis.timeOf(Math.max(0, axis.seq - opts.statusWindow + 1)),
  );
  const sorted = [...snapshotGroups].sort((a, b) =>
    a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0,
  );

  for (const g of sorted) {
    let track = tracks.get(g.groupId);
    if (!track) {
      track = {
        groupId: g.groupId,
        prev: g,
        rebalance: isRebalancing(g.state) ? { startMs: nowMs, states: [g.state] } : null,
        stableOwners: g.state === 'Stable' && knowsMembers(g) ? ownersOf(g.members) : null,
        rebalanceEnds: [],
        lagHistory: new RingSeries(axis),
        partitions: new Map(),
        membersSignature: membersSignature(g.members),
        members: toMemberStates(g.members),
        seenSeq: axis.seq,
      };
      tracks.set(g.groupId, track);
    } else {
      if (!first) diffGroup(track, g, nowMs, events);
      const signature = membersSignature(g.members);
      if (signature !== track.membersSignature) {
        track.membersSignature = signature;
        track.members = toMemberStates(g.members);
      }
      track.prev = g;
      track.seenSeq = axis.seq;
    }
    track.lagHistory.push(g.totalLag);
    out.push(groupState(track, g, partitions, topicsByName, axis, opts, events, first, nowMs, minQuietMs));
  }
  for (const [id, t] of tracks) if (t.seenSeq !== axis.seq) tracks.delete(id);
  return out;
}

function groupState(
  track: GroupTrack,
  g: GroupSnapshot,
  partitions: Map<string, PartitionTrack>,
  topicsByName: ReadonlyMap<string, TopicState>,
  axis: TimeAxis,
  opts: ResolvedOptions,
  events: EventCollector,
  first: boolean,
  nowMs: number,
  minQuietMs: number,
): GroupState {
  const owners = knowsMembers(g) ? ownersOf(g.members) : null;
  const seen = new Set<string>();
  const parts: GroupPartitionState[] = [];
  let timeLagMs: number | null = null;
  let timeLagEstimated = false;
  let consumeRate: number | null = null;
  let produceRate: number | null = null;
  let status: ConsumerStatus | null = null;
  let statusReason = 'no commit';
  let risk: RetentionRisk = { kind: 'none' };
  let dataLossPartitions = 0;

  for (const gp of g.partitions) {
    const key = partitionKey(gp.topic, gp.partition);
    seen.add(key);
    let pt = track.partitions.get(key);
    if (!pt) {
      pt = {
        lag: new RingSeries(axis),
        committed: new RingSeries(axis, Math.min(axis.capacity, opts.rateWindow + 1)),
        window: new CommitWindow(opts.statusWindow),
        dataLost: false,
      };
      track.partitions.set(key, pt);
    }
    const partition = partitionTrackFor(partitions, gp, axis, opts);
    const topic = topicsByName.get(gp.topic);
    const meta = partition.meta;

    pt.lag.push(gp.lag);
    const lastCommitted = pt.committed.last;
    if (gp.committedOffset !== null && lastCommitted !== null && gp.committedOffset < lastCommitted) {
      pt.committed.reset();
    }
    pt.committed.push(gp.committedOffset);
    if (gp.committedOffset !== null) pt.window.observe(gp.committedOffset, gp.lag ?? Number.NaN, nowMs);

    const gpConsume = ratePerSecond(pt.committed, opts.rateWindow);
    const gpProduce = partition.writeRate;
    if (gpConsume !== null) consumeRate = (consumeRate ?? 0) + gpConsume;
    if (gpProduce !== null) produceRate = (produceRate ?? 0) + gpProduce;

    const tl = gp.committedOffset === null ? null : timeLag(partition.logEnd, gp.committedOffset, nowMs);
    if (tl !== null && (timeLagMs === null || tl.ms > timeLagMs)) {
      timeLagMs = tl.ms;
      timeLagEstimated = tl.estimated;
    }

    const owner = gp.memberId ?? owners?.get(key)?.memberId ?? null;
    const ownerMember =
      owner === null ? null : (owners?.get(key) ?? g.members.find((m) => m.memberId === owner) ?? null);
    const evaluated = evaluateStatus({
      window: pt.window,
      lag: gp.lag,
      nowMs,
      owned: owner !== null || !knowsMembers(g),
      minQuietMs,
    });
    if (evaluated.status !== null && worstStatus(status, evaluated.status) !== status) {
      status = evaluated.status;
      statusReason = `${gp.topic}-${gp.partition}: ${evaluated.reason}`;
    } else if (status === null && evaluated.status === null) {
      statusReason = evaluated.reason;
    }

    const logStart = meta?.logStartOffset ?? null;
    const pEta = gp.lag === null ? null : eta(gp.lag, gpConsume, gpProduce);
    const retention = retentionRisk({
      committed: gp.committedOffset,
      logStart,
      lag: gp.lag,
      timeLagMs: tl?.ms ?? null,
      catchUpMs: pEta?.kind === 'eta' ? pEta.ms : pEta?.kind === 'caught-up' ? 0 : null,
      retentionMs: topic?.retentionMs ?? null,
      retentionBytes: topic?.retentionBytes ?? null,
      cleanupPolicy: topic?.cleanupPolicy ?? null,
    });
    if (retention.kind === 'data-lost') {
      dataLossPartitions++;
      if (!pt.dataLost && !first) {
        events.emit({
          kind: 'data-loss',
          group: g.groupId,
          topic: gp.topic,
          partition: gp.partition,
          committedOffset: gp.committedOffset!,
          logStartOffset: logStart!,
          offsetsLost: retention.offsetsLost,
        });
      }
    }
    pt.dataLost = retention.kind === 'data-lost';
    risk = worseRisk(risk, retention);

    parts.push({
      groupId: g.groupId,
      topic: gp.topic,
      partition: gp.partition,
      committedOffset: gp.committedOffset,
      logEndOffset: gp.logEndOffset,
      logStartOffset: logStart,
      lag: gp.lag,
      lagHistory: pt.lag.view(),
      timeLagMs: tl?.ms ?? null,
      timeLagEstimated: tl?.estimated ?? false,
      consumeRate: gpConsume,
      produceRate: gpProduce,
      status: evaluated.status,
      statusReason: evaluated.reason,
      memberId: owner,
      clientId: ownerMember?.clientId ?? null,
      host: ownerMember?.host ?? null,
      leader: meta?.leader ?? -1,
      isr: meta?.isr ?? [],
      replicas: meta?.replicas ?? [],
      underReplicated: meta?.underReplicated ?? false,
      retention,
    });
  }
  if (track.partitions.size > seen.size) {
    for (const key of track.partitions.keys()) if (!seen.has(key)) track.partitions.delete(key);
  }

  const rebalancing = isRebalancing(g.state);
  const consumerProtocol = g.consumerProtocol === true;
  return {
    groupId: g.groupId,
    state: g.state,
    protocolType: g.protocolType,
    assignor: g.protocol,
    rebalanceProtocol: rebalanceProtocol(g.protocol, consumerProtocol),
    consumerProtocol,
    members: track.members,
    totalLag: g.totalLag,
    lagHistory: track.lagHistory.view(),
    lagTrend: lagTrend(track.lagHistory, opts.rateWindow),
    timeLagMs,
    timeLagEstimated,
    consumeRate,
    produceRate,
    eta: eta(g.totalLag, consumeRate, produceRate),
    status,
    statusReason,
    rebalancing,
    rebalancesLast15m: track.rebalanceEnds.length + (rebalancing ? 1 : 0),
    insights: insights(g, track.members, risk, dataLossPartitions),
    partitions: parts,
    error: g.error ?? null,
  };
}

/** The partition's log-end history, recorded from the group's offsets when metadata lacks it. */
function partitionTrackFor(
  partitions: Map<string, PartitionTrack>,
  gp: GroupPartitionSnapshot,
  axis: TimeAxis,
  opts: ResolvedOptions,
): PartitionTrack {
  const key = partitionKey(gp.topic, gp.partition);
  let track = partitions.get(key);
  if (!track) {
    track = {
      topic: gp.topic,
      partition: gp.partition,
      logEnd: new RingSeries(axis),
      prev: null,
      seenSeq: -1,
      writeRate: null,
      meta: null,
    };
    partitions.set(key, track);
  }
  if (track.seenSeq !== axis.seq) {
    track.meta = null;
    recordLogEnd(track, gp.logEndOffset, opts.rateWindow, axis.seq);
  }
  return track;
}

function insights(
  g: GroupSnapshot,
  members: readonly MemberState[],
  retentionRisk: RetentionRisk,
  dataLossPartitions: number,
): GroupInsights {
  const partitionsPerMember: PartitionsPerMember[] = members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.host,
    partitions: m.partitionCount,
  }));
  // Assignments are only reported for Stable groups; elsewhere "idle" would be a false alarm.
  const assigned = g.state === 'Stable' && members.length > 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const m of members) {
    if (m.partitionCount < min) min = m.partitionCount;
    if (m.partitionCount > max) max = m.partitionCount;
  }
  return {
    partitionsPerMember,
    idleMembers: assigned ? members.filter((m) => m.partitionCount === 0).map((m) => m.memberId) : [],
    unevenAssignment: assigned && max !== min,
    retentionRisk,
    dataLossPartitions,
  };
}
