/**
 * Pure: turns what a refresh collected into the ClusterSnapshot contract (docs/snapshot.md).
 */
import {
  type BrokerSnapshot,
  type ClusterSnapshot,
  type GroupPartitionSnapshot,
  type GroupSnapshot,
  lagOf,
  type MemberSnapshot,
  type PartitionReassignment,
  type PartitionSnapshot,
  type RefreshStats,
  SNAPSHOT_SCHEMA_VERSION,
  type SnapshotError,
  type TopicSnapshot,
} from '../snapshot.js';
import type { Collected, CollectedGroup, OffsetTable } from './collected.js';

/** The state shown for KIP-848 groups, whose real state the classic DescribeGroups cannot read. */
export const CONSUMER_PROTOCOL_STATE = 'Unknown';

export function isInternalTopic(name: string, flaggedByBroker = false): boolean {
  return flaggedByBroker || name.startsWith('__');
}

export interface AssembleInput {
  collected: Collected;
  takenAt: string;
  durationMs: number;
  stats: RefreshStats;
}

export function assembleSnapshot({ collected, takenAt, durationMs, stats }: AssembleInput): ClusterSnapshot {
  const metadata = collected.metadata;
  const known = new Set(metadata?.brokers.map((b) => b.nodeId) ?? []);

  const brokers: BrokerSnapshot[] = (metadata?.brokers ?? [])
    .map((b) => ({
      id: b.nodeId,
      host: b.host,
      port: b.port,
      rack: b.rack ?? null,
      error: collected.brokerErrors.get(b.nodeId) ?? null,
      metrics: null,
      logDirs: collected.logDirs.get(b.nodeId) ?? null,
    }))
    .sort((a, b) => a.id - b.id);

  // Loops and module-level comparators, not closures made per refresh (docs/performance.md, "Closures on
  // hot paths").
  const topics: TopicSnapshot[] = [];
  for (const t of metadata?.topicMetadata ?? []) {
    const partitions: PartitionSnapshot[] = [];
    for (const p of t.partitionMetadata) {
      const logEndOffset = lookup(collected.logEnd, t.topic, p.partitionId);
      partitions.push({
        partition: p.partitionId,
        leader: p.leader,
        // Shared, not copied, with earlier snapshots while the Metadata answer is unchanged (answer-memo.ts,
        // AnswerMemo): nothing writes into a snapshot.
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
        logStartOffset: lookup(collected.logStart, t.topic, p.partitionId),
        logEndOffset,
        lastStableOffset: stableOf(collected.lastStable, t.topic, p.partitionId, logEndOffset),
        reassignment: reassignmentOf(collected, t.topic, p.partitionId),
        sizeBytes: lookup(collected.sizes, t.topic, p.partitionId),
        openTransaction: collected.openTransactions.get(t.topic)?.get(p.partitionId) ?? null,
      });
    }
    topics.push({
      name: t.topic,
      internal: isInternalTopic(t.topic, t.isInternal === true),
      // Shared, not copied, with the refreshes the configs are carried into (slowly-changing.ts): nothing
      // writes into a snapshot.
      configs: collected.configs.get(t.topic) ?? NO_CONFIGS,
      partitions: inOrder(partitions, byPartition),
    });
  }
  inOrder(topics, byName);

  const groups: GroupSnapshot[] = [];
  for (const g of collected.groups.values())
    groups.push(assembleGroup(g, collected.logEnd, collected.lastStable));
  inOrder(groups, byGroupId);

  const errors: SnapshotError[] = [
    ...[...collected.brokerErrors.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, message]) => ({ source: `broker:${id}`, message })),
    ...missingBrokerErrors(topics, known, collected.brokerErrors),
    ...collected.errors,
  ];

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    takenAt,
    durationMs,
    clusterId: metadata?.clusterId ?? null,
    // Under KRaft only the quorum knows the active controller (Metadata names a random broker); without
    // it the metrics source fills it from ActiveControllerCount.
    controllerId: collected.quorum && collected.quorum.leaderId >= 0 ? collected.quorum.leaderId : null,
    quorum: collected.quorum,
    transactionMaxTimeoutMs: collected.transactionMaxTimeoutMs,
    brokers,
    topics,
    groups,
    errors,
    ...(collected.notes.length > 0 ? { notes: [...collected.notes] } : {}),
    stats: { ...stats },
  };
}

