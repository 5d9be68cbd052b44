/**
 * The read-only cluster model the UI renders and the recorder writes events from.
 *
 * Everything here is plain data with readonly arrays. After each fold, parts of the model that did
 * not change keep their object identity where that is cheap (members, assignments, configs), so
 * memoized views can compare by reference. Series are views over ring buffers: a new view object
 * is handed out after every fold that appended to it.
 *
 * Times: `at` fields are ISO-8601 strings; `...Ms` fields holding an instant are epoch milliseconds;
 * `...Ms` fields holding a span are durations. Model time is the snapshot's `takenAt`.
 */

import type {
  BrokerMetrics,
  ClusterSnapshot,
  GroupType,
  OpenTransaction,
  PartitionReassignment,
  SnapshotError,
  StreamsMemberTasks,
  TopicPartitions,
} from '../snapshot.js';
import type { TopicConfigInsight, UnevenAssignment } from './config-insights.js';
import type { QuorumState } from './quorum.js';

/* ------------------------------------------------------------------------------------------------ */
/* History                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

/**
 * A read-only view of a fixed-capacity ring buffer. Oldest first. `NaN` marks a refresh where the
 * value was unknown (e.g. no commit yet, metrics unreachable): filter it out before charting.
 * A view reflects the buffer as it was when the model was folded; if you hold an old view for more
 * than `capacity` further folds, `values()` returns only the part not yet overwritten.
 */
export interface Series {
  readonly capacity: number;
  readonly length: number;
  /** The newest value, or null when empty or unknown at the last refresh. */
  readonly last: number | null;
  /** Values, oldest first (NaN = unknown at that refresh). Cached per view. */
  values(): readonly number[];
  /** Epoch ms of each value, same order and length as `values()`. */
  times(): readonly number[];
}

/* ------------------------------------------------------------------------------------------------ */
/* Events                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

export type Severity = 'warning' | 'critical';

interface EventBase {
  /** Stable id, deterministic for the same snapshot sequence (e.g. in a replay). */
  readonly id: string;
  /** Model time of the refresh that observed it (ISO-8601). */
  readonly at: string;
  /** The broker involved, where there is one. */
  readonly broker?: number;
}

interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface IsrShrinkEvent extends EventBase, PartitionRef {
  readonly kind: 'isr-shrink';
  /** Replicas that left the ISR; `broker` is the first of them. */
  readonly removed: readonly number[];
  readonly isr: readonly number[];
  readonly replicas: readonly number[];
}

export interface IsrExpandEvent extends EventBase, PartitionRef {
  readonly kind: 'isr-expand';
  /** Replicas that rejoined the ISR; `broker` is the first of them. */
  readonly added: readonly number[];
  readonly isr: readonly number[];
  readonly replicas: readonly number[];
}

export interface UnderMinIsrEvent extends EventBase, PartitionRef {
  readonly kind: 'under-min-isr';
  readonly isr: readonly number[];
  readonly minIsr: number;
}

export interface MinIsrRestoredEvent extends EventBase, PartitionRef {
  readonly kind: 'min-isr-restored';
  readonly isr: readonly number[];
  readonly minIsr: number;
}

export interface PartitionOfflineEvent extends EventBase, PartitionRef {
  readonly kind: 'partition-offline';
  readonly replicas: readonly number[];
  readonly offlineReplicas: readonly number[];
}

export interface PartitionOnlineEvent extends EventBase, PartitionRef {
  readonly kind: 'partition-online';
  readonly leader: number;
}

export interface LeaderChangeEvent extends EventBase, PartitionRef {
  readonly kind: 'leader-change';
  /** -1 when there was no leader. */
  readonly from: number;
  /** -1 when the partition lost its leader. */
  readonly to: number;
  /** True when the new leader is the preferred replica (first in the replica list). */
  readonly preferred: boolean;
}

export interface BrokerDownEvent extends EventBase {
  readonly kind: 'broker-down';
  readonly broker: number;
  readonly host: string;
  readonly port: number;
  /** 'left metadata' or the broker's error. */
  readonly reason: string;
}

