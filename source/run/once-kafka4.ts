/**
 * `--once` tables for what Kafka 4 adds, in the shape of the Kafka 4.4 tools so an SRE can diff the two:
 * consumer-protocol members as `kafka-consumer-groups.sh --describe --members --verbose`, share-partitions
 * as `kafka-share-groups.sh --describe` (both compared with the tools in test/integration/kafka4-groups.test.ts),
 * streams members with their tasks (a table of our own: `kafka-streams-groups.sh --describe --members
 * --verbose` packs them into one ASSIGNMENTS column), and the quorum as `kafka-metadata-quorum.sh describe
 * --replication`.
 * Every string from the cluster passes `sanitize`.
 */
import type { ClusterSnapshot, GroupSnapshot, QuorumReplicaSnapshot, TopicPartitions } from '../snapshot.js';
import { sanitize as s } from '../ui/sanitize.js';
import { formatTable } from './once-format.js';

/** `topic:p,p;topic:p` as ConsumerGroupCommand prints an assignment; `-` when empty. */
export function assignmentText(assignment: readonly TopicPartitions[] | undefined): string {
  if (!assignment || assignment.length === 0) return '-';
  return assignment.map((a) => `${s(a.topic)}:${a.partitions.join(',')}`).join(';');
}

const partitionCount = (assignment: readonly TopicPartitions[]) =>
  assignment.reduce((n, a) => n + a.partitions.length, 0);

/** The group's line after GROUP: its type and, where it has them, its epochs. */
export function groupFacts(group: GroupSnapshot): string {
  const facts: string[] = [];
  if (group.type) facts.push(`type ${group.type}`);
  if (group.groupEpoch !== undefined) facts.push(`group-epoch ${group.groupEpoch}`);
  if (group.assignmentEpoch !== undefined) facts.push(`assignment-epoch ${group.assignmentEpoch}`);
  if (group.topologyEpoch !== undefined) facts.push(`topology-epoch ${group.topologyEpoch}`);
  return facts.map((f) => `  ${f}`).join('');
}

/** Members of a consumer-protocol group, or null for a group that has no member epochs. */
export function consumerMembersTable(group: GroupSnapshot): string | null {
  if (group.type === 'streams' || group.members.length === 0 || group.members[0]!.memberEpoch === undefined) {
    return null;
  }
  const share = group.type === 'share';
  const header = share
    ? ['CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'MEMBER-EPOCH', 'ASSIGNMENT']
    : [
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
        '#PARTITIONS',
        'CURRENT-EPOCH',
        'CURRENT-ASSIGNMENT',
        'TARGET-EPOCH',
        'TARGET-ASSIGNMENT',
      ];
  const target = String(group.assignmentEpoch ?? '-');
  const rows = group.members.map((m) => {
    const row = [
      s(m.memberId),
      s(m.host),
      s(m.clientId),
      String(partitionCount(m.assignment)),
      String(m.memberEpoch ?? '-'),
      assignmentText(m.assignment),
    ];
    return share ? row : [...row, target, assignmentText(m.targetAssignment)];
  });
  return formatTable(header, rows, new Set([3, 4, 6]));
}

/** A share group's partitions: start offset and the broker's lag (`-` where it gives none, never 0). */
export function sharePartitionsTable(group: GroupSnapshot): string {
  return formatTable(
    ['TOPIC', 'PARTITION', 'START-OFFSET', 'LAG'],
    group.partitions.map((p) => [
      s(p.topic),
      String(p.partition),
      p.startOffset === null || p.startOffset === undefined ? '-' : String(p.startOffset),
      p.lag === null ? '-' : String(p.lag),
    ]),
    new Set([1, 2, 3]),
  );
}

/** A streams group's members and their tasks (current -> target where they differ). */
export function streamsMembersTable(group: GroupSnapshot): string | null {
  if (group.type !== 'streams' || group.members.length === 0) return null;
  const tasks = (current: string[] | undefined, target: string[] | undefined) => {
    const now = current && current.length > 0 ? current.join(',') : '-';
    const next = target && target.length > 0 ? target.join(',') : '-';
    return now === next ? now : `${now} -> ${next}`;
  };
  return formatTable(
    [
      'MEMBER',
      'PROCESS',
      'CLIENT-ID',
      'HOST',
      'MEMBER-EPOCH',
      'ACTIVE-TASKS',
      'STANDBY-TASKS',
      'WARMUP-TASKS',
    ],
    group.members.map((m) => [
      s(m.memberId),
      s(m.processId ?? '-'),
      s(m.clientId),
      s(m.host),
      String(m.memberEpoch ?? '-'),
      tasks(m.tasks?.active, m.tasks?.targetActive),
      tasks(m.tasks?.standby, m.tasks?.targetStandby),
      tasks(m.tasks?.warmup, m.tasks?.targetWarmup),
    ]),
    new Set([4]),
  );
}

/** The metadata quorum, as `kafka-metadata-quorum.sh describe --status` and `--replication` show it. */
export function quorumLines(snapshot: ClusterSnapshot): string[] {
  const q = snapshot.quorum;
  if (!q) return [];
  const takenMs = Date.parse(snapshot.takenAt);
  const ago = (ms: number | null) =>
    ms === null || !Number.isFinite(takenMs) ? '-' : `${Math.max(0, takenMs - ms)} ms ago`;
  const row = (r: QuorumReplicaSnapshot, status: string) => [
    String(r.id),
    String(r.logEndOffset),
    String(r.lag),
    ago(r.lastFetchTimestamp),
    ago(r.lastCaughtUpTimestamp),
    r.id === q.leaderId ? 'Leader' : status,
  ];
  return [
    '',
    `QUORUM  leader ${q.leaderId}  leader-epoch ${q.leaderEpoch}  high-watermark ${q.highWatermark}  ` +
      `voters [${q.voters.map((v) => v.id).join(',')}]  observers [${q.observers.map((o) => o.id).join(',')}]`,
    formatTable(
      ['NODE-ID', 'LOG-END-OFFSET', 'LAG', 'LAST-FETCH', 'LAST-CAUGHT-UP', 'STATUS'],
      [...q.voters.map((v) => row(v, 'Follower')), ...q.observers.map((o) => row(o, 'Observer'))],
      new Set([0, 1, 2]),
    ),
  ];
}

/** `-` for a share group whose broker computes no lag (Kafka 4.1): its total of 0 means unknown. */
export function totalLagOf(group: GroupSnapshot): string {
  const unknown =
    group.type === 'share' && group.partitions.length > 0 && group.partitions.every((p) => p.lag === null);
  return unknown ? '-' : String(group.totalLag);
}