export function assembleGroup(
  group: CollectedGroup,
  logEnd: OffsetTable,
  lastStable: OffsetTable = NO_OFFSETS,
): GroupSnapshot {
  const description = group.description;
  const members = description?.members ?? NO_MEMBERS;
  // The member each assigned partition belongs to, by topic then partition.
  const owners = new Map<string, Map<number, string>>();
  for (const member of members) {
    for (const { topic, partitions } of member.assignment) {
      let byPartition = owners.get(topic);
      if (!byPartition) {
        byPartition = new Map();
        owners.set(topic, byPartition);
      }
      for (const p of partitions) byPartition.set(p, member.memberId);
    }
  }

  // kafka-consumer-groups --describe shows committed partitions plus assigned ones without a commit.
  // Nested maps and keys(), not a "topic/partition" string and an entry array per partition per refresh.
  const committed = group.committed;
  const partitions: GroupPartitionSnapshot[] = [];
  let totalLag = 0;
  if (committed) {
    for (const [topic, offsets] of committed) {
      const owner = owners.get(topic);
      for (const partition of offsets.keys()) {
        const row = groupPartition(
          topic,
          partition,
          offsets.get(partition)!,
          logEnd,
          lastStable,
          owner?.get(partition) ?? null,
        );
        totalLag += row.lag ?? 0;
        partitions.push(row);
      }
    }
  }
  const shares = group.shareOffsets;
  if (shares) {
    for (const [topic, offsets] of shares) {
      const owner = owners.get(topic);
      for (const [partition, { startOffset, lag }] of offsets) {
        totalLag += lag ?? 0;
        partitions.push({
          topic,
          partition,
          committedOffset: null,
          logEndOffset: lookup(logEnd, topic, partition),
          lag,
          memberId: owner?.get(partition) ?? null,
          startOffset,
        });
      }
    }
  }
  for (const [topic, owner] of owners) {
    const offsets = committed?.get(topic);
    const started = shares?.get(topic);
    for (const partition of owner.keys()) {
      if (!offsets?.has(partition) && !started?.has(partition))
        partitions.push(groupPartition(topic, partition, null, logEnd, lastStable, owner.get(partition)!));
    }
  }
  inOrder(partitions, byTopicPartition);

  const snapshot: GroupSnapshot = {
    groupId: group.groupId,
    // A consumer-protocol group the classic API saw (Dead, no members) has no description: Unknown.
    state: description?.state ?? (group.consumerProtocol ? CONSUMER_PROTOCOL_STATE : 'Unknown'),
    protocolType: description?.protocolType ?? group.listedProtocolType,
    protocol: description?.protocol ?? '',
    consumerProtocol: group.consumerProtocol,
    // Shared, not copied, with the description kept while the group's answer is unchanged (groups.ts):
    // nothing writes into a description or a snapshot.
    members,
    totalLag,
    partitions,
    error: group.error,
  };
  if (group.type !== null) snapshot.type = group.type;
  if (description?.groupEpoch !== undefined) snapshot.groupEpoch = description.groupEpoch;
  if (description?.assignmentEpoch !== undefined) snapshot.assignmentEpoch = description.assignmentEpoch;
  if (description?.topologyEpoch !== undefined) snapshot.topologyEpoch = description.topologyEpoch;
  return snapshot;
}

function groupPartition(
  topic: string,
  partition: number,
  committedOffset: number | null,
  logEnd: OffsetTable,
  lastStable: OffsetTable,
  memberId: string | null,
): GroupPartitionSnapshot {
  const logEndOffset = lookup(logEnd, topic, partition);
  return {
    topic,
    partition,
    committedOffset,
    logEndOffset,
    lag: lagOf(committedOffset, logEndOffset),
    lastStableOffset: stableOf(lastStable, topic, partition, logEndOffset),
    memberId,
  };
}

/**
 * Under KRaft a dead broker drops out of metadata at once, so no broker entry can carry its error: name
 * it from the replica lists that still point at it.
 */
function missingBrokerErrors(
  topics: TopicSnapshot[],
  known: Set<number>,
  already: Map<number, string>,
): SnapshotError[] {
  if (known.size === 0) return [];
  const counts = new Map<number, number>();
  for (const topic of topics) {
    for (const partition of topic.partitions) {
      for (const replica of partition.replicas) {
        if (!known.has(replica)) counts.set(replica, (counts.get(replica) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .filter(([id]) => !already.has(id))
    .sort(([a], [b]) => a - b)
    .map(([id, count]) => ({
      source: `broker:${id}`,
      message: `not in cluster metadata (offline or unregistered); replica of ${count} partition${count === 1 ? '' : 's'}`,
    }));
}

const NO_CONFIGS: Record<string, string> = Object.freeze({});
// Frozen: shared by every snapshot that has none, so a write into one would be a loud error, not a leak.
const NO_MEMBERS = Object.freeze([]) as unknown as MemberSnapshot[];

/**
 * Sorts in place, stable as sort() is. sort() copies the array into a scratch one first, and a refresh sorts
 * a list per topic and per group, and Metadata and OffsetFetch answers list partitions out of order (every
 * topic's and every group's, against the bench cluster): ~300 lists of ~10 at 200 topics and 100 groups. Short lists are sorted by insertion here instead, without the copy; a long list is
 * left alone when in order already, as topics and groups mostly are.
 */
function inOrder<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > SHORT_LIST) {
    for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return list.sort(compare);
    return list;
  }
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    for (; j >= 0 && compare(list[j]!, item) > 0; j--) list[j + 1] = list[j]!;
    list[j + 1] = item;
  }
  return list;
}

const SHORT_LIST = 16;

function lookup(table: OffsetTable, topic: string, partition: number): number | null {
  return table.get(topic)?.get(partition) ?? null;
}

/** A moving partition's reassignment with its progress, when the log dirs were read while it moved. */
function reassignmentOf(
  collected: Collected,
  topic: string,
  partition: number,
): PartitionReassignment | null {
  const r = collected.reassignments.get(topic)?.get(partition);
  if (!r) return null;
  const copiedBytes = lookup(collected.copied, topic, partition);
  return copiedBytes === null ? r : { ...r, copiedBytes };
}

/**
 * The last stable offset, never above the log end: both are read in the same round, and one read a moment
 * later can pass the other's answer.
 */
function stableOf(
  table: OffsetTable,
  topic: string,
  partition: number,
  logEnd: number | null,
): number | null {
  const stable = lookup(table, topic, partition);
  return stable !== null && logEnd !== null && stable > logEnd ? logEnd : stable;
}

const NO_OFFSETS: OffsetTable = new Map();

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPartition(a: PartitionSnapshot, b: PartitionSnapshot): number {
  return a.partition - b.partition;
}

function byName(a: TopicSnapshot, b: TopicSnapshot): number {
  return compare(a.name, b.name);
}

function byGroupId(a: GroupSnapshot, b: GroupSnapshot): number {
  return compare(a.groupId, b.groupId);
}

function byTopicPartition(a: GroupPartitionSnapshot, b: GroupPartitionSnapshot): number {
  return compare(a.topic, b.topic) || a.partition - b.partition;
}
