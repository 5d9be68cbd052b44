/**
 * Consumer groups: lag history, rates, time lag, ETA, Burrow status, retention risk, insights and
 * the rebalance / membership / assignment / data-loss events.
 */

import type { GroupPartitionSnapshot, GroupSnapshot, MemberSnapshot } from '../snapshot.js';
import { CommitWindow, evaluateStatusOf, worstStatus } from './burrow.js';
import type { EventCollector } from './events.js';
import { type PartitionTrack, recordLogEnd } from './fold-topics.js';
import { isRebalancing, rebalanceProtocol } from './kafka-facts.js';
import type { ResolvedOptions } from './model.js';
import { PartitionTable } from './partition-table.js';
import { retentionRiskOf, worseRisk } from './retention.js';
import { BucketSeries, RingSeries, type TimeAxis } from './series.js';
import { sortedBy } from './sorted.js';
import { ratePerSecond, timeLagInto } from './time-lag.js';
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
  StatusWithReason,
  TopicPartitionState,
  TopicState,
} from './types.js';

const FIFTEEN_MINUTES = 15 * 60_000;
const NO_REPLICAS: readonly number[] = Object.freeze([]);
const NO_RISK: RetentionRisk = Object.freeze({ kind: 'none' });
/** Rebalance end times kept per group: enough to count a burst. */
const MAX_REBALANCE_MARKS = 200;

interface GroupPartitionTrack {
  /** The partition's own track, cached; looked up again when it was replaced. */
  partition: PartitionTrack | null;
  seenSeq: number;
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
}

/** Same members with the same assignments, compared without allocating. */
function sameMembers(a: readonly MemberSnapshot[], b: readonly MemberSnapshot[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.memberId !== y.memberId || x.clientId !== y.clientId || x.host !== y.host) return false;
    if (x.assignment.length !== y.assignment.length) return false;
    for (let j = 0; j < x.assignment.length; j++) {
      const p = x.assignment[j]!;
      const q = y.assignment[j]!;
      if (p.topic !== q.topic || p.partitions.length !== q.partitions.length) return false;
      for (let k = 0; k < p.partitions.length; k++) if (p.partitions[k] !== q.partitions[k]) return false;
    }
  }
  return true;
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

function ownersOf(members: readonly MemberSnapshot[]): PartitionTable<MemberSnapshot> {
  const owners = new PartitionTable<MemberSnapshot>();
  for (const m of members) {
    for (const a of m.assignment) for (const p of a.partitions) owners.set(a.topic, p, m);
  }
  return owners;
}