export interface BrokerUpEvent extends EventBase {
  readonly kind: 'broker-up';
  readonly broker: number;
  readonly host: string;
  readonly port: number;
  /** How long it was seen down, or null when not known. */
  readonly downForMs: number | null;
}

export interface IsrFlapEvent extends EventBase {
  readonly kind: 'isr-flap';
  readonly broker: number;
  /** Rise of the broker's IsrShrinks counter since the previous refresh. */
  readonly shrinksDelta: number;
  /** Rise of its IsrExpands counter (0 when unknown). */
  readonly expandsDelta: number;
}

interface GroupRef {
  readonly group: string;
}

export interface RebalanceStartEvent extends EventBase, GroupRef {
  readonly kind: 'rebalance-start';
  readonly fromState: string;
  readonly state: string;
}

export interface RebalanceEndEvent extends EventBase, GroupRef {
  readonly kind: 'rebalance-end';
  /** Group states seen from start to end, e.g. ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Stable']. */
  readonly states: readonly string[];
  /** From the refresh that saw it start to the one that saw it end; null when it happened between two refreshes. */
  readonly durationMs: number | null;
  /** False when inferred from changed member ids or moved partitions between two Stable refreshes. */
  readonly observed: boolean;
}

interface MemberRef extends GroupRef {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
}

export interface MemberJoinEvent extends EventBase, MemberRef {
  readonly kind: 'member-join';
}

export interface MemberLeaveEvent extends EventBase, MemberRef {
  readonly kind: 'member-leave';
}

/** A consumer-protocol member still short of the assignment epoch after the others converged (kip848-rebalance.ts). */
export interface MemberStuckEvent extends EventBase, MemberRef {
  readonly kind: 'member-stuck';
  readonly memberEpoch: number;
  readonly assignmentEpoch: number;
  /** Since every other member had converged. */
  readonly behindForMs: number;
}

/** The KRaft metadata quorum's leader, the active controller, moved (quorum.ts). */
export interface ControllerChangeEvent extends EventBase {
  readonly kind: 'controller-change';
  /** null when the quorum had no leader. */
  readonly from: number | null;
  readonly to: number | null;
  readonly leaderEpoch: number;
}

export interface AssignmentMoveEvent extends EventBase, GroupRef, PartitionRef {
  readonly kind: 'assignment-move';
  /** null when the partition was unassigned. */
  readonly fromMember: string | null;
  readonly toMember: string | null;
  readonly fromClientId: string | null;
  readonly toClientId: string | null;
}

interface AlertRef {
  /** Rule name, e.g. 'ConsumerGroupLagHigh'. */
  readonly alert: string;
  readonly severity: Severity;
  /** What it is about: a group id, 'broker:2', 'cluster'. */
  readonly subject: string;
  readonly value: number;
  readonly threshold: number;
}

export interface AlertFiringEvent extends EventBase, AlertRef {
  readonly kind: 'alert-firing';
  /** When its condition first held (ISO-8601). */
  readonly pendingSince: string;
}

export interface AlertResolvedEvent extends EventBase, AlertRef {
  readonly kind: 'alert-resolved';
  readonly firingForMs: number;
}

/** A partition started moving (ListPartitionReassignments): replicas being added and removed. */
export interface ReassignmentStartEvent extends EventBase, PartitionRef {
  readonly kind: 'reassignment-start';
  readonly adding: readonly number[];
  readonly removing: readonly number[];
  readonly replicas: readonly number[];
}

