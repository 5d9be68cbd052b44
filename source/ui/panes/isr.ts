/**
 * Pane 3: ISR, leader and alert events, newest first, a storm of same-cause events as one line that
 * opens into its partitions; with the cluster's URP, under-min-ISR and offline counts. Enter opens the
 * topic (or a storm).
 */
import { transactionWord } from '../../model/stuck-lso.js';
import type {
  AlertFiringEvent,
  AlertMetric,
  AlertResolvedEvent,
  ClusterModel,
  IsrExpandEvent,
  IsrShrinkEvent,
  ModelEvent,
} from '../../model/types.js';
import { formatClock, formatCount, formatDuration, formatPercent, toMillis } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { isrText, searchText } from '../view-models/common.js';
import { eventStories, type Storm, type StoryItem, stormText } from '../view-models/event-stories.js';
import { internalTopics } from '../view-models/internal-topics.js';
import type { Cell, Column, Row, TableModel } from '../view-models/table.js';
import { type Pane, type PaneContent, type PaneOptions, recentRows } from './pane.js';

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
  'leader-change',
  'controller-change',
  'alert-firing',
  'alert-resolved',
  'reassignment-start',
  'reassignment-end',
  'log-dir-error',
  'log-dir-recovered',
  'lso-stuck',
  'lso-released',
]);

const isIsrKind = (e: ModelEvent) => ISR_KINDS.has(e.kind);

type AlertMetrics = ReadonlyMap<string, AlertMetric>;

function alertValue(metric: AlertMetric | undefined, value: number): string {
  if (metric === 'group-lag') return formatCount(value);
  if (metric === 'group-time-lag') return formatDuration(value);
  if (metric === 'request-handler-idle') return formatPercent(value);
  return String(value);
}

function alertChange(e: AlertFiringEvent | AlertResolvedEvent, metrics: AlertMetrics): string {
  const metric = metrics.get(e.alert);
  if (e.kind === 'alert-resolved')
    return `${alertValue(metric, e.value)} after ${formatDuration(e.firingForMs)}`;
  return `${alertValue(metric, e.value)} vs ${alertValue(metric, e.threshold)}`;
}

function oldIsr(e: IsrShrinkEvent | IsrExpandEvent): readonly number[] {
  if (e.kind === 'isr-shrink') return [...e.isr, ...e.removed];
  return e.isr.filter((r) => !e.added.includes(r));
}

/** ` by hanging transaction tx-1`, ` by open transaction of producer 7`: find-hanging's verdict, where known. */
function holder(e: {
  producerId: number | null;
  transactionalId: string | null;
  hanging?: boolean | null;
}): string {
  const word = transactionWord(e.hanging);
  if (e.transactionalId !== null) return ` by ${word} ${sanitize(e.transactionalId)}`;
  return e.producerId === null ? '' : ` by ${word} of producer ${e.producerId}`;
}

