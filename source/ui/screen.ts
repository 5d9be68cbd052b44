/**
 * What is on screen, computed purely from the model, the navigation state and the terminal size:
 * the layout, each list's table with its visible rows, and where enter leads from each row. Both the
 * components (to render) and the key handler (to move and drill down) use it, so they agree.
 */

import type { ClusterModel } from '../model/types.js';
import type { Glyphs } from './glyphs.js';
import type { KeyContext } from './keymap.js';
import {
  currentFrame,
  type Frame,
  focusedListKey,
  type ListState,
  listState,
  type NavState,
  type PaneId,
  selectedIndex,
  windowOffset,
} from './navigation.js';
import {
  brokerFacts,
  brokerPartitionTable,
  type Facts,
  findBroker,
  findGroup,
  findGroupPartition,
  findTopic,
  groupFacts,
  groupPartitionTable,
  type PartitionCharts,
  partitionCharts,
  partitionFacts,
  topicFacts,
  topicListTable,
  topicMatrixTable,
} from './view-models/details.js';
import { brokerTable, groupTable, isrPane, rebalancePane } from './view-models/overview.js';
import { EMPTY_TABLE, type Row, sortableColumns, type TableModel, visibleRows } from './view-models/table.js';

export const HEADER_LINES = 2;
export const FOOTER_LINES = 1;

export interface ListView {
  readonly key: string;
  readonly table: TableModel;
  readonly rows: readonly Row[];
  readonly selected: number;
  readonly offset: number;
  /** Data rows that fit (the table's height minus its header line). */
  readonly pageSize: number;
  readonly list: ListState;
  /** Where enter leads from a row id, or null. */
  readonly target: (id: string) => Frame | null;
  readonly empty: string;
}

export interface PaneView {
  readonly id: PaneId;
  readonly number: number;
  readonly title: string;
  /** Extra summary after the title (counts, per-group rebalances). */
  readonly summary: string;
  readonly width: number;
  readonly height: number;
  readonly list: ListView;
}

export type BodyView =
  | { readonly kind: 'overview'; readonly grid: boolean; readonly panes: readonly PaneView[] }
  | {
      readonly kind: 'detail';
      readonly breadcrumb: readonly string[];
      readonly facts: readonly Facts[];
      readonly charts: readonly ChartView[];
      readonly list: ListView | null;
      /** Shown when the subject vanished (group deleted, broker gone). */
      readonly missing: string | null;
    };

export interface ChartView {
  readonly title: string;
  readonly series: readonly (readonly number[])[];
  readonly legend: readonly string[];
  readonly height: number;
}

export interface Screen {
  readonly width: number;
  /** Lines of the body (between header and footer). */
  readonly bodyHeight: number;
  readonly body: BodyView;
  /** The list keys act on, or null (partition view, nothing to select). */
  readonly focused: ListView | null;
  readonly keyContext: KeyContext;
}

function listView(
  nav: NavState,
  key: string,
  table: TableModel,
  height: number,
  target: (id: string) => Frame | null,
  empty: string,
): ListView {
  const list = listState(nav, key);
  const rows = visibleRows(table, list.filter, list.sort);
  const pageSize = Math.max(0, height - 1);
  const ids = rows.map((r) => r.id);
  const selected = selectedIndex(list, ids);
  const offset = windowOffset(list.offset, selected, pageSize, rows.length);
  return { key, table, rows, selected, offset, pageSize, list, target, empty };
}

const PANE_TITLES: Record<PaneId, string> = {
  groups: 'Group lag',
  brokers: 'Brokers',
  isr: 'ISR events',
  rebalances: 'Rebalances',
};

function paneHeights(panes: readonly PaneId[], focus: PaneId, body: number): Map<PaneId, number> {
  const small = Math.min(6, Math.max(3, Math.floor(body / 6)));
  const heights = new Map<PaneId, number>();
  for (const id of panes) heights.set(id, id === focus ? body - small * (panes.length - 1) : small);
  return heights;
}