/** A partition's move completed (or was cancelled): its replica list now. */
export interface ReassignmentEndEvent extends EventBase, PartitionRef {
  readonly kind: 'reassignment-end';
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

/** A broker log dir reports an error: offline, its partitions with it. */
export interface LogDirErrorEvent extends EventBase {
  readonly kind: 'log-dir-error';
  readonly broker: number;
  readonly path: string;
  readonly error: string;
}

export interface LogDirRecoveredEvent extends EventBase {
  readonly kind: 'log-dir-recovered';
  readonly broker: number;
  readonly path: string;
}

/** A partition's last stable offset stood below the log end, unmoved, for longer than `stuckLsoMs`. */
export interface LsoStuckEvent extends EventBase, PartitionRef {
  readonly kind: 'lso-stuck';
  readonly lastStableOffset: number;
  readonly logEndOffset: number;
  /** The transaction holding it, as `kafka-transactions.sh describe-producers` / `describe` name it. */
  readonly producerId: number | null;
  readonly transactionalId: string | null;
  /** The transaction's `hanging` verdict (snapshot.ts OpenTransaction); null or absent: unknown. */
  readonly hanging?: boolean | null;
  /** How long it has not moved. */
  readonly sinceMs: number;
}

/** The stuck last stable offset moved on (the transaction ended or was aborted). */
export interface LsoReleasedEvent extends EventBase, PartitionRef {
  readonly kind: 'lso-released';
  readonly lastStableOffset: number | null;
}

export interface DataLossEvent extends EventBase, GroupRef, PartitionRef {
  readonly kind: 'data-loss';
  readonly committedOffset: number;
  readonly logStartOffset: number;
  /** logStartOffset − committedOffset: messages deleted before this group consumed them. */
  readonly offsetsLost: number;
}

export type ModelEvent =
  | IsrShrinkEvent
  | IsrExpandEvent
  | UnderMinIsrEvent
  | MinIsrRestoredEvent
  | PartitionOfflineEvent
  | PartitionOnlineEvent
  | LeaderChangeEvent
  | BrokerDownEvent
  | BrokerUpEvent
  | IsrFlapEvent
  | RebalanceStartEvent
  | RebalanceEndEvent
  | MemberJoinEvent
  | MemberLeaveEvent
  | AssignmentMoveEvent
  | MemberStuckEvent
  | ControllerChangeEvent
  | AlertFiringEvent
  | AlertResolvedEvent
  | DataLossEvent
  | ReassignmentStartEvent
  | ReassignmentEndEvent
  | LogDirErrorEvent
  | LogDirRecoveredEvent
  | LsoStuckEvent
  | LsoReleasedEvent;

export type ModelEventKind = ModelEvent['kind'];

/* ------------------------------------------------------------------------------------------------ */
/* Consumer status (Burrow)                                                                          */
/* ------------------------------------------------------------------------------------------------ */

/** Burrow's evaluation, worst last: OK < WARN < STALL < REWIND < STOP is our ordering for "worst". */
export type ConsumerStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';

export interface StatusWithReason {
  /** null when there is nothing to evaluate yet (no commit on the partition). */
  readonly status: ConsumerStatus | null;
  readonly reason: string;
}

/* ------------------------------------------------------------------------------------------------ */
/* Brokers                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

export interface LeaderImbalance {
  /** Partitions this broker leads although another replica is preferred. */
  readonly ledNotPreferred: number;
  /** Partitions that prefer this broker but are led by another (or none). */
  readonly preferredNotLed: number;
}

export interface BrokerState {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  /** False when the broker left metadata or its error says it is unreachable. */
  readonly up: boolean;
  readonly error: string | null;
  /** When it was first seen down (ISO-8601), null while up. */
  readonly downSince: string | null;
  readonly isController: boolean;
  /** Latest metrics, null when not scraped. */
  readonly metrics: BrokerMetrics | null;
  /** Request-handler idle fraction history (0..1, may exceed 1 on KRaft combined nodes). */
  readonly requestHandlerIdle: Series;
  /** Long, coarse history of request-handler idle: the min per bucket (default 1 min × 1440 = 24 h). */
  readonly longRequestHandlerIdle: Series;
  readonly networkProcessorIdle: Series;
  /** URP as reported by the broker's metric, else counted from metadata for partitions it leads. */
  readonly underReplicated: Series;
  readonly leaderCount: number;
  /** Replicas hosted (partitions it is a replica of). */
  readonly partitionCount: number;
  readonly leaderImbalance: LeaderImbalance;
  /** Its log directories with their headroom (log-dirs.ts); empty when unknown. */
  readonly logDirs: readonly LogDirState[];
}

