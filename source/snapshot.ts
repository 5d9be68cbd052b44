/**
 * ClusterSnapshot: everything one refresh collected, as plain JSON-serialisable data.
 *
 * Every source (live Kafka + metrics, demo simulation, replay of a recording) produces these;
 * the model folds them; `--once --json` prints one. The JSON contract is documented in
 * docs/snapshot.md and versioned by `schemaVersion`: add fields freely, never rename or remove
 * one without bumping the version.
 */

export const SNAPSHOT_SCHEMA_VERSION = 2;

export interface ClusterSnapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** When the refresh started (ISO-8601). */
  takenAt: string;
  /** Wall time the refresh took, in milliseconds. */
  durationMs?: number;
  clusterId: string | null;
  /**
   * The active KRaft controller: the metadata quorum's leader (DescribeQuorum), else the node whose
   * ActiveControllerCount metric is 1, else null.
   */
  controllerId: number | null;
  /** The KRaft metadata quorum (DescribeQuorum); null when the cluster does not serve it or it failed. */
  quorum?: QuorumSnapshot | null;
  /**
   * The brokers' `transaction.max.timeout.ms` (read every 30 s): no transaction may stay open longer, the
   * bound past which an unmoved last stable offset is stuck. Absent or null when unknown.
   */
  transactionMaxTimeoutMs?: number | null;
  brokers: BrokerSnapshot[];
  topics: TopicSnapshot[];
  groups: GroupSnapshot[];
  /** Every part of the refresh that failed, with where it failed. Never thrown. */
  errors: SnapshotError[];
  /**
   * What this cluster does not serve that kafkatop would show, once each (e.g. share groups on Kafka 4.0,
   * whose ShareGroupDescribe is v0 only): not an error. Absent when none.
   */
  notes?: string[];
  /** Requests sent to Kafka and metrics endpoints during this refresh, for benchmarks. */
  stats?: RefreshStats;
}

export interface BrokerSnapshot {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  /** Why this broker could not be reached or its metrics not read, or null. */
  error: string | null;
  metrics: BrokerMetrics | null;
  /**
   * Its log directories (DescribeLogDirs), read every 30 s and carried between; absent or null when
   * unknown (not read yet, failed, or a broker before Kafka 2.6).
   */
  logDirs?: LogDirSnapshot[] | null;
}

export interface LogDirSnapshot {
  path: string;
  /** Size of the volume it is on, null when unknown (before Kafka 3.3). */
  totalBytes: number | null;
  /** Bytes still usable on that volume, null when unknown. */
  usableBytes: number | null;
  /** Cordoned (Kafka 4.3+): no new partitions are placed in it. */
  cordoned: boolean;
  /** Its error (e.g. KAFKA_STORAGE_ERROR: the dir is offline), or null. */
  error: string | null;
}

export interface BrokerMetrics {
  /** Request-handler idle fraction, 0..1 (may read above 1 on KRaft combined nodes, KAFKA-19606). */
  requestHandlerIdle: number | null;
  /** Network-processor idle fraction, 0..1. */
  networkProcessorIdle: number | null;
  underReplicatedPartitions: number | null;
  underMinIsrPartitions: number | null;
  offlinePartitions: number | null;
  /** Cumulative ISR shrink counter since the broker started. */
  isrShrinks: number | null;
  /** Cumulative ISR expand counter since the broker started. */
  isrExpands: number | null;
  /** 1 on the node that is the active controller (combined or when scraped), else 0. */
  activeControllerCount?: number | null;
}

export interface TopicSnapshot {
  name: string;
  internal: boolean;
  /** The configs the panes need: min.insync.replicas, cleanup.policy, retention.ms, retention.bytes. */
  configs: Record<string, string>;
  partitions: PartitionSnapshot[];
}

