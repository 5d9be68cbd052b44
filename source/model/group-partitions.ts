/**
 * A group's per-partition figures, folded into the group's totals every refresh: lag history, consume and
 * produce rates, time lag, Burrow status inputs, retention risk and data loss. What the per-partition states
 * need is kept for group-state.ts, which builds them only when read.
 */

import { type GroupPartitionSnapshot, type GroupSnapshot, unreadableOf } from '../snapshot.js';
import { CommitWindow, evaluateStatusOf, worstStatus } from './burrow.js';
import type { EventCollector } from './events.js';
import type { GroupTrack } from './fold-groups.js';
import { type PartitionTrack, recordLogEnd } from './fold-topics.js';
import { insights } from './group-insights.js';
import {
  CONSUME,
  FoldedGroup,
  LAG_RING,
  NUMS,
  PRODUCE,
  REFS,
  RETENTION,
  STATUS,
  TIME_LAG,
  TIME_LAG_ESTIMATED,
} from './group-state.js';
import { isRebalancing, knowsMembers, rebalanceProtocol } from './kafka-facts.js';
import { epochsOf, groupType } from './kip848-rebalance.js';
import { eta, fitLagTrend, keepingUp, type TrendFit, throughputOf } from './lag-trend.js';
import type { ResolvedOptions } from './model.js';
import type { PartitionTable } from './partition-table.js';
import { bytesRetentionMs, retentionRiskOf, worseRisk } from './retention.js';
import { RingSeries, type TimeAxis } from './series.js';
import { ratePerSecond, timeLagInto } from './time-lag.js';
import type { ConsumerStatus, GroupState, RetentionRisk, StatusWithReason, TopicState } from './types.js';

const NO_RISK: RetentionRisk = Object.freeze({ kind: 'none' });
/** A group at the last stable offset: what is left is in open transactions, unreadable by read_committed. */
const AT_LAST_STABLE: StatusWithReason = Object.freeze({
  status: 'OK',
  reason: 'caught up to the last stable offset; the rest is in open transactions',
});
/** Reused by every group's fold (folds are synchronous). */
const FIT: TrendFit = { trend: 'unknown', slope: 0 };

export interface GroupPartitionTrack {
  /** The partition's own track, cached; looked up again when it was replaced. */
  partition: PartitionTrack | null;
  seenSeq: number;
  readonly lag: RingSeries;
  /** Short history of committed offsets for the consume rate. */
  readonly committed: RingSeries;
  readonly window: CommitWindow;
  dataLost: boolean;
  /** The verdict for a consumer stalled at a stuck LSO, kept while the LSO stays stuck (no object per fold). */
  stalled: StatusWithReason | null;
}

/**
 * A consumer at a stuck last stable offset reads everything it can, yet stalls there for as long as the hanging
 * transaction holds the LSO: WARN (not OK), so the group does not read healthy while its reads stopped.
 */
