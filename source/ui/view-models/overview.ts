/** View-models of the four overview panes. Pure, memoized by model (and glyph set) identity. */

import type {
  BrokerState,
  ClusterModel,
  GroupState,
  IsrExpandEvent,
  IsrShrinkEvent,
  ModelEvent,
} from '../../model/types.js';
import { formatClock, formatCount, formatDuration, formatPercent, toMillis } from '../format.js';
import { bar, type Glyphs, sparkline, trend } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import {
  etaSortKey,
  etaText,
  isrText,
  memoByIdentity,
  memoByIdentity2,
  STATUS_ORDER,
  searchText,
  statusCell,
  timeLagText,
} from './common.js';
import {
  type Cell,
  type Column,
  lazyRow,
  type Row,
  type RowParts,
  type TableModel,
  type Tone,
} from './table.js';

export const SPARK_WIDTH = 16;
/** Request-handler idle thresholds: below 30% warn, below 20% alert (the usual Kafka rule of thumb). */
export const IDLE_WARN = 0.3;
export const IDLE_CRIT = 0.2;

/* -------------------------------------------------------------------------------------------- */
/* Groups                                                                                        */
/* -------------------------------------------------------------------------------------------- */

function groupRank(g: GroupState): number {
  return g.error ? 5 : g.status === null ? -1 : STATUS_ORDER[g.status];
}

/** Built only for the rows on screen. */
function groupCells(g: GroupState, glyphs: Glyphs): Cell[] {
  const id = sanitize(g.groupId);
  const history = g.lagHistory.values();
  const direction = trend(history);
  const status = g.error
    ? { text: `${glyphs.crit} ERROR`, tone: 'crit' as Tone }
    : statusCell(g.status, glyphs);
  const rebalances = g.rebalancesLast15m;
  const name = g.rebalancing ? `${id} (${sanitize(g.state)})` : id;
  return [
    status,
    { text: name, tone: g.rebalancing ? 'warn' : undefined },
    { text: formatCount(g.totalLag) },
    { text: timeLagText(g.timeLagMs, g.timeLagEstimated) },
    { text: sparkline(history, SPARK_WIDTH, glyphs), tone: 'accent' },
    {
      text:
        direction === 'up'
          ? glyphs.up
          : direction === 'down'
            ? glyphs.down
            : direction === 'flat'
              ? glyphs.flat
              : ' ',
      tone: direction === 'up' && g.totalLag > 0 ? 'warn' : undefined,
    },
    etaText(g.eta),
    { text: g.consumerProtocol && g.members.length === 0 ? '848' : String(g.members.length) },
    { text: String(rebalances), tone: rebalances >= 3 ? 'warn' : rebalances === 0 ? 'muted' : undefined },
  ];
}

const GROUP_ROW: RowParts<GroupState, Glyphs> = {
  cells: groupCells,
  // Worst first means descending, so the "natural" keys are negated where needed.
  sort: (g) => [
    -groupRank(g),
    sanitize(g.groupId),
    -g.totalLag,
    -(g.timeLagMs ?? -1),
    -g.totalLag,
    0,
    -etaSortKey(g.eta),
    -g.members.length,
    -g.rebalancesLast15m,
  ],
  search: (g) =>
    searchText(
      sanitize(g.groupId),
      g.state,
      g.status,
      ...g.members.map((m) => `${sanitize(m.clientId)} ${sanitize(m.host)}`),
    ),
};

/** A group with its default-order key computed once (sorting compares these, not the groups). */
interface RankedGroup {
  readonly group: GroupState;
  readonly rank: number;
  readonly timeLag: number;
  readonly lag: number;
}

/** Worst first: status, then time lag, then lag, then group id. */
function compareRanked(a: RankedGroup, b: RankedGroup): number {
  return (
    b.rank - a.rank ||
    b.timeLag - a.timeLag ||
    b.lag - a.lag ||
    (a.group.groupId < b.group.groupId ? -1 : a.group.groupId > b.group.groupId ? 1 : 0)
  );
}

const GROUP_COLUMNS: readonly Column[] = [
  { title: 'STATUS', width: 8 },
  { title: 'GROUP', width: 14, flex: true },
  { title: 'LAG', width: 6, align: 'right' },
  { title: 'TIME LAG', width: 8, align: 'right' },
  { title: 'LAG HISTORY', width: SPARK_WIDTH, keepEnd: true, drop: 3, sortable: false },
  { title: '', width: 1, drop: 6, sortable: false },
  { title: 'ETA', width: 9, align: 'right', drop: 4 },
  { title: 'MBR', width: 3, align: 'right', drop: 5 },
  { title: 'RB15', width: 4, align: 'right', drop: 2 },
];

/**
 * All groups, worst first. Rows are lazy: a refresh sorts the groups on precomputed keys and formats
 * only the rows drawn, while the filter and column sorts still see every group.
 */