/** Membership is only meaningful for classic consumer groups that report members. */
function knowsMembers(g: GroupSnapshot): boolean {
  return !g.consumerProtocol && g.protocolType === 'consumer' && g.state !== 'Dead';
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

function diffGroup(
  track: GroupTrack,
  cur: GroupSnapshot,
  membersSame: boolean,
  nowMs: number,
  events: EventCollector,
): void {
  const prev = track.prev;
  const group = cur.groupId;
  const wasRebalancing = isRebalancing(prev.state);
  const rebalancing = isRebalancing(cur.state);

  let membersChanged = false;
  if (!membersSame && knowsMembers(prev) && knowsMembers(cur)) {
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
    const owners = track.owners;
    const before = track.stableOwners;
    // The owner table is rebuilt only when members change: the same table means nothing moved.
    if (before !== null && before !== owners) {
      const move = (
        topic: string,
        partition: number,
        from: MemberSnapshot | null,
        to: MemberSnapshot | null,
      ) => {
        moved++;
        events.emit({
          kind: 'assignment-move',
          group,
          topic,
          partition,
          fromMember: from?.memberId ?? null,
          toMember: to?.memberId ?? null,
          fromClientId: from?.clientId ?? null,
          toClientId: to?.clientId ?? null,
        });
      };
      before.forEach((from, topic, partition) => {
        const to = owners.get(topic, partition) ?? null;
        if (from.memberId !== to?.memberId) move(topic, partition, from, to);
      });
      owners.forEach((to, topic, partition) => {
        if (before.get(topic, partition) === undefined) move(topic, partition, null, to);
      });
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
  const minQuietMs = Math.max(
    opts.stallAfterMs,
    nowMs - axis.timeOf(Math.max(0, axis.seq - opts.statusWindow + 1)),
  );

  for (const seen of sortedBy(snapshotGroups, byGroupId)) {
    let track = tracks.get(seen.groupId);
    const g = track ? carryForward(track.prev, seen) : seen;
    const lagKnown = g === seen || seen.partitions.length > 0;
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
    out.push(groupState(track, g, partitions, topicsByName, axis, opts, events, first, nowMs, minQuietMs));
  }
  for (const [id, t] of tracks) if (t.seenSeq !== axis.seq) tracks.delete(id);
  return out;
}

/** Numbers kept per group-partition per fold for `partitions`, built on demand (NaN = null). */
const NUMS = 4;
const TIME_LAG = 0;
const TIME_LAG_ESTIMATED = 1;
const CONSUME = 2;
const PRODUCE = 3;
/** References kept per group-partition per fold. */
const REFS = 3;
const STATUS = 0;
const RETENTION = 1;
const LAG_RING = 2;

const orNull = (n: number): number | null => (Number.isNaN(n) ? null : n);

/** Catch-up time of one partition at current rates, as the retention estimate needs it. */
function catchUpMs(lag: number | null, consume: number | null, produce: number | null): number | null {
  if (lag === null) return null;
  if (lag === 0) return 0;
  if (consume === null || produce === null) return null;
  const net = consume - produce;
  return net <= 0 ? null : (lag / net) * 1000;
}

/**
 * Everything a group's totals need is computed every fold for every partition, without allocating:
 * time lag, rates, Burrow status, retention risk. The per-partition objects (`partitions`) are built
 * only when read, from what this fold kept (`nums`, `refs`), so only the group on screen pays for them,
 * and a model read later (a frozen display) still shows its own fold's values.
 */
function groupState(
  track: GroupTrack,
  g: GroupSnapshot,
  partitions: PartitionTable<PartitionTrack>,
  topicsByName: ReadonlyMap<string, TopicState>,
  axis: TimeAxis,
  opts: ResolvedOptions,
  events: EventCollector,
  first: boolean,
  nowMs: number,
  minQuietMs: number,
): GroupState {
  const knows = knowsMembers(g);
  const owners = knows ? track.owners : null;
  const n = g.partitions.length;
  const nums = new Array<number>(n * NUMS);
  const refs = new Array<StatusWithReason | RetentionRisk | RingSeries>(n * REFS);
  const tl = { ms: 0, estimated: false };
  let timeLagMs: number | null = null;
  let timeLagEstimated = false;
  let consumeRate: number | null = null;
  let produceRate: number | null = null;
  let status: ConsumerStatus | null = null;
  let worst = -1;
  let lastNullReason = 'no commit';
  let risk: RetentionRisk = NO_RISK;
  let dataLossPartitions = 0;

  let topicName: string | null = null;
  let topic: TopicState | undefined;
  for (let i = 0; i < n; i++) {
    const gp = g.partitions[i]!;
    let pt = track.partitions.get(gp.topic, gp.partition);
    if (!pt) {
      pt = {
        partition: null,
        seenSeq: axis.seq,
        lag: new RingSeries(axis),
        committed: new RingSeries(axis, Math.min(axis.capacity, opts.rateWindow + 1)),
        window: new CommitWindow(opts.statusWindow),
        dataLost: false,
      };
      track.partitions.set(gp.topic, gp.partition, pt);
    }
    pt.seenSeq = axis.seq;
    const partition = partitionTrackFor(pt, partitions, gp, axis, opts);
    const committed = gp.committedOffset;

    pt.lag.push(gp.lag);
    // A committed offset below the last one seen (a reset): the consume rate starts over.
    const lastCommitted = pt.window.lastOffset;
    if (committed !== null && lastCommitted !== null && committed < lastCommitted) pt.committed.reset();
    pt.committed.push(committed);
    if (committed !== null) pt.window.observe(committed, gp.lag ?? Number.NaN, nowMs);

    const gpConsume = ratePerSecond(pt.committed, opts.rateWindow);
    const gpProduce = partition.writeRate;
    if (gpConsume !== null) consumeRate = (consumeRate ?? 0) + gpConsume;
    if (gpProduce !== null) produceRate = (produceRate ?? 0) + gpProduce;

    const hasTimeLag = committed !== null && timeLagInto(partition.logEnd, committed, nowMs, tl);
    if (hasTimeLag && (timeLagMs === null || tl.ms > timeLagMs)) {
      timeLagMs = tl.ms;
      timeLagEstimated = tl.estimated;
    }

    const owned = gp.memberId != null || !knows || owners!.get(gp.topic, gp.partition) !== undefined;
    const evaluated = evaluateStatusOf(pt.window, gp.lag, nowMs, owned, minQuietMs);
    if (evaluated.status !== null && worstStatus(status, evaluated.status) !== status) {
      status = evaluated.status;
      worst = i;
    } else if (status === null && evaluated.status === null) {
      lastNullReason = evaluated.reason;
    }

    // A group's partitions come topic by topic: look the topic up once per run of them.
    if (gp.topic !== topicName) {
      topicName = gp.topic;
      topic = topicsByName.get(gp.topic);
    }
    const logStart = partition.meta?.logStartOffset ?? null;
    const retention = retentionRiskOf(
      committed,
      logStart,
      gp.lag,
      hasTimeLag ? tl.ms : null,
      catchUpMs(gp.lag, gpConsume, gpProduce),
      topic?.retentionMs ?? null,
      topic?.retentionBytes ?? null,
      topic?.deletes ?? true,
    );
    if (retention.kind === 'data-lost') {
      dataLossPartitions++;
      if (!pt.dataLost && !first) {
        events.emit({
          kind: 'data-loss',
          group: g.groupId,
          topic: gp.topic,
          partition: gp.partition,
          committedOffset: committed!,
          logStartOffset: logStart!,
          offsetsLost: retention.offsetsLost,
        });
      }
    }
    pt.dataLost = retention.kind === 'data-lost';
    risk = worseRisk(risk, retention);

    nums[i * NUMS + TIME_LAG] = hasTimeLag ? tl.ms : Number.NaN;
    nums[i * NUMS + TIME_LAG_ESTIMATED] = hasTimeLag && tl.estimated ? 1 : 0;
    nums[i * NUMS + CONSUME] = gpConsume ?? Number.NaN;
    nums[i * NUMS + PRODUCE] = gpProduce ?? Number.NaN;
    refs[i * REFS + STATUS] = evaluated;
    refs[i * REFS + RETENTION] = retention;
    refs[i * REFS + LAG_RING] = pt.lag;
  }
  if (track.partitions.size > n) track.partitions.sweep((pt) => pt.seenSeq === axis.seq);

  const statusReason = status === null ? lastNullReason : groupReason(track, g, worst, refs);
  const rebalancing = isRebalancing(g.state);
  const consumerProtocol = g.consumerProtocol === true;
  return new FoldedGroup(
    {
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      assignor: g.protocol,
      rebalanceProtocol: rebalanceProtocol(g.protocol, consumerProtocol),
      consumerProtocol,
      members: track.members,
      totalLag: g.totalLag,
      lagHistory: track.lagHistory.view(),
      longLagHistory: track.longLagHistory.view(),
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
      insights: insights(track, g, risk, dataLossPartitions),
      error: g.error ?? null,
    },
    { g, nums, refs, owners, topicsByName, seq: axis.seq },
  );
}

/** What one fold kept to build a group's partitions on demand. */
interface PartitionDetail {
  readonly g: GroupSnapshot;
  readonly nums: readonly number[];
  readonly refs: readonly (StatusWithReason | RetentionRisk | RingSeries)[];
  readonly owners: PartitionTable<MemberSnapshot> | null;
  readonly topicsByName: ReadonlyMap<string, TopicState>;
  readonly seq: number;
}

/**
 * A GroupState whose `partitions` are built on first read. Plain data otherwise; the detail is a
 * private field, invisible to `Object.keys` and equality checks. `partitions` is a prototype getter:
 * spreading a GroupState (`{...g}`) leaves it out.
 */
class FoldedGroup implements GroupState {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly assignor: string;
  readonly rebalanceProtocol: GroupState['rebalanceProtocol'];
  readonly consumerProtocol: boolean;
  readonly members: readonly MemberState[];
  readonly totalLag: number;
  readonly lagHistory: GroupState['lagHistory'];
  readonly longLagHistory: GroupState['longLagHistory'];
  readonly lagTrend: LagTrend;
  readonly timeLagMs: number | null;
  readonly timeLagEstimated: boolean;
  readonly consumeRate: number | null;
  readonly produceRate: number | null;
  readonly eta: CatchUpEta;
  readonly status: ConsumerStatus | null;
  readonly statusReason: string;
  readonly rebalancing: boolean;
  readonly rebalancesLast15m: number;
  readonly insights: GroupInsights;
  readonly error: string | null;
  #detail: PartitionDetail | null;
  #partitions: readonly GroupPartitionState[] | null = null;

  constructor(f: Omit<GroupState, 'partitions'>, detail: PartitionDetail) {
    this.groupId = f.groupId;
    this.state = f.state;
    this.protocolType = f.protocolType;
    this.assignor = f.assignor;
    this.rebalanceProtocol = f.rebalanceProtocol;
    this.consumerProtocol = f.consumerProtocol;
    this.members = f.members;
    this.totalLag = f.totalLag;
    this.lagHistory = f.lagHistory;
    this.longLagHistory = f.longLagHistory;
    this.lagTrend = f.lagTrend;
    this.timeLagMs = f.timeLagMs;
    this.timeLagEstimated = f.timeLagEstimated;
    this.consumeRate = f.consumeRate;
    this.produceRate = f.produceRate;
    this.eta = f.eta;
    this.status = f.status;
    this.statusReason = f.statusReason;
    this.rebalancing = f.rebalancing;
    this.rebalancesLast15m = f.rebalancesLast15m;
    this.insights = f.insights;
    this.error = f.error;
    this.#detail = detail;
  }

  get partitions(): readonly GroupPartitionState[] {
    if (this.#partitions === null) {
      const d = this.#detail!;
      this.#partitions = partitionStates(d.g, d.nums, d.refs, d.owners, d.topicsByName, d.seq);
      this.#detail = null;
    }
    return this.#partitions;
  }
}

/** The worst partition's reason, prefixed by the partition; the same string while nothing changed. */
function groupReason(
  track: GroupTrack,
  g: GroupSnapshot,
  worst: number,
  refs: readonly (StatusWithReason | RetentionRisk | RingSeries)[],
): string {
  const gp = g.partitions[worst]!;
  const result = refs[worst * REFS + STATUS] as StatusWithReason;
  const cached = track.groupReason;
  if (
    cached !== null &&
    cached.result === result &&
    cached.topic === gp.topic &&
    cached.partition === gp.partition
  ) {
    return cached.text;
  }
  const text = `${gp.topic}-${gp.partition}: ${result.reason}`;
  track.groupReason = { result, topic: gp.topic, partition: gp.partition, text };
  return text;
}

/** A partition's metadata state in this fold, null when its topic (or it) is not in the snapshot. */
function partitionMeta(
  topicsByName: ReadonlyMap<string, TopicState>,
  topic: string,
  partition: number,
): TopicPartitionState | null {
  const parts = topicsByName.get(topic)?.partitions;
  if (parts === undefined) return null;
  const direct = parts[partition];
  if (direct?.partition === partition) return direct;
  return parts.find((p) => p.partition === partition) ?? null;
}

function partitionStates(
  g: GroupSnapshot,
  nums: readonly number[],
  refs: readonly (StatusWithReason | RetentionRisk | RingSeries)[],
  owners: PartitionTable<MemberSnapshot> | null,
  topicsByName: ReadonlyMap<string, TopicState>,
  seq: number,
): GroupPartitionState[] {
  return g.partitions.map((gp, i) => {
    const meta = partitionMeta(topicsByName, gp.topic, gp.partition);
    const assigned = owners?.get(gp.topic, gp.partition);
    const owner = gp.memberId ?? assigned?.memberId ?? null;
    const ownerMember =
      owner === null
        ? null
        : assigned?.memberId === owner
          ? assigned
          : (g.members.find((m) => m.memberId === owner) ?? null);
    const evaluated = refs[i * REFS + STATUS] as StatusWithReason;
    const timeLagMs = orNull(nums[i * NUMS + TIME_LAG]!);
    return {
      groupId: g.groupId,
      topic: gp.topic,
      partition: gp.partition,
      committedOffset: gp.committedOffset,
      logEndOffset: gp.logEndOffset,
      logStartOffset: meta?.logStartOffset ?? null,
      lag: gp.lag,
      lagHistory: (refs[i * REFS + LAG_RING] as RingSeries).viewAt(seq, gp.lag),
      timeLagMs,
      timeLagEstimated: nums[i * NUMS + TIME_LAG_ESTIMATED] === 1,
      consumeRate: orNull(nums[i * NUMS + CONSUME]!),
      produceRate: orNull(nums[i * NUMS + PRODUCE]!),
      status: evaluated.status,
      statusReason: evaluated.reason,
      memberId: owner,
      clientId: ownerMember?.clientId ?? null,
      host: ownerMember?.host ?? null,
      leader: meta?.leader ?? -1,
      isr: meta?.isr ?? NO_REPLICAS,
      replicas: meta?.replicas ?? NO_REPLICAS,
      underReplicated: meta?.underReplicated ?? false,
      retention: refs[i * REFS + RETENTION] as RetentionRisk,
    };
  });
}

/** The partition's log-end history, recorded from the group's offsets when metadata lacks it. */
function partitionTrackFor(
  gpTrack: GroupPartitionTrack,
  partitions: PartitionTable<PartitionTrack>,
  gp: GroupPartitionSnapshot,
  axis: TimeAxis,
  opts: ResolvedOptions,
): PartitionTrack {
  let track = gpTrack.partition;
  if (track === null || track.seenSeq !== axis.seq) {
    track = partitions.get(gp.topic, gp.partition) ?? null;
    if (track === null) {
      track = {
        topic: gp.topic,
        partition: gp.partition,
        logEnd: new RingSeries(axis),
        prev: null,
        seenSeq: -1,
        writeRate: null,
        meta: null,
      };
      partitions.set(gp.topic, gp.partition, track);
    }
    if (track.seenSeq !== axis.seq) {
      track.meta = null;
      recordLogEnd(track, gp.logEndOffset, opts.rateWindow, axis.seq);
    }
    gpTrack.partition = track;
  }
  return track;
}

/** Member-derived insights change only with the members (and whether the group is Stable). */
function insights(
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
