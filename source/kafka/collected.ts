/**
 * What one refresh has gathered so far. Stages fill it in; `assembleSnapshot` turns whatever is there
 * into a ClusterSnapshot, so a refresh cut short by its timeout still returns everything it got.
 */
import type {
  GroupType,
  LogDirSnapshot,
  MemberSnapshot,
  OpenTransaction,
  PartitionReassignment,
  QuorumSnapshot,
  SnapshotError,
} from '../snapshot.js';

export interface RawPartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas?: number[];
}

export interface RawTopicMetadata {
  topicErrorCode: number;
  topic: string;
  isInternal?: boolean;
  partitionMetadata: RawPartitionMetadata[];
}

export interface RawMetadata {
  clusterId?: string | null;
  brokers: Array<{ nodeId: number; host: string; port: number; rack: string | null }>;
  topicMetadata: RawTopicMetadata[];
}

export interface GroupDescription {
  state: string;
  protocolType: string;
  protocol: string;
  members: MemberSnapshot[];
  /** Consumer-protocol, share and streams groups (kafka4-groups.ts). */
  groupEpoch?: number;
  assignmentEpoch?: number;
  topologyEpoch?: number;
}

/** A share-partition's start offset and the broker's lag (null: none given). */
export interface ShareOffset {
  startOffset: number | null;
  lag: number | null;
}

export interface CollectedGroup {
  groupId: string;
  /** protocolType as ListGroups reported it. */
  listedProtocolType: string;
  /** The group type ListGroups v5 named, else inferred from the protocol type (group-listing.ts). */
  type: GroupType | null;
  description: GroupDescription | null;
  /** KIP-848 group: DescribeGroups (classic API) cannot see it. */
  consumerProtocol: boolean;
  /** topic -> partition -> committed offset; only partitions with a commit. null until fetched. */
  committed: Map<string, Map<number, number>> | null;
  /** Share groups: topic -> partition -> start offset and lag; null until fetched. */
  shareOffsets: Map<string, Map<number, ShareOffset>> | null;
  error: string | null;
}

/** topic -> partition -> offset */
export type OffsetTable = Map<string, Map<number, number>>;

export interface Collected {
  metadata: RawMetadata | null;
  /** First failure seen per broker this refresh. */
  brokerErrors: Map<number, string>;
  logStart: OffsetTable;
  logEnd: OffsetTable;
  /** Last stable offsets (ListOffsets READ_COMMITTED). */
  lastStable: OffsetTable;
  configs: Map<string, Record<string, string>>;
  /** Ongoing reassignments, topic -> partition (reassignments.ts); empty when none or not asked. */
  reassignments: Map<string, Map<number, PartitionReassignment>>;
  /** Log dirs per broker and partition sizes on their leaders (log-dirs.ts); carried between full reads. */
  logDirs: Map<number, LogDirSnapshot[]>;
  sizes: OffsetTable;
  /** Bytes held by the slowest adding replica of each moving partition (log-dirs.ts). */
  copied: OffsetTable;
  /** The transactions holding pinned last stable offsets back (open-transactions.ts). */
  openTransactions: Map<string, Map<number, OpenTransaction>>;
  /** The brokers' transaction.max.timeout.ms (broker-configs.ts), null until read. */
  transactionMaxTimeoutMs: number | null;
  groups: Map<string, CollectedGroup>;
  /** The metadata quorum; null when not served or not (yet) read. */
  quorum: QuorumSnapshot | null;
  /** Failures not tied to a broker (topic:, group:, cluster, refresh). */
  errors: SnapshotError[];
  /** What the cluster does not serve, once each (ClusterSnapshot.notes). */
  notes: string[];
}

export function emptyCollected(): Collected {
  return {
    metadata: null,
    brokerErrors: new Map(),
    logStart: new Map(),
    logEnd: new Map(),
    lastStable: new Map(),
    configs: new Map(),
    reassignments: new Map(),
    logDirs: new Map(),
    sizes: new Map(),
    copied: new Map(),
    openTransactions: new Map(),
    transactionMaxTimeoutMs: null,
    groups: new Map(),
    quorum: null,
    errors: [],
    notes: [],
  };
}

export function setOffset(table: OffsetTable, topic: string, partition: number, offset: number): void {
  let partitions = table.get(topic);
  if (!partitions) {
    partitions = new Map();
    table.set(topic, partitions);
  }
  partitions.set(partition, offset);
}

/** Notes what the cluster does not serve, once per refresh. */
export function noteUnserved(collected: Collected, note: string): void {
  if (!collected.notes.includes(note)) collected.notes.push(note);
}

export function noteBrokerError(collected: Collected, nodeId: number, message: string): void {
  if (!collected.brokerErrors.has(nodeId)) collected.brokerErrors.set(nodeId, message);
}