export const groupTable = memoByIdentity2((groups: readonly GroupState[], glyphs: Glyphs): TableModel => {
  const ranked: RankedGroup[] = new Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    ranked[i] = { group: g, rank: groupRank(g), timeLag: g.timeLagMs ?? -1, lag: g.totalLag };
  }
  ranked.sort(compareRanked);
  const rows: Row[] = new Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) {
    const g = ranked[i]!.group;
    rows[i] = lazyRow(g.groupId, g, glyphs, GROUP_ROW);
  }
  return { columns: GROUP_COLUMNS, rows };
});

/* -------------------------------------------------------------------------------------------- */
/* Brokers                                                                                       */
/* -------------------------------------------------------------------------------------------- */

export function idleTone(idle: number | null): Tone | undefined {
  if (idle === null) return 'muted';
  if (idle < IDLE_CRIT) return 'crit';
  if (idle < IDLE_WARN) return 'warn';
  return 'ok';
}

function brokerStatus(b: BrokerState, glyphs: Glyphs): Cell {
  if (!b.up) return { text: `${glyphs.crit} DOWN`, tone: 'crit' };
  const idle = b.metrics?.requestHandlerIdle ?? null;
  if (idle !== null && idle < IDLE_CRIT) return { text: `${glyphs.crit} SATUR`, tone: 'crit' };
  if (idle !== null && idle < IDLE_WARN) return { text: `${glyphs.warn} BUSY`, tone: 'warn' };
  if ((b.underReplicated.last ?? 0) > 0) return { text: `${glyphs.warn} URP`, tone: 'warn' };
  if (b.error) return { text: `${glyphs.warn} ERROR`, tone: 'warn' };
  return { text: `${glyphs.ok} OK`, tone: 'ok' };
}

function brokerRow(b: BrokerState, controllerId: number | null, glyphs: Glyphs): Row {
  const idle = b.metrics?.requestHandlerIdle ?? null;
  const net = b.metrics?.networkProcessorIdle ?? null;
  const urp = b.underReplicated.last;
  const status = brokerStatus(b, glyphs);
  const imbalance = b.leaderImbalance.ledNotPreferred + b.leaderImbalance.preferredNotLed;
  const note = !b.up
    ? `down ${b.downSince ? `since ${formatClock(b.downSince)}` : ''}`
    : b.error
      ? sanitize(b.error)
      : b.metrics === null
        ? 'no metrics'
        : imbalance > 0
          ? `leader imbalance ${imbalance}`
          : '';
  const ctrl = b.isController || controllerId === b.id ? '*' : ' ';
  return {
    id: String(b.id),
    cells: [
      status,
      { text: `${b.id}${ctrl}` },
      { text: `${sanitize(b.host)}:${b.port}`, tone: 'muted' },
      {
        text: bar(idle === null ? null : Math.min(idle, 1), 10, glyphs, [IDLE_CRIT, IDLE_WARN]),
        tone: idleTone(idle),
      },
      { text: formatPercent(idle), tone: idleTone(idle) },
      {
        text: sparkline(b.requestHandlerIdle.values(), 12, glyphs, { min: 0, max: 1 }),
        tone: idleTone(idle),
      },
      { text: formatPercent(net), tone: idleTone(net) },
      { text: urp === null ? '–' : String(urp), tone: urp ? 'crit' : undefined },
      { text: String(b.leaderCount) },
      { text: String(b.partitionCount) },
      { text: note, tone: b.error || !b.up ? 'crit' : 'muted' },
    ],
    sort: [
      b.up ? (idle ?? 2) : -1,
      b.id,
      sanitize(b.host),
      idle ?? 2,
      idle ?? 2,
      0,
      net ?? 2,
      -(urp ?? 0),
      -b.leaderCount,
      -b.partitionCount,
      note,
    ],
    search: searchText(b.id, sanitize(b.host), b.rack ? sanitize(b.rack) : null, note),
  };
}

export const brokerTable = memoByIdentity2(
  (model: ClusterModel, glyphs: Glyphs): TableModel => ({
    columns: [
      { title: 'STATUS', width: 7 },
      { title: 'ID', width: 4, align: 'right' },
      { title: 'HOST', width: 15, drop: 3 },
      { title: 'REQ IDLE', width: 10, sortable: false },
      { title: '', width: 4, align: 'right' },
      { title: 'IDLE HISTORY', width: 12, keepEnd: true, drop: 2, sortable: false },
      { title: 'NET', width: 4, align: 'right', drop: 4 },
      { title: 'URP', width: 4, align: 'right' },
      { title: 'LEAD', width: 4, align: 'right', drop: 5 },
      { title: 'PART', width: 4, align: 'right', drop: 5 },
      { title: 'NOTE', width: 10, flex: true, drop: 1 },
    ],
    rows: model.brokers.map((b) => brokerRow(b, model.controllerId, glyphs)),
  }),
);

/* -------------------------------------------------------------------------------------------- */
/* ISR events                                                                                    */
/* -------------------------------------------------------------------------------------------- */

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

/* -------------------------------------------------------------------------------------------- */
/* Rebalances                                                                                    */
/* -------------------------------------------------------------------------------------------- */

const REBALANCE_KINDS = new Set<ModelEvent['kind']>([
  'rebalance-start',
  'rebalance-end',
  'member-join',
  'member-leave',
  'assignment-move',
]);