export interface LogDirState {
  readonly path: string;
  readonly totalBytes: number | null;
  readonly usableBytes: number | null;
  readonly cordoned: boolean;
  /** The dir's error (offline), or null. */
  readonly error: string | null;
  /** usable / total, null when either is unknown. */
  readonly usableRatio: number | null;
  /** Bytes per second the usable space falls by over the last 10 minutes (negative: freed); null before two reads. */
  readonly growthBytesPerSec: number | null;
  /** Time until no usable bytes are left at that rate; null when not filling or unknown. */
  readonly fullInMs: number | null;
}

/* ------------------------------------------------------------------------------------------------ */
/* Topics                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

export interface TopicPartitionState {
  readonly topic: string;
  readonly partition: number;
  /** -1 when offline. */
  readonly leader: number;
  /** First replica in the list, -1 when there are none. */
  readonly preferredLeader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  readonly logStartOffset: number | null;
  readonly logEndOffset: number | null;
  /** Last stable offset: below the log end while a transaction is open; null when unknown. */
  readonly lastStableOffset: number | null;
  /** An ongoing reassignment, or null. */
  readonly reassignment: PartitionReassignment | null;
  /** Bytes of its log on its leader (read every 30 s), null when unknown. */
  readonly sizeBytes: number | null;
  /**
   * Since when its last stable offset has stood below the log end without moving, once that is longer than
   * `stuckLsoMs` (a hanging transaction, stuck-lso.ts); null otherwise.
   */
  readonly stuckLsoSince: string | null;
  /** The transaction holding the LSO back, once it has been pinned for 10 s (DescribeProducers); else null. */
  readonly openTransaction: OpenTransaction | null;
  /**
   * An ISR member is missing that is not a replica being added by a reassignment (those are "reassigning":
   * an operation in progress, not a failure).
   */
  readonly underReplicated: boolean;
  readonly underMinIsr: boolean;
  readonly offline: boolean;
  /** Messages per second from log-end deltas, null until two refreshes. */
  readonly writeRate: number | null;
  readonly logEndHistory: Series;
}

export interface TopicState {
  readonly name: string;
  readonly internal: boolean;
  readonly configs: Readonly<Record<string, string>>;
  readonly minIsr: number | null;
  /** null when unknown; -1 means unlimited, as in Kafka. */
  readonly retentionMs: number | null;
  readonly retentionBytes: number | null;
  readonly cleanupPolicy: string | null;
  /** cleanup.policy includes 'delete' (or is unknown): retention can overtake consumers. */
  readonly deletes: boolean;
  readonly partitions: readonly TopicPartitionState[];
  /** Messages per second summed over partitions. */
  readonly writeRate: number | null;
  /**
   * Write skew: busiest partition's rate / mean rate (1 = even). null when unknown or idle.
   */
  readonly writeSkew: number | null;
  readonly underReplicatedCount: number;
  /** Replicas per partition (not counting ones being added), null with no partitions. */
  readonly replicationFactor: number | null;
  /** Risky configs (config-insights.ts): not alerts, shown in the topic view and `--once`. */
  readonly configInsights: readonly TopicConfigInsight[];
  /** Partitions being reassigned. */
  readonly reassigningCount: number;
  readonly underMinIsrCount: number;
  readonly offlineCount: number;
}

/* ------------------------------------------------------------------------------------------------ */
/* Groups                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/** Eager assignors stop the world; cooperative-sticky and KIP-848 move partitions incrementally. */
export type RebalanceProtocol = 'eager' | 'cooperative' | 'unknown';

export type CatchUpEta =
  | { readonly kind: 'caught-up' }
  /** Lag above 0 but time lag under the keeping-up floor: nothing to wait for. */
  | { readonly kind: 'keeping-up' }
  /** Capped: above 7 days the figure is noise (formatted `> 7d`). */
  | { readonly kind: 'eta'; readonly ms: number }
  | { readonly kind: 'not-catching-up' }
  /** Not enough history yet. */
  | { readonly kind: 'unknown' };

