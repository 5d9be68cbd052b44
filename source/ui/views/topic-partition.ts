/**
 * The topic-partition view, opened from a partition of the topic view: its replicas (leader, ISR, offline),
 * exact log start and end, write rate, and the groups that commit on it, most lag first. Enter opens that
 * group's view of the partition.
 */

import { transactionWord } from '../../model/stuck-lso.js';
import type {
  ClusterModel,
  GroupPartitionState,
  GroupState,
  TopicPartitionState,
} from '../../model/types.js';
import { formatBytes, formatClock, formatPercent, formatRate } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import {
  isrText,
  memoByIdentity2,
  STATUS_ORDER,
  searchText,
  statusCell,
  timeLagText,
} from '../view-models/common.js';
import { type Cell, lazyRow, type RowParts, type TableModel } from '../view-models/table.js';
import { findTopic } from './topic.js';
import type { DetailContent, Facts, Missing, View } from './view.js';

export interface TopicPartitionFrame {
  readonly kind: 'topicPartition';
  readonly topic: string;
  readonly partition: number;
}

export function topicPartitionFacts(p: TopicPartitionState): Facts[] {
  const flags = [p.offline ? 'OFFLINE' : '', p.underMinIsr ? 'under min ISR' : p.underReplicated ? 'URP' : '']
    .filter(Boolean)
    .join(' ');
  const leader: Cell =
    p.leader < 0
      ? { text: 'leader none', tone: 'crit' }
      : p.leader === p.preferredLeader
        ? { text: `leader ${p.leader}` }
        : { text: `leader ${p.leader} (preferred ${p.preferredLeader})`, tone: 'warn' };
  const retained =
    p.logStartOffset !== null && p.logEndOffset !== null
      ? ` (${p.logEndOffset - p.logStartOffset} kept)`
      : '';
  return [
    [
      leader,
      { text: `replicas ${isrText(p.replicas)}` },
      { text: `ISR ${isrText(p.isr)}`, tone: p.underReplicated ? 'crit' : undefined },
      ...(p.offlineReplicas.length > 0
        ? [{ text: `offline ${isrText(p.offlineReplicas)}`, tone: 'crit' as const }]
        : []),
      ...(flags ? [{ text: flags, tone: 'crit' as const }] : []),
      ...(p.reassignment
        ? [
            {
              text: `reassigning: adding ${isrText(p.reassignment.adding)} removing ${isrText(p.reassignment.removing)}${progress(p)}`,
              tone: 'warn' as const,
            },
          ]
        : []),
    ],
    [
      // Exact offsets: telling two close numbers apart is the point here.
      { text: `log start ${p.logStartOffset ?? '–'}` },
      { text: `log end ${p.logEndOffset ?? '–'}${retained}` },
      ...(p.lastStableOffset !== null && p.logEndOffset !== null && p.lastStableOffset < p.logEndOffset
        ? [
            {
              text: `last stable ${p.lastStableOffset} (${p.logEndOffset - p.lastStableOffset} in open transactions)`,
            },
          ]
        : []),
      ...(p.stuckLsoSince !== null
        ? [
            {
              text: `LSO stuck since ${formatClock(p.stuckLsoSince)}: a hanging transaction (kafka-transactions.sh find-hanging)`,
              tone: 'crit' as const,
            },
          ]
        : []),
      ...(p.openTransaction !== null ? [transactionFact(p.openTransaction)] : []),
      { text: `writes ${formatRate(p.writeRate)}` },
      ...(p.sizeBytes !== null ? [{ text: `size ${formatBytes(p.sizeBytes)}` }] : []),
    ],
  ];
}

/** How much of the leader's log the slowest new replica holds (sizes read every 30 s). */
function progress(p: TopicPartitionState): string {
  const copied = p.reassignment?.copiedBytes;
  if (copied == null || p.sizeBytes === null) return '';
  const share = p.sizeBytes > 0 ? ` (${formatPercent(Math.min(1, copied / p.sizeBytes))})` : '';
  return `, copied ${formatBytes(copied)} of ${formatBytes(p.sizeBytes)}${share}`;
}