function shortState(state: string): string {
  return sanitize(state).replace('Rebalance', '');
}

export interface RebalancePane {
  readonly table: TableModel;
  /** Rebalances per group in the last 15 minutes (groups with at least one), most first. */
  readonly perGroup: readonly { readonly groupId: string; readonly count: number }[];
  /** Group of each row, for drill-down. */
  readonly groupOf: ReadonlyMap<string, string>;
}

const REBALANCE_COLUMNS: readonly Column[] = [
  { title: 'TIME', width: 8 },
  { title: 'GROUP', width: 14, drop: 2 },
  { title: 'CHANGE', width: 16, flex: true },
  { title: 'TOOK', width: 10, align: 'right', drop: 1 },
];

/** Keyed on the event log itself, as the ISR events. */
const rebalanceEvents = memoByIdentity2((events: readonly ModelEvent[], glyphs: Glyphs) => {
  const rows: Row[] = [];
  const groupOf = new Map<string, string>();
  // Partition moves come by the dozen in one refresh: one row per group and refresh.
  const moves = new Map<string, { count: number; first: ModelEvent & { kind: 'assignment-move' } }>();
  for (const e of events) {
    if (e.kind !== 'assignment-move') continue;
    const key = `${e.group}\u0000${e.at}`;
    const m = moves.get(key);
    if (m) m.count++;
    else moves.set(key, { count: 1, first: e });
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (!REBALANCE_KINDS.has(e.kind) || !('group' in e)) continue;
    let change: Cell;
    let duration = '';
    switch (e.kind) {
      case 'rebalance-start':
        change = {
          text: `start ${shortState(e.fromState)}${glyphs.arrow}${shortState(e.state)}`,
          tone: 'warn',
        };
        break;
      case 'rebalance-end':
        change = {
          text: `${e.observed ? 'end' : 'between refreshes'} ${e.states.map(shortState).join(glyphs.arrow)}`,
          tone: 'ok',
        };
        duration = e.durationMs === null ? '<1 refresh' : formatDuration(e.durationMs);
        break;
      case 'member-join':
      case 'member-leave':
        change = {
          text: `${e.kind === 'member-join' ? '+ join' : '- leave'} ${sanitize(e.clientId)}@${sanitize(e.host)}`,
          tone: e.kind === 'member-join' ? undefined : 'warn',
        };
        break;
      case 'assignment-move': {
        const m = moves.get(`${e.group}\u0000${e.at}`);
        if (!m || m.first !== e) continue;
        change = { text: `moved ${m.count} partition${m.count === 1 ? '' : 's'}`, tone: 'muted' };
        break;
      }
      default:
        continue;
    }
    const group = sanitize(e.group);
    groupOf.set(e.id, e.group);
    rows.push({
      id: e.id,
      cells: [{ text: formatClock(e.at), tone: 'muted' }, { text: group }, change, { text: duration }],
      sort: [-toMillis(e.at), group, change.text, duration],
      search: searchText(group, change.text),
    });
  }
  const table: TableModel = { columns: REBALANCE_COLUMNS, rows };
  return { table, groupOf };
});

function byRebalancesThenId(a: { groupId: string; count: number }, b: { groupId: string; count: number }) {
  return b.count - a.count || a.groupId.localeCompare(b.groupId);
}

/**
 * Rebalances per group in the last 15 minutes, keyed on the groups array. A loop, not closures made per
 * refresh (docs/performance.md, "Closures on hot paths").
 */
const rebalancesPerGroup = memoByIdentity((groups: readonly GroupState[]) => {
  const perGroup: { groupId: string; count: number }[] = [];
  for (const g of groups) {
    if (g.rebalancesLast15m > 0) perGroup.push({ groupId: sanitize(g.groupId), count: g.rebalancesLast15m });
  }
  return perGroup.sort(byRebalancesThenId);
});

export const rebalancePane = memoByIdentity2(
  (model: ClusterModel, glyphs: Glyphs): RebalancePane => ({
    ...rebalanceEvents(model.events, glyphs),
    perGroup: rebalancesPerGroup(model.groups),
  }),
);

/** Counts for the header. */
export const clusterCounts = memoByIdentity((model: ClusterModel) => {
  let partitions = 0;
  let urp = 0;
  let offline = 0;
  let underMinIsr = 0;
  for (const t of model.topics) {
    partitions += t.partitions.length;
    urp += t.underReplicatedCount;
    offline += t.offlineCount;
    underMinIsr += t.underMinIsrCount;
  }
  const firing = model.alerts.filter((a) => a.phase === 'firing');
  return {
    brokersUp: model.brokers.filter((b) => b.up).length,
    brokersDown: model.brokers.filter((b) => !b.up).map((b) => b.id),
    groups: model.groups.length,
    topics: model.topics.length,
    partitions,
    urp,
    offline,
    underMinIsr,
    critical: firing.filter((a) => a.rule.severity === 'critical'),
    warning: firing.filter((a) => a.rule.severity === 'warning'),
  };
});
