/**
 * `--once` output: one snapshot as a readable report in the shape of `kafka-consumer-groups.sh --describe`
 * (so an SRE can diff the two), preceded by brokers and the quorum and followed by what failed; members
 * of consumer-protocol, share and streams groups as the Kafka 4.4 tools print them (once-kafka4.ts). Every string from the
 * cluster passes `sanitize`, since this goes straight to a terminal.
 */
import type { ClusterSnapshot } from '../snapshot.js';
import { displayWidth, pad, sanitize } from '../ui/sanitize.js';
import { insightLines } from './once-insights.js';
import {
  consumerMembersTable,
  groupFacts,
  quorumLines,
  sharePartitionsTable,
  streamsMembersTable,
  totalLagOf,
} from './once-kafka4.js';

type Row = readonly string[];

/** Left-aligned columns two spaces apart, numbers right-aligned (like the Kafka CLI's own tables). */
export function formatTable(
  header: Row,
  rows: readonly Row[],
  rightAligned: ReadonlySet<number> = new Set(),
): string {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (row: Row) =>
    row
      .map((value, i) => pad(value, widths[i] ?? 0, rightAligned.has(i) ? 'right' : 'left'))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const percent = (fraction: number | null | undefined) =>
  fraction === null || fraction === undefined ? '-' : `${(fraction * 100).toFixed(1)}%`;
const count = (n: number | null | undefined) => (n === null || n === undefined ? '-' : String(n));

export function formatOnce(snapshot: ClusterSnapshot): string {
  const s = sanitize;
  const partitions = snapshot.topics.reduce((n, t) => n + t.partitions.length, 0);
  const out: string[] = [
    `Cluster ${s(snapshot.clusterId ?? 'unknown')}  taken ${snapshot.takenAt}  controller ${count(snapshot.controllerId)}  ` +
      `brokers ${snapshot.brokers.length}  topics ${snapshot.topics.length}  partitions ${partitions}  groups ${snapshot.groups.length}`,
    '',
    formatTable(
      [
        'BROKER',
        'HOST',
        'PORT',
        'RACK',
        'REQ-HANDLER-IDLE',
        'NET-IDLE',
        'URP',
        'UNDER-MIN-ISR',
        'OFFLINE',
        'ERROR',
      ],
      snapshot.brokers.map((b) => [
        String(b.id),
        s(b.host),
        String(b.port),
        s(b.rack ?? '-'),
        percent(b.metrics?.requestHandlerIdle),
        percent(b.metrics?.networkProcessorIdle),
        count(b.metrics?.underReplicatedPartitions),
        count(b.metrics?.underMinIsrPartitions),
        count(b.metrics?.offlinePartitions),
        s(b.error ?? ''),
      ]),
      new Set([0, 2, 4, 5, 6, 7, 8]),
    ),
    ...quorumLines(snapshot),
    ...insightLines(snapshot),
  ];

  for (const group of snapshot.groups) {
    const byId = new Map(group.members.map((m) => [m.memberId, m]));
    // Without a type from the broker, a consumer-protocol group is known only by what DescribeGroups hid.
    const state = group.consumerProtocol && !group.type ? `${group.state} (consumer protocol)` : group.state;
    out.push(
      '',
      `GROUP ${s(group.groupId)}${groupFacts(group)}  state ${s(state)}  assignor ${s(group.protocol || '-')}  members ${group.members.length}  total lag ${totalLagOf(group)}`,
    );
    if (group.error) out.push(`  error: ${s(group.error)}`);
    const members = consumerMembersTable(group) ?? streamsMembersTable(group);
    if (members) out.push(members);
    if (group.type === 'share') {
      out.push(
        group.partitions.length === 0 ? '  (no share-partitions started)' : sharePartitionsTable(group),
      );
      continue;
    }
    if (group.partitions.length === 0) {
      out.push('  (no committed offsets)');
      continue;
    }
    out.push(
      formatTable(
        ['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'],
        group.partitions.map((p) => {
          const member = p.memberId === null ? undefined : byId.get(p.memberId);
          return [
            s(p.topic),
            String(p.partition),
            p.committedOffset === null ? 'no commit' : String(p.committedOffset),
            count(p.logEndOffset),
            count(p.lag),
            s(p.memberId ?? '-'),
            s(member?.host ?? '-'),
            s(member?.clientId ?? '-'),
          ];
        }),
        new Set([1, 2, 3, 4]),
      ),
    );
  }

  if (snapshot.errors.length > 0) {
    out.push(
      '',
      'ERRORS',
      formatTable(
        ['SOURCE', 'MESSAGE'],
        snapshot.errors.map((e) => [s(e.source), s(e.message)]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