/** The transaction holding the LSO, as kafka-transactions.sh describe-producers and describe name it. */
function transactionFact(t: NonNullable<TopicPartitionState['openTransaction']>): Cell {
  const id = t.transactionalId === null ? '' : ` ${sanitize(t.transactionalId)}`;
  const state = t.state === null ? '' : ` ${sanitize(t.state)}`;
  return {
    text: `held by ${transactionWord(t.hanging)}${id} (producer ${t.producerId} epoch ${t.producerEpoch}${state}, from offset ${t.startOffset})`,
    tone: 'warn',
  };
}

interface Consumer {
  readonly group: GroupState;
  readonly partition: GroupPartitionState;
}

const CONSUMER_ROW: RowParts<Consumer, Glyphs> = {
  cells: ({ group, partition: p }, glyphs) => [
    statusCell(p.status, glyphs),
    { text: sanitize(group.groupId) },
    {
      text: p.committedOffset === null ? 'no commit' : String(p.committedOffset),
      tone: p.committedOffset === null ? 'muted' : undefined,
    },
    {
      text:
        p.unreadableLag > 0 ? `${p.lag} (${p.unreadableLag} past LSO)` : p.lag === null ? '–' : String(p.lag),
    },
    { text: timeLagText(p.timeLagMs, p.timeLagEstimated) },
    { text: p.memberId ? sanitize(p.clientId ?? '') : 'unassigned', tone: p.memberId ? undefined : 'warn' },
    { text: sanitize(p.host ?? ''), tone: 'muted' },
  ],
  sort: ({ group, partition: p }) => [
    -(p.status === null ? -1 : STATUS_ORDER[p.status]),
    sanitize(group.groupId),
    p.committedOffset ?? -1,
    -(p.lag ?? -1),
    -(p.timeLagMs ?? -1),
    sanitize(p.clientId ?? ''),
    sanitize(p.host ?? ''),
  ],
  search: ({ group, partition: p }) =>
    searchText(sanitize(group.groupId), sanitize(p.clientId ?? ''), sanitize(p.host ?? ''), p.status),
};

/** Per model: the consumers table of each topic-partition shown, built once per refresh. */
const consumerTables = memoByIdentity2(
  (_model: ClusterModel, _glyphs: Glyphs) => new Map<string, TableModel>(),
);

export function topicPartitionConsumers(
  model: ClusterModel,
  topic: string,
  partition: number,
  glyphs: Glyphs,
): TableModel {
  const cache = consumerTables(model, glyphs);
  const key = `${topic}\u0000${partition}`;
  let table = cache.get(key);
  if (!table) {
    const consumers: Consumer[] = [];
    for (const group of model.groups) {
      const p = group.partitions.find((x) => x.partition === partition && x.topic === topic);
      if (p) consumers.push({ group, partition: p });
    }
    consumers.sort((a, b) => (b.partition.lag ?? -1) - (a.partition.lag ?? -1));
    table = {
      columns: [
        { title: 'STATUS', width: 8 },
        { title: 'GROUP', width: 16, flex: true },
        { title: 'COMMITTED', width: 11, align: 'right' },
        { title: 'LAG', width: 8, align: 'right' },
        { title: 'TIME LAG', width: 8, align: 'right' },
        { title: 'CLIENT', width: 12, drop: 1 },
        { title: 'HOST', width: 12, drop: 2 },
      ],
      rows: consumers.map((c) => lazyRow(c.group.groupId, c, glyphs, CONSUMER_ROW)),
    };
    cache.set(key, table);
  }
  return table;
}

export const topicPartitionView: View<TopicPartitionFrame> = {
  // "partition": the group's view of it, opened from here, is labelled `topic-N` alone.
  label: (frame) => `partition ${frame.topic}-${frame.partition}`,
  content(model, frame, glyphs): DetailContent | Missing {
    const p = findTopic(model, frame.topic)?.partitions.find((x) => x.partition === frame.partition);
    if (!p) return { missing: `partition ${frame.topic}-${frame.partition}` };
    return {
      facts: topicPartitionFacts(p),
      charts: [],
      list: {
        table: topicPartitionConsumers(model, frame.topic, frame.partition, glyphs),
        target: (groupId) => ({ kind: 'partition', groupId, topic: frame.topic, partition: frame.partition }),
        empty: 'no group has committed offsets on this partition',
      },
    };
  },
};