function overview(model: ClusterModel, nav: NavState, glyphs: Glyphs, width: number, body: number): BodyView {
  const ids: PaneId[] = ['groups', 'brokers', 'isr', 'rebalances'];
  const grid = !nav.expanded && width >= 120 && body >= 24;
  const shown = nav.expanded ? [nav.focus] : ids;
  const isr = isrPane(model, glyphs);
  const reb = rebalancePane(model, glyphs);
  const sizes = new Map<PaneId, { width: number; height: number }>();
  if (nav.expanded) {
    sizes.set(nav.focus, { width, height: body });
  } else if (grid) {
    // The group pane has the most columns: give it the larger half.
    const left = Math.floor((width - 1) * 0.55);
    const right = width - 1 - left;
    const top = Math.ceil(body / 2);
    sizes.set('groups', { width: left, height: top });
    sizes.set('brokers', { width: right, height: top });
    sizes.set('isr', { width: left, height: body - top });
    sizes.set('rebalances', { width: right, height: body - top });
  } else {
    const heights = paneHeights(ids, nav.focus, body);
    for (const id of ids) sizes.set(id, { width, height: heights.get(id)! });
  }
  const panes = shown.map((id, i): PaneView => {
    const size = sizes.get(id)!;
    // Pane title takes one line; the table gets the rest.
    const tableHeight = size.height - 1;
    const key = `overview:${id}`;
    let list: ListView;
    let summary = '';
    switch (id) {
      case 'groups':
        list = listView(
          nav,
          key,
          groupTable(model.groups, glyphs),
          tableHeight,
          (gid) => ({ kind: 'group', groupId: gid }),
          'no consumer groups',
        );
        summary = `${model.groups.length} groups, worst first`;
        break;
      case 'brokers':
        list = listView(
          nav,
          key,
          brokerTable(model, glyphs),
          tableHeight,
          (bid) => ({ kind: 'broker', brokerId: Number(bid) }),
          'no brokers',
        );
        summary = 'request-handler idle: warn <30% alert <20%';
        break;
      case 'isr':
        list = listView(
          nav,
          key,
          isr.table,
          tableHeight,
          (eid) => {
            const topic = isr.topicOf.get(eid);
            return topic === undefined ? null : { kind: 'topic', topic };
          },
          'no ISR changes seen',
        );
        summary = `URP ${isr.urp}  under min ISR ${isr.underMinIsr}${isr.underMinIsrPartitions.length ? ` (${isr.underMinIsrPartitions.slice(0, 5).join(' ')}${isr.underMinIsrPartitions.length > 5 ? ` +${isr.underMinIsrPartitions.length - 5}` : ''})` : ''}  offline ${isr.offline}`;
        break;
      case 'rebalances':
        list = listView(
          nav,
          key,
          reb.table,
          tableHeight,
          (eid) => {
            const group = reb.groupOf.get(eid);
            return group === undefined ? null : { kind: 'group', groupId: group };
          },
          'no rebalances seen',
        );
        summary = reb.perGroup.length
          ? `last 15m: ${reb.perGroup
              .slice(0, 6)
              .map((g) => `${g.groupId} x${g.count}`)
              .join(' ')}`
          : 'none in the last 15m';
        break;
    }
    return { id, number: ids.indexOf(id) + 1 || i + 1, title: PANE_TITLES[id], summary, ...size, list };
  });
  return { kind: 'overview', grid, panes };
}

function chartHeights(available: number, count: number): number {
  return Math.max(4, Math.floor(available / count));
}

