/** The topic view: a topic's facts and its replica/ISR matrix, one column per broker. */

import { configInsightText, unevenAssignmentText } from '../../model/config-insights.js';
import type { ClusterModel, TopicState } from '../../model/types.js';
import { formatBytes, formatCount, formatDuration, formatRate } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { isrText, memoByIdentity, memoByIdentity2, partitionId, searchText } from '../view-models/common.js';
import type { Cell, TableModel, Tone } from '../view-models/table.js';
import type { DetailContent, Facts, Missing, View } from './view.js';

export interface TopicFrame {
  readonly kind: 'topic';
  readonly topic: string;
}

export function findTopic(model: ClusterModel, name: string): TopicState | undefined {
  return model.topics.find((t) => t.name === name);
}

export function topicFacts(t: TopicState, model: ClusterModel, glyphs: Glyphs): Facts[] {
  const rf = Math.max(0, ...t.partitions.map((p) => p.replicas.length));
  // Unknown is not a value (a config we could not read): the same `–` as every other unknown.
  const unknown = glyphs.unknown;
  const retention =
    t.retentionMs === null ? unknown : t.retentionMs < 0 ? 'unlimited' : formatDuration(t.retentionMs);
  return [
    [
      { text: `${t.partitions.length} partitions` },
      { text: `RF ${rf}` },
      { text: `min ISR ${t.minIsr ?? unknown}` },
      {
        text: `retention ${retention}${t.retentionBytes !== null && t.retentionBytes >= 0 ? ` / ${formatCount(t.retentionBytes)}B` : ''}`,
      },
      { text: `cleanup ${t.cleanupPolicy === null ? unknown : sanitize(t.cleanupPolicy)}` },
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
      ...(t.reassigningCount ? [{ text: `reassigning ${t.reassigningCount}`, tone: 'warn' as Tone }] : []),
      ...sizeFact(t),
      {
        text: `${glyphs.ascii ? 'o' : '●'} in ISR  L leader (L! not preferred)  ${glyphs.ascii ? '.' : '○'} out of ISR  + being added  x offline`,
        tone: 'muted',
      },
    ],
    ...(t.configInsights.length > 0
      ? [
          t.configInsights.map(
            (i): Cell => ({ text: `${glyphs.warn} ${configInsightText(i)}`, tone: 'warn' }),
          ),
        ]
      : []),
    ...unevenLines(unevenByTopic(model).get(t.name) ?? [], glyphs),
  ];
}

/** The uneven spreads of the groups reading each topic, one pass over the groups per fold (unsanitized). */
const unevenByTopic = memoByIdentity(
  (model: ClusterModel): ReadonlyMap<string, readonly (readonly [groupId: string, text: string])[]> => {
    const byTopic = new Map<string, [string, string][]>();
    for (const g of model.groups) {
      for (const u of g.insights.unevenAssignments) {
        // A topic range divides alone is this view's topic: not named again.
        const text = unevenAssignmentText(u, false);
        for (const topic of u.topics) {
          const texts = byTopic.get(topic);
          if (texts) texts.push([g.groupId, text]);
          else byTopic.set(topic, [[g.groupId, text]]);
        }
      }
    }
    return byTopic;
  },
);

/** Groups' uneven spreads beyond these are counted, not drawn: the replica matrix keeps the screen. */
const MAX_UNEVEN_LINES = 3;

/** The group and its spread are two facts: a narrow screen wraps the spread instead of cutting its skew. */
function unevenLines(uneven: readonly (readonly [string, string])[], glyphs: Glyphs): Cell[][] {
  const shown = uneven.length > MAX_UNEVEN_LINES ? MAX_UNEVEN_LINES - 1 : uneven.length;
  const lines = uneven.slice(0, shown).map(([groupId, text]): Cell[] => [
    { text: `${glyphs.warn} group ${sanitize(groupId)}:`, tone: 'warn' },
    { text: sanitize(text), tone: 'warn' },
  ]);
  if (shown < uneven.length)
    lines.push([{ text: `+${uneven.length - shown} more groups assigned unevenly`, tone: 'muted' }]);
  return lines;
}

/** The topic's size on its leaders, where every partition's is known (DescribeLogDirs, every 30 s). */
function sizeFact(t: TopicState): { text: string }[] {
  let bytes = 0;
  for (const p of t.partitions) {
    if (p.sizeBytes === null) return [];
    bytes += p.sizeBytes;
  }
  return t.partitions.length > 0 ? [{ text: `size ${formatBytes(bytes)}` }] : [];
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
      { title: 'PARTITION', width: 10, cut: 'middle' as const },
      ...brokerIds.map((id) => ({
        title: String(id).padStart(3),
        width: 3,
        align: 'right' as const,
        sortable: false,
      })),
      { title: 'ISR', width: 5, drop: 2 },
      { title: 'FLAGS', width: 5 },
      { title: 'WRITES', width: 6, align: 'right' as const, drop: 1 },
    ],
    rows: t.partitions.map((p) => {
      const name = `${sanitize(t.name)}-${p.partition}`;
      const flags = [
        p.offline ? 'OFFLINE' : '',
        p.underMinIsr ? '<MIN ISR' : p.underReplicated ? 'URP' : '',
        p.reassignment ? 'MOVING' : '',
        p.stuckLsoSince !== null ? 'LSO STUCK' : '',
      ].filter(Boolean);
      const crit = p.offline || p.underMinIsr || p.underReplicated || p.stuckLsoSince !== null;
      const matrix: Cell[] = brokerIds.map((id) => {
        if (!p.replicas.includes(id)) return { text: '' };
        if (p.offlineReplicas.includes(id)) return { text: 'x', tone: 'crit' };
        // A replica being added is out of the ISR until it catches up: reassigning, not failing.
        if (!p.isr.includes(id))
          return p.reassignment?.adding.includes(id)
            ? { text: '+', tone: 'warn' }
            : { text: outOfIsr, tone: 'crit' };
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
          { text: flags.join(' '), tone: crit ? 'crit' : flags.length ? 'warn' : undefined },
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

export const topicView: View<TopicFrame> = {
  label: (frame) => `topic ${frame.topic}`,
  content(model, frame, glyphs): DetailContent | Missing {
    const t = findTopic(model, frame.topic);
    if (!t) return { missing: `topic ${frame.topic}` };
    return {
      facts: topicFacts(t, model, glyphs),
      charts: [],
      list: {
        table: topicMatrixTable(t, model, glyphs),
        target: (id) => {
          // Row ids are `topic-partition`; topic names may hold dashes, partitions are the digits after the last.
          const partition = Number(/-(\d+)$/.exec(id)?.[1] ?? Number.NaN);
          return Number.isInteger(partition) ? { kind: 'topicPartition', topic: t.name, partition } : null;
        },
        empty: 'no partitions',
      },
    };
  },
};
