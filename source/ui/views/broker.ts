/** The broker view: a broker's facts, its idle history, and the partitions it hosts, troubled first, internal topics last. Enter opens a topic. */
import { REPLICAS_PER_BROKER_CEILING } from '../../model/config-insights.js';
import { restartSafety, restartSummary } from '../../model/restart-safety.js';
import type {
  BrokerState,
  ClusterModel,
  LogDirState,
  TopicPartitionState,
  TopicState,
} from '../../model/types.js';
import { formatBytes, formatClock, formatDuration, formatPercent, formatRate } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { isrText, memoByIdentity2, partitionId, searchText } from '../view-models/common.js';
import { internalRank, internalTopics } from '../view-models/internal-topics.js';
import { quorumCells } from '../view-models/kafka4.js';
import {
  type Cell,
  lazyRow,
  type Row,
  type RowParts,
  type TableModel,
  type Tone,
} from '../view-models/table.js';
import type { DetailContent, Facts, Missing, View } from './view.js';

export interface BrokerFrame {
  readonly kind: 'broker';
  readonly brokerId: number;
}

export function findBroker(model: ClusterModel, id: number): BrokerState | undefined {
  return model.brokers.find((b) => b.id === id);
}

/** Walks every partition: once per fold and broker, not per frame. */
const restartFact = memoByIdentity2((model: ClusterModel, b: BrokerState): Cell => {
  const summary = restartSummary(restartSafety(model, b.id));
  return { text: `safe to restart: ${sanitize(summary)}`, tone: summary === 'yes' ? 'ok' : 'warn' };
});