export type RetentionRisk =
  /** committed < log start: messages deleted before they were consumed. */
  | { readonly kind: 'data-lost'; readonly offsetsLost: number }
  /** Estimated time until time retention deletes the oldest unconsumed message, at current pace. */
  | {
      readonly kind: 'overtaken-in';
      readonly ms: number;
      readonly estimated: boolean;
      readonly note?: string;
    }
  /** Caught up, or consuming fast enough to finish before retention catches the oldest message. */
  | { readonly kind: 'safe' }
  /** No time or size retention (retention.ms = -1, retention.bytes = -1) or compacted only. */
  | { readonly kind: 'none' }
  /** Cannot be estimated; `reason` says why (e.g. retention.bytes set, no commit, unknown config). */
  | { readonly kind: 'unknown'; readonly reason: string };

export type LagTrend = 'rising' | 'falling' | 'flat' | 'unknown';

export interface MemberState {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly assignment: readonly TopicPartitions[];
  readonly partitionCount: number;
  /** Consumer-protocol, share and streams members. */
  readonly memberEpoch?: number;
  /** Consumer-protocol and streams members: where the member is moving to. */
  readonly targetAssignment?: readonly TopicPartitions[];
  /** Streams members: their tasks, current and target. */
  readonly tasks?: StreamsMemberTasks;
  /** Streams members: the Kafka Streams process they run in. */
  readonly processId?: string;
}

export interface GroupEpochs {
  readonly group: number;
  readonly assignment: number;
  /** Streams groups. */
  readonly topology?: number;
  /** Consumer-protocol groups: partitions in one member's target still held by another (kip848-rebalance.ts). */
  readonly pendingRevocations: number;
}

export interface GroupPartitionState {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** null: no commit ("no commit", not lag 0). */
  readonly committedOffset: number | null;
  readonly logEndOffset: number | null;
  readonly logStartOffset: number | null;
  readonly lag: number | null;
  /** The partition's last stable offset (ListOffsets READ_COMMITTED), null when unknown. */
  readonly lastStableOffset: number | null;
  /** The part of `lag` past the last stable offset, unreadable by `read_committed` consumers (0 when none). */
  readonly unreadableLag: number;
  readonly lagHistory: Series;
  /** ms behind the newest message; 0 when caught up; null with no commit or no log-end history. */
  readonly timeLagMs: number | null;
  /** True when extrapolated (committed offset older than the log-end history) rather than interpolated. */
  readonly timeLagEstimated: boolean;
  /** Commits per second (committed offset deltas / Δt), null until two refreshes. */
  readonly consumeRate: number | null;
  readonly produceRate: number | null;
  readonly status: ConsumerStatus | null;
  readonly statusReason: string;
  readonly memberId: string | null;
  readonly clientId: string | null;
  readonly host: string | null;
  /** From topic metadata; -1 when offline or the topic is not in the snapshot. */
  readonly leader: number;
  readonly isr: readonly number[];
  readonly replicas: readonly number[];
  readonly underReplicated: boolean;
  readonly retention: RetentionRisk;
}

export interface PartitionsPerMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly partitions: number;
}

export interface GroupInsights {
  readonly partitionsPerMember: readonly PartitionsPerMember[];
  /** Members with no partitions (more members than partitions, or a stuck assignment). */
  readonly idleMembers: readonly string[];
  /** Partitions that do not spread evenly over the members (config-insights.ts); empty when even or unknown. */
  readonly unevenAssignments: readonly UnevenAssignment[];
  /** The worst retention risk over the group's partitions. */
  readonly retentionRisk: RetentionRisk;
  /** Partitions where data was lost (committed < log start). */
  readonly dataLossPartitions: number;
}

