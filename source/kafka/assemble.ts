/**
 * Pure: turns what a refresh collected into the ClusterSnapshot contract (docs/snapshot.md).
 */
import {
  type BrokerSnapshot,
  type ClusterSnapshot,
  type GroupPartitionSnapshot,
  type GroupSnapshot,
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
    }))
    .sort((a, b) => a.id - b.id);

  // Loops and module-level comparators, not closures made per refresh (docs/performance.md, "Closures on
  // hot paths").
  const topics: TopicSnapshot[] = [];
  for (const t of metadata?.topicMetadata ?? []) {
    const partitions: PartitionSnapshot[] = [];
    for (const p of t.partitionMetadata) {
      partitions.push({
        partition: p.partitionId,
        leader: p.leader,
        // Shared, not copied, with earlier snapshots while the Metadata answer is unchanged (internals.ts,
        // AnswerMemo): nothing writes into a snapshot.
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
        logStartOffset: lookup(collected.logStart, t.topic, p.partitionId),
        logEndOffset: lookup(collected.logEnd, t.topic, p.partitionId),
      });
    }
    topics.push({
      name: t.topic,
      internal: isInternalTopic(t.topic, t.isInternal === true),
      configs: { ...(collected.configs.get(t.topic) ?? {}) },
      partitions: partitions.sort(byPartition),
    });
  }
  topics.sort(byName);

  const groups: GroupSnapshot[] = [];
  for (const g of collected.groups.values()) groups.push(assembleGroup(g, collected.logEnd));
  groups.sort(byGroupId);

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
    // Only the ActiveControllerCount metric knows the KRaft controller; the metrics source fills it.
    controllerId: null,
    brokers,
    topics,
    groups,
    errors,
    stats: { ...stats },
  };
}

export function assembleGroup(group: CollectedGroup, logEnd: OffsetTable): GroupSnapshot {
  const description = group.description;
  const owner = new Map<string, string>();
  for (const member of description?.members ?? []) {
    for (const { topic, partitions } of member.assignment) {
      for (const p of partitions) owner.set(key(topic, p), member.memberId);
    }
  }

  // kafka-consumer-groups --describe shows committed partitions plus assigned ones without a commit.
  const rows = new Map<string, { topic: string; partition: number; committed: number | null }>();
  for (const [topic, partitions] of group.committed ?? []) {
    for (const [partition, offset] of partitions)
      rows.set(key(topic, partition), { topic, partition, committed: offset });
  }
  for (const member of description?.members ?? []) {
    for (const { topic, partitions } of member.assignment) {
      for (const partition of partitions) {
        if (!rows.has(key(topic, partition)))
          rows.set(key(topic, partition), { topic, partition, committed: null });
      }
    }
  }

  const partitions: GroupPartitionSnapshot[] = [];
  for (const { topic, partition, committed } of rows.values()) {
    const end = lookup(logEnd, topic, partition);
    partitions.push({
      topic,
      partition,
      committedOffset: committed,
      logEndOffset: end,
      lag: lagOf(committed, end),
      memberId: owner.get(key(topic, partition)) ?? null,
    });
  }
  partitions.sort(byTopicPartition);

  const totalLag = partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0);

  const snapshot: GroupSnapshot = {
    groupId: group.groupId,
    state: group.consumerProtocol ? CONSUMER_PROTOCOL_STATE : (description?.state ?? 'Unknown'),
    protocolType:
      description && !group.consumerProtocol ? description.protocolType : group.listedProtocolType,
    protocol: group.consumerProtocol ? '' : (description?.protocol ?? ''),
    consumerProtocol: group.consumerProtocol,
    members: (description?.members ?? []).map((m) => ({
      ...m,
      assignment: m.assignment.map((a) => ({ topic: a.topic, partitions: [...a.partitions] })),
    })),
    totalLag,
    partitions,
    error: group.error,
  };
  return snapshot;
}

/** Log-end minus committed, never negative; null when either side is unknown. */
export function lagOf(committed: number | null, logEnd: number | null): number | null {
  if (committed === null || logEnd === null) return null;
  return Math.max(0, logEnd - committed);
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

function lookup(table: OffsetTable, topic: string, partition: number): number | null {
  return table.get(topic)?.get(partition) ?? null;
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

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