function isrEventRow(e: ModelEvent, glyphs: Glyphs, metrics: AlertMetrics, indent = ''): Row | null {
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
    case 'leader-change':
      what = { text: 'leader', tone: e.to < 0 ? 'crit' : e.preferred ? 'muted' : 'warn' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `${e.from < 0 ? 'none' : e.from}${glyphs.arrow}${e.to < 0 ? 'none' : e.to}${e.preferred ? ' pref' : ''}`;
      break;
    case 'controller-change':
      what = { text: 'controller', tone: e.to === null ? 'crit' : 'warn' };
      partition = 'metadata quorum';
      change = `${e.from ?? 'none'}${glyphs.arrow}${e.to ?? 'none'} epoch ${e.leaderEpoch}`;
      break;
    case 'reassignment-start':
      what = { text: 'moving', tone: 'warn' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `+${isrText(e.adding)} -${isrText(e.removing)}`;
      break;
    case 'reassignment-end':
      what = { text: 'moved', tone: 'ok' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `replicas ${isrText(e.replicas)}`;
      break;
    case 'lso-stuck':
      what = { text: 'LSO STUCK', tone: 'crit' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = `LSO ${e.lastStableOffset} HW ${e.logEndOffset} for ${formatDuration(e.sinceMs)}${holder(e)}`;
      break;
    case 'lso-released':
      what = { text: 'LSO moved', tone: 'ok' };
      topic = e.topic;
      partition = `${sanitize(e.topic)}-${e.partition}`;
      change = e.lastStableOffset === null ? '' : `LSO ${e.lastStableOffset}`;
      break;
    case 'log-dir-error':
      what = { text: 'LOG DIR', tone: 'crit' };
      partition = sanitize(e.path);
      change = sanitize(e.error);
      break;
    case 'log-dir-recovered':
      what = { text: 'log dir ok', tone: 'ok' };
      partition = sanitize(e.path);
      break;
    case 'alert-firing':
    case 'alert-resolved':
      what =
        e.kind === 'alert-resolved'
          ? { text: 'resolved', tone: 'ok' }
          : {
              text: `${e.severity === 'critical' ? glyphs.crit : glyphs.warn} ALERT`,
              tone: e.severity === 'critical' ? 'crit' : 'warn',
            };
      partition = `${sanitize(e.alert)}(${sanitize(e.subject)})`;
      change = alertChange(e, metrics);
      break;
    default:
      return null;
  }
  const broker = e.broker === undefined ? '' : String(e.broker);
  return {
    id: e.id,
    cells: [
      { text: time, tone: 'muted' },
      what,
      { text: indent + partition },
      { text: change },
      { text: broker },
    ],
    sort: [-toMillis(e.at), what.text, partition, change, e.broker ?? -1],
    search: searchText(what.text, partition, change, broker, topic ? sanitize(topic) : null),
  };
}

export interface IsrPane {
  readonly table: TableModel;
  readonly urp: number;
  /** Partitions being reassigned: their new replicas' absence from the ISR is not counted in `urp`. */
  readonly reassigning: number;
  readonly underMinIsr: number;
  readonly offline: number;
  /** The under-min-ISR partitions, for the pane's summary line. */
  readonly underMinIsrPartitions: readonly string[];
  /** Topic of each event row, for drill-down. */
  readonly topicOf: ReadonlyMap<string, string>;
  readonly hideInternal: boolean;
  /** Rows of the last 5 minutes (`PaneContent.urgent`). */
  readonly recent: number;
}

// PARTITION names what changed (a partition, a broker's host, an alert's subject): an identity column,
// cut last. The change gives way first, and takes the width a storm's story asks (a story is cut at its
// end, as the PARTITION column it starts in).
const ISR_COLUMNS: readonly Column[] = [
  { title: 'TIME', width: 8 },
  { title: 'EVENT', width: 10 },
  { title: 'PARTITION', width: 14 },
  { title: 'ISR', width: 15, flex: true, drop: 1 },
  { title: 'BRKR', width: 4, align: 'right' },
];

const STORM_WHAT: Readonly<Record<Storm['kind'], Cell>> = {
  'isr-shrink': { text: 'shrink', tone: 'warn' },
  'isr-expand': { text: 'expand', tone: 'ok' },
  'leader-change': { text: 'leader', tone: 'warn' },
  'under-min-isr': { text: '<min ISR', tone: 'crit' },
  'min-isr-restored': { text: 'min ISR ok', tone: 'ok' },
  'partition-offline': { text: 'OFFLINE', tone: 'crit' },
  'partition-online': { text: 'online', tone: 'ok' },
  'reassignment-start': { text: 'moving', tone: 'warn' },
  'reassignment-end': { text: 'moved', tone: 'ok' },
};

function stormRow(storm: Storm, open: boolean, glyphs: Glyphs): Row {
  const what = STORM_WHAT[storm.kind];
  const text = `${open ? (glyphs.ascii ? '-' : '▾') : glyphs.ascii ? '+' : '▸'} ${stormText(storm)}`;
  const broker = storm.broker === undefined ? '' : String(storm.broker);
  const count = `${glyphs.ascii ? 'x' : '×'}${storm.events.length}`;
  return {
    id: storm.id,
    cells: [
      { text: formatClock(storm.at), tone: 'muted' },
      { text: `${what.text} ${count}`, tone: what.tone },
      { text, span: 2 },
      { text: '' },
      { text: broker },
    ],
    sort: [-toMillis(storm.at), what.text, text, '', storm.broker ?? -1],
    search: searchText(what.text, text, broker),
  };
}

interface IsrRows {
  readonly rows: Row[];
  /** Each row's time (epoch ms), newest first, for `urgent`. */
  readonly rowAtMs: number[];
  /** Topic of each event row, for drill-down. */
  readonly topicOf: Map<string, string>;
}

function isrRows(
  stories: readonly StoryItem[],
  glyphs: Glyphs,
  open: readonly string[],
  metrics: AlertMetrics,
): IsrRows {
  const rows: Row[] = [];
  const rowAtMs: number[] = [];
  const topicOf = new Map<string, string>();
  const add = (e: ModelEvent, indent?: string) => {
    const row = isrEventRow(e, glyphs, metrics, indent);
    if (!row) return;
    rows.push(row);
    rowAtMs.push(toMillis(e.at));
    if ('topic' in e) topicOf.set(e.id, e.topic);
  };
  for (const item of stories) {
    if ('event' in item) {
      add(item.event);
      continue;
    }
    const isOpen = open.includes(item.storm.id);
    rows.push(stormRow(item.storm, isOpen, glyphs));
    rowAtMs.push(toMillis(item.storm.at));
    if (isOpen) for (const e of item.storm.events) add(e, '  ');
  }
  return { rows, rowAtMs, topicOf };
}

/** One entry per stories list: the rows for the glyphs and open storms it was last drawn with. */
const rowsCache = new WeakMap<
  readonly StoryItem[],
  { glyphs: Glyphs; open: readonly string[]; rows: IsrRows; table: TableModel }
>();

function isrTable(model: ClusterModel, glyphs: Glyphs, options: PaneOptions) {
  const stories = eventStories(model.events, isIsrKind, internalTopics(model.topics), options.hideInternal);
  const hit = rowsCache.get(stories);
  if (hit && hit.glyphs === glyphs && hit.open === options.openStorms) return hit;
  const metrics = new Map<string, AlertMetric>();
  for (const a of model.alerts) metrics.set(a.rule.name, a.rule.metric);
  const rows = isrRows(stories, glyphs, options.openStorms, metrics);
  const entry = { glyphs, open: options.openStorms, rows, table: { columns: ISR_COLUMNS, rows: rows.rows } };
  rowsCache.set(stories, entry);
  return entry;
}

/** The cluster's URP, under-min-ISR and offline counts, for the summary line. */
const isrCounts = (model: ClusterModel) => {
  let urp = 0;
  let reassigning = 0;
  let underMinIsr = 0;
  let offline = 0;
  const underMinIsrPartitions: string[] = [];
  for (const t of model.topics) {
    urp += t.underReplicatedCount;
    reassigning += t.reassigningCount;
    underMinIsr += t.underMinIsrCount;
    offline += t.offlineCount;
    if (t.underMinIsrCount > 0) {
      for (const p of t.partitions)
        if (p.underMinIsr) underMinIsrPartitions.push(`${sanitize(t.name)}-${p.partition}`);
    }
  }
  return { urp, reassigning, underMinIsr, offline, underMinIsrPartitions };
};

const CLOSED: PaneOptions = { hideInternal: false, openStorms: [] };

/** One entry per model: the pane for the glyphs and options it was last drawn with. */
const paneCache = new WeakMap<ClusterModel, { glyphs: Glyphs; options: PaneOptions; pane: IsrPane }>();

export function isrPane(model: ClusterModel, glyphs: Glyphs, options: PaneOptions = CLOSED): IsrPane {
  const hit = paneCache.get(model);
  if (
    hit &&
    hit.glyphs === glyphs &&
    hit.options.hideInternal === options.hideInternal &&
    hit.options.openStorms === options.openStorms
  ) {
    return hit.pane;
  }
  const { table, rows } = isrTable(model, glyphs, options);
  const counts = hit?.pane ?? isrCounts(model);
  const pane: IsrPane = {
    table,
    urp: counts.urp,
    reassigning: counts.reassigning,
    underMinIsr: counts.underMinIsr,
    offline: counts.offline,
    underMinIsrPartitions: counts.underMinIsrPartitions,
    topicOf: rows.topicOf,
    hideInternal: options.hideInternal,
    recent: recentRows(rows.rowAtMs, model.atMs),
  };
  paneCache.set(model, { glyphs, options, pane });
  return pane;
}

function isrSummary(isr: IsrPane): string {
  const parts = isr.underMinIsrPartitions;
  const listed = parts.length
    ? ` (${parts.slice(0, 5).join(' ')}${parts.length > 5 ? ` +${parts.length - 5}` : ''})`
    : '';
  const hidden = isr.hideInternal ? '  internal hidden' : '';
  const moving = isr.reassigning > 0 ? `  reassigning ${isr.reassigning}` : '';
  return `URP ${isr.urp}${moving}  under min ISR ${isr.underMinIsr}${listed}  offline ${isr.offline}${hidden}`;
}

const contentCache = new WeakMap<IsrPane, PaneContent>();

export const isrEventsPane = {
  id: 'isr',
  title: 'ISR events',
  empty: 'no ISR changes seen',
  content: (model: ClusterModel, glyphs: Glyphs, options: PaneOptions) => {
    const isr = isrPane(model, glyphs, options);
    let content = contentCache.get(isr);
    if (!content) {
      content = {
        table: isr.table,
        summary: isrSummary(isr),
        target: (id: string) => {
          const topic = isr.topicOf.get(id);
          return topic === undefined ? null : ({ kind: 'topic', topic } as const);
        },
        urgent: isr.recent,
      };
      contentCache.set(isr, content);
    }
    return content;
  },
} as const satisfies Pane;