export interface PartitionSnapshot {
  partition: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  logStartOffset: number | null;
  logEndOffset: number | null;
  /**
   * The last stable offset (ListOffsets READ_COMMITTED): a `read_committed` consumer reads up to here; below
   * the log end while a transaction is open. Never above `logEndOffset`. Absent or null when unknown.
   */
  lastStableOffset?: number | null;
  /**
   * An ongoing reassignment (ListPartitionReassignments): the replicas being added and removed, both also
   * in `replicas` until it completes. null or absent when the partition is not being moved (or unknown).
   */
  reassignment?: PartitionReassignment | null;
  /** Bytes of its log segments on its leader (DescribeLogDirs, every 30 s); absent or null when unknown. */
  sizeBytes?: number | null;
  /**
   * The transaction holding the last stable offset back (its first record is at the LSO), once the LSO has
   * stood below the log end for 10 s (DescribeProducers, ListTransactions); absent or null otherwise.
   */
  openTransaction?: OpenTransaction | null;
}

export interface OpenTransaction {
  producerId: number;
  producerEpoch: number;
  /** Where the transaction starts: the partition's last stable offset. */
  startOffset: number;
  /** The producer's last write to the partition (epoch ms, broker clock). */
  lastTimestamp: number;
  /**
   * From ListTransactions; null when no broker listed the producer: its coordinator does not know it (then it is
   * hanging once old enough), or Describe on the transactional id is missing, which looks the same.
   */
  transactionalId: string | null;
  /** Ongoing, PrepareCommit, CompleteCommit, ... (DescribeTransactions, else ListTransactions); null when unknown. */
  state: string | null;
  /**
   * Hanging as `kafka-transactions.sh find-hanging` decides it: older than transaction.max.timeout.ms and its
   * coordinator no longer has the partition in this producer's transaction, so no marker will release the LSO.
   * false: the coordinator has it in an open transaction. null or absent: unknown (not asked, a request failed,
   * or too young to tell).
   */
  hanging?: boolean | null;
}

export interface PartitionReassignment {
  adding: number[];
  removing: number[];
  /**
   * Progress: bytes the slowest adding replica holds so far, against the leader's `sizeBytes` (DescribeLogDirs,
   * every 30 s). Absent or null when unknown.
   */
  copiedBytes?: number | null;
}

/** Group types as Kafka names them (ListGroups v5, GroupType.java). */
export type GroupType = 'classic' | 'consumer' | 'share' | 'streams';

export interface GroupSnapshot {
  groupId: string;
  /**
   * From ListGroups v5 (Kafka >= 3.8); on older brokers inferred from the protocol type, and `consumer` for
   * a group only ConsumerGroupDescribe could see (`consumerProtocol`). Absent in older recordings.
   */
  type?: GroupType;
  /** Consumer-protocol, share and streams groups: the group epoch (bumped by every membership or subscription change). */
  groupEpoch?: number;
  /** The epoch of the group's target assignment: below `groupEpoch` while the group is Assigning. */
  assignmentEpoch?: number;
  /** Streams groups: the epoch of the topology the members run. */
  topologyEpoch?: number;
  /** As reported by DescribeGroups: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead, ... */
  state: string;
  /** 'consumer' for consumer groups, '' for groups that only commit offsets, 'connect' for Connect. */
  protocolType: string;
  /** The assignor in use (range, roundrobin, cooperative-sticky, ...) or '' when none. */
  protocol: string;
  /**
   * True when the group uses the KIP-848 consumer protocol (Kafka 4.x): DescribeGroups v2 answers Dead
   * with no members for those, so their members are unknown here but their offsets are real.
   */
  consumerProtocol?: boolean;
  members: MemberSnapshot[];
  /** Sum of the known lags; partitions with no commit are not counted. */
  totalLag: number;
  partitions: GroupPartitionSnapshot[];
  error?: string | null;
}

