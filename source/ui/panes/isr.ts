/** Pane 3: ISR events, newest first, with the cluster's URP, under-min-ISR and offline counts. Enter opens the topic. */
import type { ClusterModel, IsrExpandEvent, IsrShrinkEvent, ModelEvent } from '../../model/types.js';
import { formatClock, formatDuration, toMillis } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { isrText, memoByIdentity2, searchText } from '../view-models/common.js';
import type { Cell, Column, Row, TableModel } from '../view-models/table.js';
import type { Pane } from './pane.js';

const ISR_KINDS = new Set<ModelEvent['kind']>([
  'isr-shrink',
  'isr-expand',
  'under-min-isr',
  'min-isr-restored',
  'partition-offline',
  'partition-online',
  'broker-down',
  'broker-up',
  'isr-flap',
]);

function oldIsr(e: IsrShrinkEvent | IsrExpandEvent): readonly number[] {
  if (e.kind === 'isr-shrink') return [...e.isr, ...e.removed];
  return e.isr.filter((r) => !e.added.includes(r));
}

function isrEventRow(e: ModelEvent, glyphs: Glyphs): Row | null {
  const time = formatClock(e.at);
  let what: Cell;
  let partition = '';
  let topic: string | null = null;
  let change = '';
  switch (e.kind) {
    case 'isr-shrink':
    case 'isr-expand':
      what = e.kind === 'isr-shrink' ? { text: 'shrink', tone: 'warn' } : { text: 'expand', tone: 'ok' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `${isrText(oldIsr(e))}${glyphs.arrow}${isrText(e.isr)}`;
      break;
    case 'under-min-isr':
    case 'min-isr-restored':
      what =
        e.kind === 'under-min-isr' ? { text: '<min ISR', tone: 'crit' } : { text: 'min ISR ok', tone: 'ok' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `${isrText(e.isr)} min ${e.minIsr}`;
      break;
    case 'partition-offline':
      what = { text: 'OFFLINE', tone: 'crit' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `replicas ${isrText(e.replicas)}`;
      break;
    case 'partition-online':
      what = { text: 'online', tone: 'ok' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `leader ${e.leader}`;
      break;
    case 'broker-down':
      what = { text: 'BRKR DOWN', tone: 'crit' };
      partition = `${sanitize(e.host)}:${e.port}`;
      change = sanitize(e.reason);
      break;
    case 'broker-up':
      what = { text: 'broker up', tone: 'ok' };
      partition = `${sanitize(e.host)}:${e.port}`;
      change = e.downForMs === null ? '' : `down ${formatDuration(e.downForMs)}`;
      break;
    case 'isr-flap':
      what = { text: 'flap', tone: 'warn' };
      change = `+${e.shrinksDelta} shrinks +${e.expandsDelta} expands`;
      break;
    default:
      return null;
  }
  const broker = e.broker === undefined ? '' : String(e.broker);
  return {
    id: e.id,
    cells: [{ text: time, tone: 'muted' }, what, { text: partition }, { text: change }, { text: broker }],
    sort: [-toMillis(e.at), what.text, partition, change, e.broker ?? -1],
    search: searchText(what.text, partition, change, broker, topic ? sanitize(topic) : null),
  };
}

export interface IsrPane {
  readonly table: TableModel;
  readonly urp: number;
  readonly underMinIsr: number;
  readonly offline: number;
  /** The under-min-ISR partitions, for the pane's summary line. */
  readonly underMinIsrPartitions: readonly string[];
  /** Topic of each event row, for drill-down. */
  readonly topicOf: ReadonlyMap<string, string>;
}

const ISR_COLUMNS: readonly Column[] = [
  { title: 'TIME', width: 8 },
  { title: 'EVENT', width: 10 },
  { title: 'PARTITION', width: 14, flex: true },
  { title: 'ISR', width: 15, drop: 1 },
  { title: 'BRKR', width: 4, align: 'right' },
];

/** Keyed on the event log itself: the model keeps the same array while no event happens. */
const isrEvents = memoByIdentity2((events: readonly ModelEvent[], glyphs: Glyphs) => {
  const rows: Row[] = [];
  const topicOf = new Map<string, string>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (!ISR_KINDS.has(e.kind)) continue;
    const row = isrEventRow(e, glyphs);
    if (!row) continue;
    rows.push(row);
    if ('topic' in e) topicOf.set(e.id, e.topic);
  }
  const table: TableModel = { columns: ISR_COLUMNS, rows };
  return { table, topicOf };
});

export const isrPane = memoByIdentity2((model: ClusterModel, glyphs: Glyphs): IsrPane => {
  const { table, topicOf } = isrEvents(model.events, glyphs);
  let urp = 0;
  let underMinIsr = 0;
  let offline = 0;
  const underMinIsrPartitions: string[] = [];
  for (const t of model.topics) {
    urp += t.underReplicatedCount;
    underMinIsr += t.underMinIsrCount;
    offline += t.offlineCount;
    if (t.underMinIsrCount > 0) {
      for (const p of t.partitions)
        if (p.underMinIsr) underMinIsrPartitions.push(`${sanitize(t.name)}-${p.partition}`);
    }
  }
  return {
    table,
    urp,
    underMinIsr,
    offline,
    underMinIsrPartitions,
    topicOf,
  };
});

function isrSummary(isr: IsrPane): string {
  const parts = isr.underMinIsrPartitions;
  const listed = parts.length
    ? ` (${parts.slice(0, 5).join(' ')}${parts.length > 5 ? ` +${parts.length - 5}` : ''})`
    : '';
  return `URP ${isr.urp}  under min ISR ${isr.underMinIsr}${listed}  offline ${isr.offline}`;
}

export const isrEventsPane = {
  id: 'isr',
  title: 'ISR events',
  empty: 'no ISR changes seen',
  content: memoByIdentity2((model: ClusterModel, glyphs: Glyphs) => {
    const isr = isrPane(model, glyphs);
    return {
      table: isr.table,
      summary: isrSummary(isr),
      target: (id: string) => {
        const topic = isr.topicOf.get(id);
        return topic === undefined ? null : ({ kind: 'topic', topic } as const);
      },
    };
  }),
} as const satisfies Pane;