export interface GroupState {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  /** The assignor (range, roundrobin, cooperative-sticky, ...), '' when none. */
  readonly assignor: string;
  readonly rebalanceProtocol: RebalanceProtocol;
  /** KIP-848 consumer-protocol group (members known where `epochs` is set, else unknown here; offsets real). */
  readonly consumerProtocol: boolean;
  /** classic, consumer (KIP-848), share or streams; from ListGroups v5, else inferred. */
  readonly type?: GroupType;
  /** Consumer-protocol, share and streams groups described by their Kafka 4 API; null otherwise. */
  readonly epochs?: GroupEpochs | null;
  readonly members: readonly MemberState[];
  readonly totalLag: number;
  /**
   * The part of `totalLag` past its partitions' last stable offsets (in open transactions), which a
   * `read_committed` consumer cannot read yet; 0 when none or unknown. Status, time lag, ETA, the lag trend's
   * floor and the group-lag alert judge `totalLag − unreadableLag`.
   */
  readonly unreadableLag: number;
  readonly lagHistory: Series;
  /** Long, coarse history of total lag: the max per bucket (default 1 min × 1440 = 24 h). */
  readonly longLagHistory: Series;
  /** Total lag now against a few refreshes ago (the rate window); 'unknown' with too little history. */
  readonly lagTrend: LagTrend;
  /** Max over partitions; 0 when caught up; null when no partition has a time lag. */
  readonly timeLagMs: number | null;
  readonly timeLagEstimated: boolean;
  /** Messages per second consumed (committed) over all partitions. */
  readonly consumeRate: number | null;
  /** Messages per second produced to the partitions this group consumes. */
  readonly produceRate: number | null;
  /**
   * Position in the groups pane's default order, worst first (0 = worst), with hysteresis: see
   * docs/model.md, "Worst first".
   */
  readonly worstFirst: number;
  readonly eta: CatchUpEta;
  /** Worst partition status. */
  readonly status: ConsumerStatus | null;
  readonly statusReason: string;
  /** True while in PreparingRebalance / CompletingRebalance / Assigning / Reconciling. */
  readonly rebalancing: boolean;
  /** rebalance-end events in the last 15 minutes of model time (plus one in progress). */
  readonly rebalancesLast15m: number;
  readonly insights: GroupInsights;
  readonly partitions: readonly GroupPartitionState[];
  readonly error: string | null;
}

/* ------------------------------------------------------------------------------------------------ */
/* Alerts                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/** What a rule measures, one value per subject. */
export type AlertMetric =
  /** Total lag per group (messages). */
  | 'group-lag'
  /** Max time lag per group (ms); none for an Empty or classic Dead group (docs/model.md, "Alerts"). */
  | 'group-time-lag'
  /** URP per broker (metric, or counted from metadata for partitions it leads). */
  | 'under-replicated'
  /** Request-handler idle fraction per broker. */
  | 'request-handler-idle'
  /** Partitions under min.insync.replicas, cluster-wide. */
  | 'under-min-isr'
  /** Offline partitions, cluster-wide. */
  | 'offline-partitions'
  /** Usable / total bytes of a broker's fullest log dir (0..1). */
  | 'log-dir-usable'
  /** Time until a broker's soonest-full log dir is full at its current rate (ms). */
  | 'log-dir-full-in'
  /** Partitions whose last stable offset is stuck (a hanging transaction), cluster-wide. */
  | 'stuck-lso';

export interface AlertRule {
  readonly name: string;
  readonly severity: Severity;
  readonly metric: AlertMetric;
  readonly op: '>' | '<';
  readonly threshold: number;
  /** How long the condition must hold before firing (ms); 0 fires on the first refresh. */
  readonly forMs: number;
  readonly description: string;
}

export type AlertPhase = 'inactive' | 'pending' | 'firing';

export interface AlertInstance {
  readonly subject: string;
  readonly phase: Exclude<AlertPhase, 'inactive'>;
  /** When the condition first held (pending) or when it fired (firing), ISO-8601. */
  readonly since: string;
  readonly value: number;
}

export interface AlertState {
  readonly rule: AlertRule;
  /** Worst phase over its instances. */
  readonly phase: AlertPhase;
  /** Earliest `since` of the instances in that phase, null when inactive. */
  readonly since: string | null;
  /** Subjects currently pending or firing. */
  readonly instances: readonly AlertInstance[];
}