function stalledAtStuckLso(pt: GroupPartitionTrack, since: string, transactionalId: string | null) {
  const reason = `stalled: LSO stuck (open transaction since ${since}${transactionalId === null ? '' : `, transactional id ${transactionalId}`})`;
  if (pt.stalled === null || pt.stalled.reason !== reason) pt.stalled = { status: 'WARN', reason };
  return pt.stalled;
}

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
export function groupState(
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
  let timeLagUnknown = false;
  let consumeRate: number | null = null;
  let produceRate: number | null = null;
  let status: ConsumerStatus | null = null;
  let worst = -1;
  let lastNullReason = 'no commit';
  let risk: RetentionRisk = NO_RISK;
  let dataLossPartitions = 0;
  let unreadableLag = 0;

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
        stalled: null,
      };
      track.partitions.set(gp.topic, gp.partition, pt);
    }
    pt.seenSeq = axis.seq;
    const partition = partitionTrackFor(pt, partitions, gp, axis, opts);
    // A share group commits nothing: its start offset (acknowledged up to there) plays the part.
    const committed = gp.committedOffset ?? gp.startOffset ?? null;
    // Statuses, time lag and the group's signals judge the lag a read_committed consumer can read: a group
    // at the last stable offset is caught up, however much an open transaction holds back past it.
    const unreadable = unreadableOf(gp.lag, gp.logEndOffset, gp.lastStableOffset);
    const lag = gp.lag === null ? null : gp.lag - unreadable;
    unreadableLag += unreadable;

    pt.lag.push(gp.lag);
    // A committed offset below the last one seen (a reset): the consume rate starts over.
    const lastCommitted = pt.window.lastOffset;
    if (committed !== null && lastCommitted !== null && committed < lastCommitted) pt.committed.reset();
    pt.committed.push(committed);
    if (committed !== null) pt.window.observe(committed, lag ?? Number.NaN, nowMs);

    const gpConsume = ratePerSecond(pt.committed, opts.rateWindow);
    const gpProduce = partition.writeRate;
    if (gpConsume !== null) consumeRate = (consumeRate ?? 0) + gpConsume;
    if (gpProduce !== null) produceRate = (produceRate ?? 0) + gpProduce;

    let hasTimeLag = committed !== null && timeLagInto(partition.logEnd, committed, nowMs, tl);
    if (lag === 0 && unreadable > 0) {
      hasTimeLag = true;
      tl.ms = 0;
      tl.estimated = false;
    }
    // The group's time lag is a max: one lagging partition that cannot be estimated makes it unknown.
    if (!hasTimeLag && committed !== null && lag !== null && lag > 0) timeLagUnknown = true;
    if (hasTimeLag && (timeLagMs === null || tl.ms > timeLagMs)) {
      timeLagMs = tl.ms;
      timeLagEstimated = tl.estimated;
    }

    const owned = gp.memberId != null || !knows || owners!.get(gp.topic, gp.partition) !== undefined;
    const stuckSince = partition.meta?.stuckLsoSince ?? null;
    const atLastStable = lag === 0 && unreadable > 0 && committed !== null;
    const evaluated = !atLastStable
      ? evaluateStatusOf(pt.window, lag, nowMs, owned, minQuietMs)
      : stuckSince === null
        ? AT_LAST_STABLE
        : stalledAtStuckLso(pt, stuckSince, partition.meta!.openTransaction?.transactionalId ?? null);
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
      lag,
      hasTimeLag ? tl.ms : null,
      catchUpMs(lag, gpConsume, gpProduce),
      topic?.retentionMs ?? null,
      topic?.retentionBytes ?? null,
      topic?.deletes ?? true,
      bytesRetentionMs(
        committed,
        logStart,
        gp.logEndOffset,
        partition.meta?.sizeBytes ?? null,
        partition.writeRate,
        topic?.retentionBytes ?? null,
      ),
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
  const groupTimeLag = timeLagUnknown ? null : timeLagMs;
  const throughput = throughputOf(consumeRate, produceRate);
  const readableLag = g.totalLag - unreadableLag;
  fitLagTrend(
    track.lagHistory,
    throughput,
    keepingUp(readableLag, groupTimeLag, throughput, track.lagTrend === 'rising'),
    track.lagTrend,
    FIT,
  );
  track.lagTrend = FIT.trend;
  const rebalancing = isRebalancing(g.state);
  const consumerProtocol = g.consumerProtocol === true;
  const epochs = epochsOf(g, track.epochs);
  track.epochs = epochs;
  return new FoldedGroup(
    {
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      assignor: g.protocol,
      rebalanceProtocol: rebalanceProtocol(g.protocol, consumerProtocol),
      consumerProtocol,
      type: groupType(g),
      epochs,
      members: track.members,
      totalLag: g.totalLag,
      unreadableLag,
      lagHistory: track.lagHistory.view(),
      longLagHistory: track.longLagHistory.view(),
      lagTrend: FIT.trend,
      timeLagMs: groupTimeLag,
      timeLagEstimated: timeLagUnknown ? false : timeLagEstimated,
      consumeRate,
      produceRate,
      eta: eta(readableLag, consumeRate, produceRate, groupTimeLag, FIT),
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
