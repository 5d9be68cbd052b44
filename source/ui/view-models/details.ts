/** View-models of the drill-down views: group, partition, broker, topic and the topic list. */

import type {
  BrokerState,
  ClusterModel,
  GroupPartitionState,
  GroupState,
  TopicPartitionState,
  TopicState,
} from '../../model/types.js';
import { formatCount, formatDuration, formatPercent, formatRate } from '../format.js';
import { type Glyphs, sparkline } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import {
  isrText,
  memoByIdentity2,
  retentionText,
  STATUS_ORDER,
  searchText,
  statusCell,
  timeLagText,
} from './common.js';
import { type Cell, lazyRow, type Row, type RowParts, type TableModel, type Tone } from './table.js';

export function partitionId(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function findGroup(model: ClusterModel, groupId: string): GroupState | undefined {
  return model.groups.find((g) => g.groupId === groupId);
}

export function findTopic(model: ClusterModel, name: string): TopicState | undefined {
  return model.topics.find((t) => t.name === name);
}

export function findBroker(model: ClusterModel, id: number): BrokerState | undefined {
  return model.brokers.find((b) => b.id === id);
}

/* -------------------------------------------------------------------------------------------- */
/* Group                                                                                         */
/* -------------------------------------------------------------------------------------------- */

/** A line of labelled facts: each fact is a cell so it can carry its tone. */
export type Facts = readonly Cell[];

export function groupFacts(g: GroupState, glyphs: Glyphs): Facts[] {
  const i = g.insights;
  const status = statusCell(g.status, glyphs);
  const assignor = g.assignor ? `${sanitize(g.assignor)} (${g.rebalanceProtocol})` : g.rebalanceProtocol;
  const line1: Cell[] = [
    { text: `${status.text}`, tone: status.tone },
    { text: g.statusReason ? sanitize(g.statusReason) : '', tone: 'muted' },
    { text: `state ${sanitize(g.state)}`, tone: g.rebalancing ? 'warn' : undefined },
    { text: `assignor ${assignor}` },
    { text: `members ${g.consumerProtocol && g.members.length === 0 ? '? (KIP-848)' : g.members.length}` },
    { text: `rebalances 15m ${g.rebalancesLast15m}`, tone: g.rebalancesLast15m >= 3 ? 'warn' : undefined },
  ];
  const line2: Cell[] = [
    { text: `lag ${formatCount(g.totalLag)}` },
    {
      text: `time lag ${timeLagText(g.timeLagMs, g.timeLagEstimated)}${g.timeLagEstimated ? ' (est.)' : ''}`,
    },
    { text: `consume ${formatRate(g.consumeRate)}` },
    { text: `produce ${formatRate(g.produceRate)}` },
    {
      text: `ETA ${g.eta.kind === 'eta' ? formatDuration(g.eta.ms) : g.eta.kind === 'caught-up' ? 'caught up' : g.eta.kind === 'not-catching-up' ? 'not catching up' : '–'}`,
      tone: g.eta.kind === 'not-catching-up' ? 'warn' : undefined,
    },
  ];
  const per = i.partitionsPerMember.map((p) => p.partitions);
  const line3: Cell[] = [
    retentionText(i.retentionRisk),
    i.dataLossPartitions > 0
      ? { text: `data lost on ${i.dataLossPartitions} partition(s)`, tone: 'crit' }
      : { text: '' },
    i.unevenAssignment
      ? {
          text: `${glyphs.warn} uneven assignment ${per.length ? `${Math.min(...per)}–${Math.max(...per)} partitions/member` : ''}`,
          tone: 'warn',
        }
      : { text: per.length ? `assignment even (${per[0]}/member)` : '', tone: 'muted' },
    i.idleMembers.length > 0
      ? { text: `${glyphs.warn} ${i.idleMembers.length} idle member(s)`, tone: 'warn' }
      : { text: '' },
  ];
  if (g.error) line3.unshift({ text: `${glyphs.crit} ${sanitize(g.error)}`, tone: 'crit' });
  return [line1, line2, line3].map((line) => line.filter((c) => c.text !== ''));
}

function retentionCell(retention: GroupPartitionState['retention']): Cell {
  return retention.kind === 'data-lost'
    ? { text: `LOST ${formatCount(retention.offsetsLost)}`, tone: 'crit' }
    : retention.kind === 'overtaken-in'
      ? { text: `${retention.estimated ? '~' : ''}${formatDuration(retention.ms)}`, tone: 'warn' }
      : { text: '', tone: 'muted' };
}

const GROUP_PARTITION_ROW: RowParts<GroupPartitionState, Glyphs> = {
  cells: (p, glyphs) => [
    statusCell(p.status, glyphs),
    { text: `${sanitize(p.topic)}-${p.partition}` },
    {
      text: p.committedOffset === null ? 'no commit' : formatCount(p.committedOffset),
      tone: p.committedOffset === null ? 'muted' : undefined,
    },
    { text: formatCount(p.logEndOffset) },
    { text: p.lag === null ? '–' : formatCount(p.lag) },
    { text: timeLagText(p.timeLagMs, p.timeLagEstimated) },
    { text: sparkline(p.lagHistory.values(), 12, glyphs), tone: 'accent' },
    { text: p.memberId ? sanitize(p.clientId ?? '') : 'unassigned', tone: p.memberId ? undefined : 'warn' },
    { text: sanitize(p.host ?? ''), tone: 'muted' },
    { text: p.leader < 0 ? 'none' : String(p.leader), tone: p.leader < 0 ? 'crit' : undefined },
    { text: isrText(p.isr) },
    { text: p.underReplicated ? 'URP' : '', tone: 'crit' },
    retentionCell(p.retention),
  ],
  sort: (p) => [
    -(p.status === null ? -1 : STATUS_ORDER[p.status]),
    `${sanitize(p.topic)}-${p.partition}`,
    p.committedOffset ?? -1,
    p.logEndOffset ?? -1,
    -(p.lag ?? -1),
    -(p.timeLagMs ?? -1),
    0,
    sanitize(p.clientId ?? ''),
    sanitize(p.host ?? ''),
    p.leader,
    p.isr.length,
    p.underReplicated ? 0 : 1,
    p.retention.kind === 'data-lost'
      ? -1
      : p.retention.kind === 'overtaken-in'
        ? p.retention.ms
        : Number.MAX_SAFE_INTEGER,
  ],
  search: (p) =>
    searchText(
      `${sanitize(p.topic)}-${p.partition}`,
      sanitize(p.clientId ?? ''),
      sanitize(p.host ?? ''),
      sanitize(p.memberId ?? ''),
      p.status,
    ),
};

function groupPartitionRow(p: GroupPartitionState, glyphs: Glyphs): Row {
  return lazyRow(partitionId(p.topic, p.partition), p, glyphs, GROUP_PARTITION_ROW);
}

/** Most lag first, then by topic and partition. */
function comparePartitionsByLag(a: GroupPartitionState, b: GroupPartitionState): number {
  return (
    (b.lag ?? -1) - (a.lag ?? -1) ||
    (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)
  );
}

export const groupPartitionTable = memoByIdentity2(
  (g: GroupState, glyphs: Glyphs): TableModel => ({
    columns: [
      { title: 'STATUS', width: 8 },
      { title: 'PARTITION', width: 14, flex: true },
      { title: 'COMMITTED', width: 9, align: 'right', drop: 4 },
      { title: 'LOG END', width: 7, align: 'right', drop: 4 },
      { title: 'LAG', width: 6, align: 'right' },
      { title: 'TIME LAG', width: 8, align: 'right' },
      { title: 'LAG HISTORY', width: 12, keepEnd: true, drop: 3, sortable: false },
      { title: 'CLIENT', width: 12, drop: 2 },
      { title: 'HOST', width: 12, drop: 5 },
      { title: 'LDR', width: 4, align: 'right', drop: 6 },
      { title: 'ISR', width: 9, drop: 6 },
      { title: 'URP', width: 3, drop: 1 },
      { title: 'RETENTION', width: 9, drop: 5 },
    ],
    rows: [...g.partitions].sort(comparePartitionsByLag).map((p) => groupPartitionRow(p, glyphs)),
  }),
);

/* -------------------------------------------------------------------------------------------- */
/* Partition (charts)                                                                            */
/* -------------------------------------------------------------------------------------------- */

export interface PartitionCharts {
  readonly lag: readonly number[];
  readonly logEnd: readonly number[];
  readonly committed: readonly number[];
  /** Epoch ms of the first and last points, for the axis caption. */
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

/**
 * Lag, log-end and committed offsets over time. The committed offset is log-end − lag at each refresh
 * where both are known (the model keeps lag history per group-partition and log-end per partition).
 */
export function partitionCharts(p: GroupPartitionState, t: TopicPartitionState | undefined): PartitionCharts {
  const lag = p.lagHistory.values();
  const lagTimes = p.lagHistory.times();
  const logEndValues = t?.logEndHistory.values() ?? [];
  const logEndTimes = t?.logEndHistory.times() ?? [];
  const logEndAt = new Map<number, number>();
  logEndTimes.forEach((time, i) => {
    logEndAt.set(time, logEndValues[i]!);
  });
  const committed = lagTimes.map((time, i) => {
    const end = logEndAt.get(time);
    const l = lag[i]!;
    return end === undefined || !Number.isFinite(end) || !Number.isFinite(l) ? Number.NaN : end - l;
  });
  return {
    lag,
    logEnd: lagTimes.map((time) => logEndAt.get(time) ?? Number.NaN),
    committed,
    fromMs: lagTimes[0] ?? null,
    toMs: lagTimes[lagTimes.length - 1] ?? null,
  };
}

export function findGroupPartition(
  g: GroupState,
  topic: string,
  partition: number,
): GroupPartitionState | undefined {
  return g.partitions.find((p) => p.topic === topic && p.partition === partition);
}

export function partitionFacts(p: GroupPartitionState, glyphs: Glyphs): Facts[] {
  const status = statusCell(p.status, glyphs);
  return [
    [
      { text: status.text, tone: status.tone },
      { text: sanitize(p.statusReason), tone: 'muted' },
      { text: `committed ${p.committedOffset === null ? 'no commit' : p.committedOffset}` },
      { text: `log end ${p.logEndOffset ?? '–'}` },
      { text: `log start ${p.logStartOffset ?? '–'}` },
      { text: `lag ${p.lag ?? '–'}` },
      {
        text: `time lag ${timeLagText(p.timeLagMs, p.timeLagEstimated)}${p.timeLagEstimated ? ' (est.)' : ''}`,
      },
    ],
    [
      {
        text: p.memberId
          ? `member ${sanitize(p.clientId ?? '')}@${sanitize(p.host ?? '')} (${sanitize(p.memberId)})`
          : 'unassigned',
        tone: p.memberId ? undefined : 'warn',
      },
      { text: `leader ${p.leader < 0 ? 'none' : p.leader}`, tone: p.leader < 0 ? 'crit' : undefined },
      {
        text: `replicas ${isrText(p.replicas)} ISR ${isrText(p.isr)}`,
        tone: p.underReplicated ? 'crit' : undefined,
      },
      { text: `consume ${formatRate(p.consumeRate)} produce ${formatRate(p.produceRate)}` },
      retentionText(p.retention),
    ],
  ];
}

/* -------------------------------------------------------------------------------------------- */
/* Broker                                                                                        */
/* -------------------------------------------------------------------------------------------- */

export function brokerFacts(b: BrokerState, model: ClusterModel, glyphs: Glyphs): Facts[] {
  const m = b.metrics;
  const idle = m?.requestHandlerIdle ?? null;
  const idleTone: Tone | undefined =
    idle === null ? 'muted' : idle < 0.2 ? 'crit' : idle < 0.3 ? 'warn' : 'ok';
  const li = b.leaderImbalance;
  return [
    [
      b.up
        ? { text: `${glyphs.ok} up`, tone: 'ok' }
        : {
            text: `${glyphs.crit} DOWN${b.downSince ? ` since ${b.downSince.slice(11, 19)}` : ''}`,
            tone: 'crit',
          },
      { text: `${sanitize(b.host)}:${b.port}${b.rack ? ` rack ${sanitize(b.rack)}` : ''}` },
      { text: b.isController || model.controllerId === b.id ? 'controller' : '' },
      {
        text: `request idle ${formatPercent(idle)}${idle !== null && idle > 1 ? ' (>100%: KRaft combined node)' : ''}`,
        tone: idleTone,
      },
      { text: `network idle ${formatPercent(m?.networkProcessorIdle ?? null)}` },
    ],
    [
      {
        text: `URP ${b.underReplicated.last ?? '–'}`,
        tone: (b.underReplicated.last ?? 0) > 0 ? 'crit' : undefined,
      },
      {
        text: `under min ISR ${m?.underMinIsrPartitions ?? '–'}`,
        tone: (m?.underMinIsrPartitions ?? 0) > 0 ? 'crit' : undefined,
      },
      { text: `leaders ${b.leaderCount}` },
      { text: `replicas ${b.partitionCount}` },
      {
        text:
          li.ledNotPreferred + li.preferredNotLed > 0
            ? `${glyphs.warn} leader imbalance: leads ${li.ledNotPreferred} not preferred, ${li.preferredNotLed} preferred led elsewhere`
            : 'leaders balanced',
        tone: li.ledNotPreferred + li.preferredNotLed > 0 ? 'warn' : 'muted',
      },
      ...(b.error ? [{ text: `${glyphs.crit} ${sanitize(b.error)}`, tone: 'crit' as Tone }] : []),
    ],
  ];
}

interface BrokerPartition {
  readonly t: TopicState;
  readonly p: TopicPartitionState;
}

function partitionFlags(p: TopicPartitionState): string[] {
  return [p.offline ? 'OFFLINE' : '', p.underMinIsr ? '<MIN ISR' : p.underReplicated ? 'URP' : ''].filter(
    Boolean,
  );
}

function partitionRole(p: TopicPartitionState, brokerId: number | null): string {
  return brokerId === null ? '' : p.leader === brokerId ? 'leader' : 'follower';
}

const TOPIC_PARTITION_ROW: RowParts<BrokerPartition, number | null> = {
  cells: ({ t, p }, brokerId) => {
    const flags = partitionFlags(p);
    return [
      { text: `${sanitize(t.name)}-${p.partition}` },
      { text: partitionRole(p, brokerId), tone: 'muted' },
      { text: p.leader < 0 ? 'none' : String(p.leader), tone: p.leader < 0 ? 'crit' : undefined },
      {
        text: p.preferredLeader === p.leader ? 'yes' : `no (${p.preferredLeader})`,
        tone: p.preferredLeader === p.leader ? 'muted' : 'warn',
      },
      { text: isrText(p.replicas) },
      { text: isrText(p.isr), tone: p.underReplicated ? 'crit' : undefined },
      { text: flags.join(' '), tone: flags.length ? 'crit' : undefined },
      { text: formatRate(p.writeRate) },
    ];
  },
  sort: ({ t, p }, brokerId) => [
    `${sanitize(t.name)}-${p.partition}`,
    partitionRole(p, brokerId),
    p.leader,
    p.preferredLeader === p.leader ? 1 : 0,
    p.replicas.length,
    p.isr.length,
    partitionFlags(p).length ? 0 : 1,
    -(p.writeRate ?? -1),
  ],
  search: ({ t, p }, brokerId) =>
    searchText(`${sanitize(t.name)}-${p.partition}`, partitionRole(p, brokerId), partitionFlags(p).join(' ')),
};

function topicPartitionRow(t: TopicState, p: TopicPartitionState, brokerId: number | null): Row {
  return lazyRow(partitionId(t.name, p.partition), { t, p }, brokerId, TOPIC_PARTITION_ROW);
}

const PARTITION_COLUMNS = [
  { title: 'PARTITION', width: 14, flex: true },
  { title: 'ROLE', width: 8, drop: 2 },
  { title: 'LDR', width: 4, align: 'right' as const },
  { title: 'PREFERRED', width: 9, drop: 3 },
  { title: 'REPLICAS', width: 9, drop: 4 },
  { title: 'ISR', width: 9 },
  { title: 'FLAGS', width: 8 },
  { title: 'WRITES', width: 7, align: 'right' as const, drop: 1 },
];

/** Partitions the broker leads or replicates, troubled ones first. */
export const brokerPartitionTable = memoByIdentity2(
  (model: ClusterModel, broker: BrokerState): TableModel => {
    const rows: { row: Row; rank: number }[] = [];
    for (const t of model.topics) {
      for (const p of t.partitions) {
        if (p.leader !== broker.id && !p.replicas.includes(broker.id)) continue;
        const rank =
          (p.offline ? 4 : 0) +
          (p.underMinIsr ? 2 : 0) +
          (p.underReplicated ? 1 : 0) +
          (p.leader === broker.id ? 0.5 : 0);
        rows.push({ row: topicPartitionRow(t, p, broker.id), rank });
      }
    }
    rows.sort((a, b) => b.rank - a.rank);
    return { columns: PARTITION_COLUMNS, rows: rows.map((r) => r.row) };
  },
);

/* -------------------------------------------------------------------------------------------- */
/* Topic                                                                                         */
/* -------------------------------------------------------------------------------------------- */

export function topicFacts(t: TopicState, glyphs: Glyphs): Facts[] {
  const rf = Math.max(0, ...t.partitions.map((p) => p.replicas.length));
  const retention =
    t.retentionMs === null ? '?' : t.retentionMs < 0 ? 'unlimited' : formatDuration(t.retentionMs);
  return [
    [
      { text: `${t.partitions.length} partitions` },
      { text: `RF ${rf}` },
      { text: `min ISR ${t.minIsr ?? '?'}` },
      {
        text: `retention ${retention}${t.retentionBytes !== null && t.retentionBytes >= 0 ? ` / ${formatCount(t.retentionBytes)}B` : ''}`,
      },
      { text: `cleanup ${sanitize(t.cleanupPolicy ?? '?')}` },
      ...(t.internal ? [{ text: 'internal', tone: 'muted' as Tone }] : []),
    ],
    [
      { text: `writes ${formatRate(t.writeRate)}` },
      {
        text:
          t.writeSkew === null
            ? 'skew –'
            : `skew ${t.writeSkew.toFixed(1)}×${t.writeSkew >= 2 ? ' (hot partition)' : ''}`,
        tone: t.writeSkew !== null && t.writeSkew >= 2 ? 'warn' : undefined,
      },
      { text: `URP ${t.underReplicatedCount}`, tone: t.underReplicatedCount ? 'crit' : undefined },
      { text: `under min ISR ${t.underMinIsrCount}`, tone: t.underMinIsrCount ? 'crit' : undefined },
      { text: `offline ${t.offlineCount}`, tone: t.offlineCount ? 'crit' : undefined },
      {
        text: `${glyphs.ascii ? 'o' : '●'} in ISR  L leader (L! not preferred)  ${glyphs.ascii ? '.' : '○'} out of ISR  x offline`,
        tone: 'muted',
      },
    ],
  ];
}

/** Replica/ISR matrix: one column per broker. */
const matrixCache = memoByIdentity2((_model: ClusterModel, _glyphs: Glyphs) => new Map<string, TableModel>());

export function topicMatrixTable(t: TopicState, model: ClusterModel, glyphs: Glyphs): TableModel {
  const cache = matrixCache(model, glyphs);
  let table = cache.get(t.name);
  if (!table) {
    table = buildMatrix(t, model, glyphs);
    cache.set(t.name, table);
  }
  return table;
}

function buildMatrix(t: TopicState, model: ClusterModel, glyphs: Glyphs): TableModel {
  const brokerIds = model.brokers.map((b) => b.id);
  const inIsr = glyphs.ascii ? 'o' : '●';
  const outOfIsr = glyphs.ascii ? '.' : '○';
  return {
    columns: [
      { title: 'PARTITION', width: 12, flex: true },
      ...brokerIds.map((id) => ({
        title: String(id).padStart(3),
        width: 3,
        align: 'right' as const,
        sortable: false,
      })),
      { title: 'ISR', width: 9, drop: 2 },
      { title: 'FLAGS', width: 8 },
      { title: 'WRITES', width: 7, align: 'right' as const, drop: 1 },
    ],
    rows: t.partitions.map((p) => {
      const name = `${sanitize(t.name)}-${p.partition}`;
      const flags = [
        p.offline ? 'OFFLINE' : '',
        p.underMinIsr ? '<MIN ISR' : p.underReplicated ? 'URP' : '',
      ].filter(Boolean);
      const matrix: Cell[] = brokerIds.map((id) => {
        if (!p.replicas.includes(id)) return { text: '' };
        if (p.offlineReplicas.includes(id)) return { text: 'x', tone: 'crit' };
        if (!p.isr.includes(id)) return { text: outOfIsr, tone: 'crit' };
        if (p.leader === id)
          return {
            text: p.preferredLeader === id ? 'L' : 'L!',
            tone: p.preferredLeader === id ? 'ok' : 'warn',
          };
        return { text: inIsr, tone: 'ok' };
      });
      return {
        id: partitionId(t.name, p.partition),
        cells: [
          { text: name },
          ...matrix,
          { text: isrText(p.isr), tone: p.underReplicated ? 'crit' : undefined },
          { text: flags.join(' '), tone: flags.length ? 'crit' : undefined },
          { text: formatRate(p.writeRate) },
        ],
        sort: [
          p.partition,
          ...brokerIds.map(() => 0),
          p.isr.length,
          flags.length ? 0 : 1,
          -(p.writeRate ?? -1),
        ],
        search: searchText(name, flags.join(' ')),
      };
    }),
  };
}

/* -------------------------------------------------------------------------------------------- */
/* Topic list                                                                                    */
/* -------------------------------------------------------------------------------------------- */

function replicationFactor(t: TopicState): number {
  let rf = 0;
  for (const p of t.partitions) if (p.replicas.length > rf) rf = p.replicas.length;
  return rf;
}

const TOPIC_LIST_ROW: RowParts<TopicState, Glyphs> = {
  cells: (t, glyphs) => {
    const status: Cell =
      t.offlineCount > 0
        ? { text: `${glyphs.crit} OFFLINE`, tone: 'crit' }
        : t.underMinIsrCount > 0
          ? { text: `${glyphs.crit} <MIN`, tone: 'crit' }
          : t.underReplicatedCount > 0
            ? { text: `${glyphs.warn} URP`, tone: 'warn' }
            : { text: `${glyphs.ok} OK`, tone: 'ok' };
    return [
      status,
      { text: sanitize(t.name), tone: t.internal ? 'muted' : undefined },
      { text: String(t.partitions.length) },
      { text: String(replicationFactor(t)) },
      { text: formatRate(t.writeRate) },
      {
        text: t.writeSkew === null ? '–' : `${t.writeSkew.toFixed(1)}×`,
        tone: (t.writeSkew ?? 0) >= 2 ? 'warn' : undefined,
      },
      { text: String(t.underReplicatedCount), tone: t.underReplicatedCount ? 'crit' : 'muted' },
      { text: String(t.underMinIsrCount), tone: t.underMinIsrCount ? 'crit' : 'muted' },
      { text: String(t.offlineCount), tone: t.offlineCount ? 'crit' : 'muted' },
    ];
  },
  sort: (t) => [
    -(t.offlineCount > 0 ? 3 : t.underMinIsrCount > 0 ? 2 : t.underReplicatedCount > 0 ? 1 : 0),
    sanitize(t.name),
    -t.partitions.length,
    -replicationFactor(t),
    -(t.writeRate ?? -1),
    -(t.writeSkew ?? -1),
    -t.underReplicatedCount,
    -t.underMinIsrCount,
    -t.offlineCount,
  ],
  search: (t) => searchText(sanitize(t.name)),
};

export const topicListTable = memoByIdentity2(
  (topics: readonly TopicState[], glyphs: Glyphs): TableModel => ({
    columns: [
      { title: 'STATUS', width: 9 },
      { title: 'TOPIC', width: 16, flex: true },
      { title: 'PARTS', width: 5, align: 'right' },
      { title: 'RF', width: 2, align: 'right', drop: 3 },
      { title: 'WRITES', width: 7, align: 'right' },
      { title: 'SKEW', width: 5, align: 'right', drop: 2 },
      { title: 'URP', width: 4, align: 'right' },
      { title: '<MIN', width: 4, align: 'right' },
      { title: 'OFFL', width: 4, align: 'right' },
    ],
    rows: topics.map((t) => lazyRow(t.name, t, glyphs, TOPIC_LIST_ROW)),
  }),
);