export function brokerFacts(b: BrokerState, model: ClusterModel, glyphs: Glyphs): Facts[] {
  const m = b.metrics;
  const idle = m?.requestHandlerIdle ?? null;
  const idleTone: Tone | undefined =
    idle === null ? 'muted' : idle < 0.2 ? 'crit' : idle < 0.3 ? 'warn' : 'ok';
  const li = b.leaderImbalance;
  const lines: Facts[] = [
    [
      b.up
        ? { text: `${glyphs.ok} up`, tone: 'ok' }
        : {
            text: `${glyphs.crit} DOWN${b.downSince ? ` since ${formatClock(b.downSince)}` : ''}`,
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
      b.partitionCount > REPLICAS_PER_BROKER_CEILING
        ? {
            text: `${glyphs.warn} replicas ${b.partitionCount}: above the ~${REPLICAS_PER_BROKER_CEILING.toLocaleString('en-US')} per broker ceiling`,
            tone: 'warn',
          }
        : { text: `replicas ${b.partitionCount}` },
      {
        text:
          li.ledNotPreferred + li.preferredNotLed > 0
            ? `${glyphs.warn} leader imbalance: leads ${li.ledNotPreferred} not preferred, ${li.preferredNotLed} preferred led elsewhere`
            : 'leaders balanced',
        tone: li.ledNotPreferred + li.preferredNotLed > 0 ? 'warn' : 'muted',
      },
      restartFact(model, b),
      ...(b.error ? [{ text: `${glyphs.crit} ${sanitize(b.error)}`, tone: 'crit' as Tone }] : []),
    ],
    ...b.logDirs.map((d) => logDirFacts(d, glyphs)),
  ];
  const quorum = quorumCells(model, b.id, glyphs);
  if (quorum.length > 0) lines.push(quorum);
  return lines;
}

const DAY_MS = 86_400_000;

/** One line per log dir: its headroom, how fast it goes, and when it runs out. */
function logDirFacts(d: LogDirState, glyphs: Glyphs): Facts {
  if (d.error !== null)
    return [
      { text: `log dir ${sanitize(d.path)}` },
      { text: `${glyphs.crit} ${sanitize(d.error)}`, tone: 'crit' },
    ];
  const ratio = d.usableRatio;
  const low = ratio !== null && ratio < 0.1;
  const soon = d.fullInMs !== null && d.fullInMs < DAY_MS;
  return [
    { text: `log dir ${sanitize(d.path)}` },
    {
      text: `${formatBytes(d.usableBytes)} usable of ${formatBytes(d.totalBytes)}${ratio === null ? '' : ` (${formatPercent(ratio)})`}`,
      tone: low ? 'crit' : undefined,
    },
    {
      text:
        d.growthBytesPerSec === null
          ? 'growth –'
          : `${d.growthBytesPerSec >= 0 ? '+' : '-'}${formatBytes(Math.abs(d.growthBytesPerSec))}/s`,
      tone: 'muted',
    },
    {
      text:
        d.fullInMs === null ? '' : `${soon ? `${glyphs.warn} ` : ''}full in ${formatDuration(d.fullInMs)}`,
      tone: soon ? 'warn' : undefined,
    },
    { text: d.cordoned ? 'cordoned' : '', tone: 'warn' },
  ].filter((c) => c.text !== '') as Facts;
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
  { title: 'PARTITION', width: 10, cut: 'middle' as const },
  { title: 'ROLE', width: 8, drop: 2 },
  { title: 'LDR', width: 3, align: 'right' as const },
  { title: 'PREFERRED', width: 9, drop: 3 },
  { title: 'REPLICAS', width: 8, drop: 4 },
  { title: 'ISR', width: 5 },
  { title: 'FLAGS', width: 5 },
  { title: 'WRITES', width: 6, align: 'right' as const, drop: 1 },
];

function trouble(p: TopicPartitionState): number {
  return (p.offline ? 4 : 0) + (p.underMinIsr ? 2 : 0) + (p.underReplicated ? 1 : 0);
}

/**
 * Partitions the broker leads or replicates: troubled ones first, then the user's topics before
 * internal ones (else `__consumer_offsets` fills the top), then the ones it leads.
 */
function partitionTable(model: ClusterModel, broker: BrokerState, hideInternal: boolean): TableModel {
  const internal = internalTopics(model.topics);
  const rows: { row: Row; trouble: number; internal: number; follower: number }[] = [];
  for (const t of model.topics) {
    const rank = internalRank(t.name, internal);
    if (hideInternal && rank) continue;
    for (const p of t.partitions) {
      if (p.leader !== broker.id && !p.replicas.includes(broker.id)) continue;
      rows.push({
        row: topicPartitionRow(t, p, broker.id),
        trouble: trouble(p),
        internal: rank,
        follower: p.leader === broker.id ? 0 : 1,
      });
    }
  }
  rows.sort((a, b) => b.trouble - a.trouble || a.internal - b.internal || a.follower - b.follower);
  return { columns: PARTITION_COLUMNS, rows: rows.map((r) => r.row) };
}

const withInternal = memoByIdentity2((model: ClusterModel, broker: BrokerState) =>
  partitionTable(model, broker, false),
);
const withoutInternal = memoByIdentity2((model: ClusterModel, broker: BrokerState) =>
  partitionTable(model, broker, true),
);

/** Memoized on the model and the broker, with or without internal topics. */
export function brokerPartitionTable(
  model: ClusterModel,
  broker: BrokerState,
  hideInternal = false,
): TableModel {
  return (hideInternal ? withoutInternal : withInternal)(model, broker);
}

export const brokerView: View<BrokerFrame> = {
  label: (frame) => `broker ${frame.brokerId}`,
  content(model, frame, glyphs, height, options): DetailContent | Missing {
    const b = findBroker(model, frame.brokerId);
    if (!b) return { missing: `broker ${frame.brokerId}` };
    const facts = brokerFacts(b, model, glyphs);
    if (options.hideInternal) facts.push([{ text: 'internal hidden', tone: 'muted' }]);
    return {
      facts,
      charts: [
        {
          title: 'Idle % (warn <30, alert <20)',
          series: [
            b.requestHandlerIdle.values().map((v) => v * 100),
            b.networkProcessorIdle.values().map((v) => v * 100),
          ],
          legend: ['request handler', 'network'],
          times: b.requestHandlerIdle.times(),
          height: Math.min(10, Math.max(4, Math.floor((height - 1 - facts.length) / 3))),
        },
      ],
      list: {
        table: brokerPartitionTable(model, b, options.hideInternal),
        target: (id) => {
          const dash = id.lastIndexOf('-');
          return dash > 0 ? { kind: 'topic', topic: id.slice(0, dash) } : null;
        },
        empty: 'this broker hosts no partitions',
      },
    };
  },
};
