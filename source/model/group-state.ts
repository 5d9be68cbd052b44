/**
 * A group's folded state, its per-partition states built only when read: what one fold kept per
 * group-partition (the `nums` and `refs` layout below) and how the partition states are made from it.
 */

import { type GroupSnapshot, type MemberSnapshot, unreadableOf } from '../snapshot.js';
import type { PartitionTable } from './partition-table.js';
import type { RingSeries } from './series.js';
import type {
  CatchUpEta,
  ConsumerStatus,
  GroupInsights,
  GroupPartitionState,
  GroupState,
  LagTrend,
  MemberState,
  RetentionRisk,
  StatusWithReason,
  TopicPartitionState,
  TopicState,
} from './types.js';

const NO_REPLICAS: readonly number[] = Object.freeze([]);

/** Numbers kept per group-partition per fold for `partitions`, built on demand (NaN = null). */
export const NUMS = 4;
export const TIME_LAG = 0;
export const TIME_LAG_ESTIMATED = 1;
export const CONSUME = 2;
export const PRODUCE = 3;
/** References kept per group-partition per fold. */
export const REFS = 3;
export const STATUS = 0;
export const RETENTION = 1;
export const LAG_RING = 2;

const orNull = (n: number): number | null => (Number.isNaN(n) ? null : n);

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
export class FoldedGroup implements GroupState {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly assignor: string;
  readonly rebalanceProtocol: GroupState['rebalanceProtocol'];
  readonly consumerProtocol: boolean;
  readonly type?: GroupState['type'];
  readonly epochs?: GroupState['epochs'];
  readonly members: readonly MemberState[];
  readonly totalLag: number;
  readonly unreadableLag: number;
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
  /** Set by the fold once every group is folded (worst-first.ts). */
  worstFirst = -1;
  #detail: PartitionDetail | null;
  #partitions: readonly GroupPartitionState[] | null = null;

  constructor(f: Omit<GroupState, 'partitions' | 'worstFirst'>, detail: PartitionDetail) {
    this.groupId = f.groupId;
    this.state = f.state;
    this.protocolType = f.protocolType;
    this.assignor = f.assignor;
    this.rebalanceProtocol = f.rebalanceProtocol;
    this.consumerProtocol = f.consumerProtocol;
    this.type = f.type;
    this.epochs = f.epochs;
    this.members = f.members;
    this.totalLag = f.totalLag;
    this.unreadableLag = f.unreadableLag;
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
      // A share group's start offset, as the model reads it (group-partitions.ts).
      committedOffset: gp.committedOffset ?? gp.startOffset ?? null,
      logEndOffset: gp.logEndOffset,
      logStartOffset: meta?.logStartOffset ?? null,
      lag: gp.lag,
      lastStableOffset: gp.lastStableOffset ?? null,
      unreadableLag: unreadableOf(gp.lag, gp.logEndOffset, gp.lastStableOffset),
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
