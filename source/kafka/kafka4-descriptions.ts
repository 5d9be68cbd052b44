/**
 * Pure: the Kafka 4 group describes (ConsumerGroupDescribe, ShareGroupDescribe, StreamsGroupDescribe,
 * DescribeShareGroupOffsets) turned into the collector's group descriptions. Descriptions are kept per
 * decoded group (an unchanged answer hands back the same decoded group) and shared with the snapshots:
 * nothing writes into them.
 */
import type { MemberSnapshot, StreamsMemberTasks, TopicPartitions } from '../snapshot.js';
import type { GroupDescription, ShareOffset } from './collected.js';
import type { AssignedTopic, DescribedConsumerGroup } from './consumer-group-describe.js';
import type { DescribedShareGroup, ShareGroupOffsets } from './share-groups.js';
import type { DescribedStreamsGroup, StreamsAssignment, StreamsTasks } from './streams-group-describe.js';
import { errorType } from './wire.js';

const descriptions = new WeakMap<object, GroupDescription>();

function kept<G extends object>(raw: G, make: (raw: G) => GroupDescription): GroupDescription {
  let description = descriptions.get(raw);
  if (!description) {
    description = make(raw);
    descriptions.set(raw, description);
  }
  return description;
}

export function describeConsumerGroup(raw: DescribedConsumerGroup): GroupDescription {
  return kept(raw, makeConsumerGroup);
}

function makeConsumerGroup(raw: DescribedConsumerGroup): GroupDescription {
  return {
    state: raw.groupState,
    protocolType: 'consumer',
    protocol: raw.assignorName,
    groupEpoch: raw.groupEpoch,
    assignmentEpoch: raw.assignmentEpoch,
    members: raw.members.map(
      (m): MemberSnapshot => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: topicPartitions(m.assignment),
        memberEpoch: m.memberEpoch,
        instanceId: m.instanceId,
        rackId: m.rackId,
        targetAssignment: topicPartitions(m.targetAssignment),
      }),
    ),
  };
}

export function describeShareGroup(raw: DescribedShareGroup): GroupDescription {
  return kept(raw, makeShareGroup);
}

function makeShareGroup(raw: DescribedShareGroup): GroupDescription {
  return {
    state: raw.groupState,
    protocolType: 'share',
    protocol: raw.assignorName,
    groupEpoch: raw.groupEpoch,
    assignmentEpoch: raw.assignmentEpoch,
    members: raw.members.map(
      (m): MemberSnapshot => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: topicPartitions(m.assignment),
        memberEpoch: m.memberEpoch,
        rackId: m.rackId,
      }),
    ),
  };
}

export function describeStreamsGroup(raw: DescribedStreamsGroup): GroupDescription {
  return kept(raw, makeStreamsGroup);
}

/**
 * A streams member owns tasks, not partitions: an active task `s_p` reads partition p of each source topic
 * of subtopology s, which is what the member's `assignment` lists (so the group's partitions have owners).
 */
function makeStreamsGroup(raw: DescribedStreamsGroup): GroupDescription {
  const sources = new Map<string, string[]>();
  for (const s of raw.topology?.subtopologies ?? []) sources.set(s.subtopologyId, s.sourceTopics);
  return {
    state: raw.groupState,
    protocolType: 'streams',
    protocol: raw.assignorName ?? '',
    groupEpoch: raw.groupEpoch,
    assignmentEpoch: raw.assignmentEpoch,
    ...(raw.topology ? { topologyEpoch: raw.topology.epoch } : {}),
    members: raw.members.map(
      (m): MemberSnapshot => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: taskPartitions(m.assignment.activeTasks, sources),
        memberEpoch: m.memberEpoch,
        instanceId: m.instanceId,
        rackId: m.rackId,
        targetAssignment: taskPartitions(m.targetAssignment.activeTasks, sources),
        tasks: memberTasks(m.assignment, m.targetAssignment),
        processId: m.processId,
      }),
    ),
  };
}

function memberTasks(current: StreamsAssignment, target: StreamsAssignment): StreamsMemberTasks {
  return {
    active: taskIds(current.activeTasks),
    standby: taskIds(current.standbyTasks),
    warmup: taskIds(current.warmupTasks),
    targetActive: taskIds(target.activeTasks),
    targetStandby: taskIds(target.standbyTasks),
    targetWarmup: taskIds(target.warmupTasks),
  };
}

/** Task ids as Kafka Streams prints them: `subtopology_partition`. */
function taskIds(tasks: StreamsTasks[]): string[] {
  const ids: string[] = [];
  for (const { subtopologyId, partitions } of tasks)
    for (const p of partitions) ids.push(`${subtopologyId}_${p}`);
  return ids.sort();
}

function taskPartitions(tasks: StreamsTasks[], sources: Map<string, string[]>): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const { subtopologyId, partitions } of tasks) {
    for (const topic of sources.get(subtopologyId) ?? []) {
      const list = byTopic.get(topic) ?? [];
      list.push(...partitions);
      byTopic.set(topic, list);
    }
  }
  return sorted([...byTopic].map(([topic, partitions]) => ({ topic, partitions })));
}

function topicPartitions(assigned: AssignedTopic[]): TopicPartitions[] {
  return sorted(assigned.map((a) => ({ topic: a.topicName, partitions: a.partitions })));
}

function sorted(list: TopicPartitions[]): TopicPartitions[] {
  for (const t of list) t.partitions = [...t.partitions].sort((a, b) => a - b);
  return list.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/**
 * A share group's start offsets and broker lags by topic and partition; partitions with an error are
 * left out and named in `failed`.
 */
export function shareOffsetsOf(raw: ShareGroupOffsets): {
  offsets: Map<string, Map<number, ShareOffset>>;
  failed: string[];
} {
  const offsets = new Map<string, Map<number, ShareOffset>>();
  const failed: string[] = [];
  for (const { topicName, partitions } of raw.topics) {
    const byPartition = new Map<number, ShareOffset>();
    for (const p of partitions) {
      if (p.errorCode !== 0) failed.push(`${topicName}-${p.partitionIndex} ${errorType(p.errorCode)}`);
      else byPartition.set(p.partitionIndex, { startOffset: p.startOffset, lag: p.lag });
    }
    if (byPartition.size > 0) offsets.set(topicName, byPartition);
  }
  return { offsets, failed };
}