/* ------------------------------------------------------------------------------------------------ */
/* The model                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

export interface Staleness {
  /** True when the latest refresh failed as a whole: the model shows the last good data. */
  readonly stale: boolean;
  /** The latest refresh's most important error (cluster-level first), or null. */
  readonly lastError: SnapshotError | null;
  /** When the current run of failed refreshes began (ISO-8601), null when not stale. */
  readonly since: string | null;
  readonly consecutiveFailures: number;
}

export interface DataAgeInputs {
  /** takenAt of the last good snapshot, epoch ms. Data age = clock() − this. */
  readonly takenAtMs: number | null;
  /** How long that refresh took. */
  readonly refreshDurationMs: number | null;
}

export interface Settled {
  /** All groups Stable, lags falling or zero, no URP, full ISRs, no offline partitions. */
  readonly settled: boolean;
  /** Why not, human-readable, at most a handful. */
  readonly reasons: readonly string[];
}

export interface ClusterModel {
  /** The latest good snapshot folded, null before the first. */
  readonly snapshot: ClusterSnapshot | null;
  /** Model time (the snapshot's takenAt), ISO-8601. */
  readonly at: string | null;
  readonly atMs: number | null;
  /** Snapshots folded so far (including failed ones). */
  readonly foldCount: number;
  readonly dataAge: DataAgeInputs;
  readonly staleness: Staleness;
  readonly clusterId: string | null;
  /** The active controller: the quorum's leader where DescribeQuorum is served, else from metrics. */
  readonly controllerId: number | null;
  /** The KRaft metadata quorum (model/quorum.ts); null or absent where the cluster does not serve it. */
  readonly quorum?: QuorumState | null;
  /** Sorted by id; includes brokers seen before that are now down. */
  readonly brokers: readonly BrokerState[];
  /** Sorted by name. */
  readonly topics: readonly TopicState[];
  /** Sorted by group id. */
  readonly groups: readonly GroupState[];
  /** Bounded (maxEvents), newest last. */
  readonly events: readonly ModelEvent[];
  /** Events produced by the latest fold only (what a recorder appends). */
  readonly newEvents: readonly ModelEvent[];
  /** Every rule's current state, in rule order. */
  readonly alerts: readonly AlertState[];
  readonly settled: Settled;
}

/* ------------------------------------------------------------------------------------------------ */
/* Options and API                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

export interface ModelOptions {
  /** Points kept per series (default 450: 15 min at a 2 s refresh). */
  readonly historyLength?: number;
  /**
   * Coarse long history (group total lag, broker request-handler idle): bucket size and count
   * (default 60 s × 1440 = 24 h, 16 bytes a bucket).
   */
  readonly longHistory?: { readonly bucketMs: number; readonly length: number };
  /** Burrow evaluation window: the last N commits (default 10). */
  readonly statusWindow?: number;
  /**
   * Minimum time without a commit before a lagging partition is STALL or STOP (default 45 s, above
   * Kafka Streams' 30 s commit interval). Once the window holds commits, its span is used if longer.
   */
  readonly stallAfterMs?: number;
  /**
   * How long a last stable offset may stand below the log end without moving before it is stuck (a hanging
   * transaction): default the brokers' transaction.max.timeout.ms from the snapshot, else 15 minutes (its
   * default).
   */
  readonly stuckLsoMs?: number;
  /** Alert rules (default DEFAULT_ALERT_RULES). */
  readonly alertRules?: readonly AlertRule[];
  /** Events kept in `events` (default 1000). */
  readonly maxEvents?: number;
  /** Injected clock, epoch ms, used only for data age (default: none, data age unknown). */
  readonly clock?: () => number;
}

/** `createModel(options)` returns this. */
export interface Model {
  /** Fold a snapshot in and return the new immutable view. */
  fold(snapshot: ClusterSnapshot): ClusterModel;
  /** The latest view (an empty model before the first fold). */
  get(): ClusterModel;
  /** clock() − takenAt of the last good snapshot, null without a clock or a snapshot. */
  dataAgeMs(): number | null;
}