function detail(model: ClusterModel, nav: NavState, frame: Frame, glyphs: Glyphs, body: number): BodyView {
  const key = focusedListKey(nav);
  const missing = (what: string): BodyView => ({
    kind: 'detail',
    breadcrumb: breadcrumb(nav),
    facts: [],
    charts: [],
    list: null,
    missing: `${what} is not in the latest refresh`,
  });
  // Breadcrumb line, facts lines, a blank line, then lists and charts.
  switch (frame.kind) {
    case 'overview':
      throw new Error('overview is not a detail view');
    case 'group': {
      const g = findGroup(model, frame.groupId);
      if (!g) return missing(`group ${frame.groupId}`);
      const facts = groupFacts(g, glyphs);
      const tableHeight = body - 1 - facts.length;
      const list = listView(
        nav,
        key,
        groupPartitionTable(g, glyphs),
        tableHeight,
        (pid) => {
          const p = g.partitions.find((x) => `${x.topic}-${x.partition}` === pid);
          return p ? { kind: 'partition', groupId: g.groupId, topic: p.topic, partition: p.partition } : null;
        },
        'this group has no committed offsets',
      );
      return { kind: 'detail', breadcrumb: breadcrumb(nav), facts, charts: [], list, missing: null };
    }
    case 'partition': {
      const g = findGroup(model, frame.groupId);
      const p = g && findGroupPartition(g, frame.topic, frame.partition);
      if (!g || !p) return missing(`${frame.topic}-${frame.partition} of group ${frame.groupId}`);
      const t = findTopic(model, frame.topic)?.partitions.find((x) => x.partition === frame.partition);
      const facts = partitionFacts(p, glyphs);
      const charts: PartitionCharts = partitionCharts(p, t);
      const h = chartHeights(body - 1 - facts.length, 2);
      // Offsets are large and close together: plot them above the lowest one so the labels differ.
      let base = Number.POSITIVE_INFINITY;
      for (const v of [...charts.logEnd, ...charts.committed]) if (Number.isFinite(v) && v < base) base = v;
      if (!Number.isFinite(base)) base = 0;
      return {
        kind: 'detail',
        breadcrumb: breadcrumb(nav),
        facts,
        charts: [
          { title: 'Lag (messages)', series: [charts.lag], legend: ['lag'], height: h },
          {
            title: `Offsets above ${base}`,
            series: [charts.logEnd.map((v) => v - base), charts.committed.map((v) => v - base)],
            legend: ['log end (upper)', 'committed (lower)'],
            height: body - 1 - facts.length - h,
          },
        ],
        list: null,
        missing: null,
      };
    }
    case 'broker': {
      const b = findBroker(model, frame.brokerId);
      if (!b) return missing(`broker ${frame.brokerId}`);
      const facts = brokerFacts(b, model, glyphs);
      const chartHeight = Math.min(10, Math.max(4, Math.floor((body - 1 - facts.length) / 3)));
      const idle = b.requestHandlerIdle.values().map((v) => v * 100);
      const net = b.networkProcessorIdle.values().map((v) => v * 100);
      const list = listView(
        nav,
        key,
        brokerPartitionTable(model, b),
        body - 1 - facts.length - chartHeight,
        (pid) => {
          const dash = pid.lastIndexOf('-');
          return dash > 0 ? { kind: 'topic', topic: pid.slice(0, dash) } : null;
        },
        'this broker hosts no partitions',
      );
      return {
        kind: 'detail',
        breadcrumb: breadcrumb(nav),
        facts,
        charts: [
          {
            title: 'Idle % (warn <30, alert <20)',
            series: [idle, net],
            legend: ['request handler', 'network'],
            height: chartHeight,
          },
        ],
        list,
        missing: null,
      };
    }
    case 'topic': {
      const t = findTopic(model, frame.topic);
      if (!t) return missing(`topic ${frame.topic}`);
      const facts = topicFacts(t, glyphs);
      const list = listView(
        nav,
        key,
        topicMatrixTable(t, model, glyphs),
        body - 1 - facts.length,
        () => null,
        'no partitions',
      );
      return { kind: 'detail', breadcrumb: breadcrumb(nav), facts, charts: [], list, missing: null };
    }
    case 'topics': {
      const list = listView(
        nav,
        key,
        topicListTable(model.topics, glyphs),
        body - 1,
        (name) => ({ kind: 'topic', topic: name }),
        'no topics',
      );
      return { kind: 'detail', breadcrumb: breadcrumb(nav), facts: [], charts: [], list, missing: null };
    }
  }
}

export function frameLabel(frame: Frame): string {
  switch (frame.kind) {
    case 'overview':
      return 'overview';
    case 'group':
      return `group ${frame.groupId}`;
    case 'partition':
      return `${frame.topic}-${frame.partition}`;
    case 'broker':
      return `broker ${frame.brokerId}`;
    case 'topic':
      return `topic ${frame.topic}`;
    case 'topics':
      return 'topics';
  }
}

/** Unsanitized labels: the renderer sanitizes them (they contain group ids and topic names). */
export function breadcrumb(nav: NavState): string[] {
  return nav.stack.map(frameLabel);
}

export function buildScreen(
  model: ClusterModel,
  nav: NavState,
  glyphs: Glyphs,
  columns: number,
  rows: number,
  replay: boolean,
): Screen {
  // The frame stays one line shorter than the terminal: a full-height frame makes Ink 6 clear the
  // whole screen and scrollback on every render.
  const bodyHeight = Math.max(1, rows - 1 - HEADER_LINES - FOOTER_LINES);
  const frame = currentFrame(nav);
  const body =
    frame.kind === 'overview'
      ? overview(model, nav, glyphs, columns, bodyHeight)
      : detail(model, nav, frame, glyphs, bodyHeight);
  let focused: ListView | null = null;
  if (body.kind === 'overview') focused = body.panes.find((p) => p.id === nav.focus)?.list ?? null;
  else focused = body.list;
  return { width: columns, bodyHeight, body, focused, keyContext: { view: frame.kind, replay } };
}

export { EMPTY_TABLE, sortableColumns };
