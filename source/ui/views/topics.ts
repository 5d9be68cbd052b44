/** The topic list: every topic with its partitions, replication, write rate, skew and health, internal topics last. Enter opens a topic. */
import type { TopicState } from '../../model/types.js';
import { formatRate } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { memoByIdentity2, searchText } from '../view-models/common.js';
import { internalRank, internalTopics } from '../view-models/internal-topics.js';
import { type Cell, lazyRow, type RowParts, type TableModel } from '../view-models/table.js';
import type { Facts, View } from './view.js';

export interface TopicsFrame {
  readonly kind: 'topics';
}

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

/** The topics, the user's before internal ones, each in the model's order; without internal ones when hidden. */
function ordered(topics: readonly TopicState[], hideInternal: boolean): TopicState[] {
  const internal = internalTopics(topics);
  const user: TopicState[] = [];
  const plumbing: TopicState[] = [];
  for (const t of topics) (internalRank(t.name, internal) ? plumbing : user).push(t);
  return hideInternal ? user : user.concat(plumbing);
}

function listTable(topics: readonly TopicState[], glyphs: Glyphs, hideInternal: boolean): TableModel {
  return {
    columns: [
      { title: 'STATUS', width: 6 },
      { title: 'TOPIC', width: 12, flex: true },
      { title: 'PARTS', width: 5, align: 'right' },
      { title: 'RF', width: 2, align: 'right', drop: 3 },
      { title: 'WRITES', width: 7, align: 'right' },
      { title: 'SKEW', width: 5, align: 'right', drop: 2 },
      { title: 'URP', width: 4, align: 'right' },
      { title: '<MIN', width: 4, align: 'right' },
      { title: 'OFFL', width: 4, align: 'right' },
    ],
    rows: ordered(topics, hideInternal).map((t) => lazyRow(t.name, t, glyphs, TOPIC_LIST_ROW)),
  };
}

const withInternal = memoByIdentity2((topics: readonly TopicState[], glyphs: Glyphs) =>
  listTable(topics, glyphs, false),
);
const withoutInternal = memoByIdentity2((topics: readonly TopicState[], glyphs: Glyphs) =>
  listTable(topics, glyphs, true),
);

export function topicListTable(
  topics: readonly TopicState[],
  glyphs: Glyphs,
  hideInternal = false,
): TableModel {
  return (hideInternal ? withoutInternal : withInternal)(topics, glyphs);
}

const HIDDEN: readonly Facts[] = [[{ text: 'internal hidden', tone: 'muted' }]];

export const topicsView: View<TopicsFrame> = {
  label: () => 'topics',
  content: (model, _frame, glyphs, _height, options) => ({
    facts: options.hideInternal ? HIDDEN : [],
    charts: [],
    list: {
      table: topicListTable(model.topics, glyphs, options.hideInternal),
      target: (topic) => ({ kind: 'topic', topic }),
      empty: 'no topics',
    },
  }),
};
