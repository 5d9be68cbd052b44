/** Pane 2: a row per broker with its request-handler idle. Enter opens the broker. */
import type { BrokerState, ClusterModel } from '../../model/types.js';
import { formatClock, formatPercent } from '../format.js';
import { bar, type Glyphs, sparkline } from '../glyphs.js';
import { displayWidth, sanitize } from '../sanitize.js';
import { memoByIdentity2, searchText } from '../view-models/common.js';
import { quorumSummary } from '../view-models/kafka4.js';
import type { Cell, Column, Row, TableModel, Tone } from '../view-models/table.js';
import type { Pane } from './pane.js';

/** Request-handler idle thresholds: below 30% warn, below 20% alert (the usual Kafka rule of thumb). */
export const IDLE_WARN = 0.3;
export const IDLE_CRIT = 0.2;

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
    ? b.downSince
      ? `since ${formatClock(b.downSince)}`
      : ''
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

/** Down brokers first (a small pane shows them before the healthy ones), then in id order as the model has them. */
function brokerRows(model: ClusterModel, glyphs: Glyphs): Row[] {
  const rows: Row[] = [];
  for (const b of model.brokers) if (!b.up) rows.push(brokerRow(b, model.controllerId, glyphs));
  for (const b of model.brokers) if (b.up) rows.push(brokerRow(b, model.controllerId, glyphs));
  return rows;
}

/**
 * Cells a host cut at its end needs to stay told apart from the others' (the ellipsis included): one past
 * the longest prefix two of them share. `kafka-4.kafka.demo.internal:9092` → 8 (`kafka-4…`).
 */
export function hostTellsApart(hosts: readonly string[]): number {
  const sorted = [...hosts].sort();
  let longest = 0;
  let shared = 0;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    longest = Math.max(longest, displayWidth(a));
    if (i === 0) continue;
    const b = sorted[i - 1]!;
    let k = 0;
    while (k < a.length && k < b.length && a[k] === b[k]) k++;
    shared = Math.max(shared, k);
  }
  return Math.min(longest, shared + 2);
}

/** One columns array per (id, host) width pair: the table keeps its column widths while they hold. */
const columnsCache = new Map<string, readonly Column[]>();

/**
 * HOST identifies the broker: never dropped, and cut (at the end, never below what tells the hosts apart)
 * only once the history, NET, LEAD, PART and REQ IDLE are gone and NOTE and the id are whole. The id is
 * never cut; NOTE (when a broker went down, a reason's first words) only past its 24 cells.
 */
function brokerColumns(idWidth: number, hostWidth: number): readonly Column[] {
  const key = `${idWidth}:${hostWidth}`;
  let columns = columnsCache.get(key);
  if (!columns) {
    columns = [
      { title: 'STATUS', width: 6 },
      { title: 'ID', width: idWidth, align: 'right' },
      { title: 'HOST', width: hostWidth },
      { title: 'REQ IDLE', width: 10, sortable: false, drop: 7 },
      { title: 'IDLE', width: 4, align: 'right' },
      { title: 'IDLE HISTORY', width: 6, max: 12, flex: true, cut: 'start', drop: 4, sortable: false },
      { title: 'NET', width: 4, align: 'right', drop: 5 },
      { title: 'URP', width: 3, align: 'right' },
      { title: 'LEAD', width: 4, align: 'right', drop: 6 },
      { title: 'PART', width: 4, align: 'right', drop: 6 },
      { title: 'NOTE', width: 24, max: 24 },
    ];
    columnsCache.set(key, columns);
  }
  return columns;
}

export const brokerTable = memoByIdentity2((model: ClusterModel, glyphs: Glyphs): TableModel => {
  const rows = brokerRows(model, glyphs);
  let idWidth = 2;
  const hosts: string[] = [];
  for (const r of rows) {
    idWidth = Math.max(idWidth, displayWidth(r.cells[1]!.text));
    hosts.push(r.cells[2]!.text);
  }
  return { columns: brokerColumns(idWidth, Math.max(4, hostTellsApart(hosts))), rows };
});

export const brokersPane = {
  id: 'brokers',
  title: 'Brokers',
  empty: 'no brokers',
  content: memoByIdentity2((model: ClusterModel, glyphs: Glyphs) => {
    const table = brokerTable(model, glyphs);
    let urgent = 0;
    for (const r of table.rows) if (r.cells[0]!.tone === 'crit' || r.cells[0]!.tone === 'warn') urgent++;
    return {
      table,
      // A broker whose metadata falls behind comes before the thresholds.
      summary: `${quorumSummary(model)}request-handler idle: warn <30% alert <20%`,
      target: (id: string) => ({ kind: 'broker', brokerId: Number(id) }) as const,
      urgent,
    };
  }),
} as const satisfies Pane;