export interface MemberSnapshot {
  memberId: string;
  clientId: string;
  host: string;
  /** The partitions the member owns now (consumer protocol: its current assignment). */
  assignment: TopicPartitions[];
  /** Consumer-protocol, share and streams members: the epoch the member is at. */
  memberEpoch?: number;
  /** Static membership (group.instance.id), or null. */
  instanceId?: string | null;
  rackId?: string | null;
  /** Consumer-protocol and streams members: the assignment the member is moving to. */
  targetAssignment?: TopicPartitions[];
  /** Streams members: tasks as `subtopology_partition` ids. */
  tasks?: StreamsMemberTasks;
  /** Streams members: the Kafka Streams process the member belongs to. */
  processId?: string;
}

export interface StreamsMemberTasks {
  active: string[];
  standby: string[];
  warmup: string[];
  targetActive: string[];
  targetStandby: string[];
  targetWarmup: string[];
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface GroupPartitionSnapshot {
  topic: string;
  partition: number;
  /** null: the group has never committed on this partition ("no commit", not lag 0). */
  committedOffset: number | null;
  logEndOffset: number | null;
  /** logEndOffset - committedOffset, never negative; null with no commit or no log-end offset. */
  lag: number | null;
  /** The partition's last stable offset (see PartitionSnapshot); absent or null when unknown. */
  lastStableOffset?: number | null;
  memberId: string | null;
  /**
   * Share groups only: the share-partition start offset (records before it are acknowledged), null when not
   * initialised. A share group commits no offsets: `committedOffset` is null and `lag` is the broker's own
   * (DescribeShareGroupOffsets v1, Kafka >= 4.2), null when the broker computes none.
   */
  startOffset?: number | null;
}

export interface QuorumSnapshot {
  /** The active controller's node id; -1 while the quorum has no leader. */
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: QuorumReplicaSnapshot[];
  /** Brokers (and controllers not voting) that replicate the metadata log. */
  observers: QuorumReplicaSnapshot[];
}

export interface QuorumReplicaSnapshot {
  id: number;
  logEndOffset: number;
  /** highWatermark − logEndOffset, never negative: how far this replica's metadata is behind. */
  lag: number;
  /** Leader wall-clock ms of the replica's last fetch; null when unknown (the leader itself, or before v1). */
  lastFetchTimestamp: number | null;
  lastCaughtUpTimestamp: number | null;
}

/** Lag, one rule for every source: null when either offset is unknown, else max(0, logEnd − committed). */
export function lagOf(committed: number | null, logEnd: number | null): number | null {
  if (committed === null || logEnd === null) return null;
  return Math.max(0, logEnd - committed);
}

/**
 * The part of a lag a `read_committed` consumer cannot read yet: what lies past the last stable offset,
 * min(lag, logEnd − lastStable). 0 when nothing is pending or the last stable offset is unknown.
 */
export function unreadableOf(
  lag: number | null,
  logEnd: number | null,
  lastStable: number | null | undefined,
): number {
  if (lag === null || logEnd === null || lastStable == null || lastStable >= logEnd) return 0;
  return Math.min(lag, logEnd - lastStable);
}

export interface SnapshotError {
  /** Where it failed: 'cluster', 'broker:2', 'metrics:2', 'group:billing', 'topic:orders', 'prometheus'. */
  source: string;
  message: string;
}

export interface RefreshStats {
  /** Kafka protocol requests sent in this refresh. */
  kafkaRequests: number;
  /** Bytes received from Kafka in this refresh. */
  kafkaBytesIn?: number;
  /** HTTP requests to metrics endpoints or Prometheus. */
  metricsRequests: number;
}

/**
 * Anything that yields snapshots: the live Kafka collector, the demo simulation, a replayed recording.
 * `refresh()` never throws: failures are recorded in `ClusterSnapshot.errors`.
 */
export interface SnapshotSource {
  /** Human-readable description for the header, e.g. "127.0.0.1:9092" or "demo: rolling-deploy". */
  readonly label: string;
  refresh(): Promise<ClusterSnapshot>;
  close(): Promise<void>;
}
