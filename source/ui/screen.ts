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
  focusedListKey,
  type ListState,
  listState,
  type NavState,
  selectedIndex,
  windowOffset,
} from './navigation.js';
import { PANES, type PaneId, paneNumber } from './panes/index.js';
import { flowFacts, gridWidths, paneSizes } from './screen-layout.js';
import { EMPTY_TABLE, type Row, sortableColumns, type TableModel, visibleRows } from './view-models/table.js';
import {
  type ChartView,
  type DetailFrame,
  type Facts,
  type Frame,
  frameLabel,
  VIEWS,
  type View,
} from './views/index.js';

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

function overview(model: ClusterModel, nav: NavState, glyphs: Glyphs, width: number, body: number): BodyView {
  const grid = !nav.expanded && width >= 120 && body >= 24;
  // Rows after the filter decide what each pane needs (visibleRows is cached: the list reuses them).
  const rowCounts: number[] = [];
  const urgent: number[] = [];
  for (const pane of PANES) {
    const list = listState(nav, `overview:${pane.id}`);
    const content = pane.content(model, glyphs, nav);
    const rows = visibleRows(content.table, list.filter, list.sort).length;
    rowCounts.push(rows);
    urgent.push(Math.min(rows, content.urgent));
  }
  const sizes = paneSizes(nav, grid, width, body, rowCounts, urgent);
  const panes: PaneView[] = [];
  for (const pane of PANES) {
    const size = sizes.get(pane.id);
    if (!size) continue;
    const content = pane.content(model, glyphs, nav);
    // The pane's title takes one line; the table gets the rest.
    const list = listView(
      nav,
      `overview:${pane.id}`,
      content.table,
      size.height - 1,
      content.target,
      pane.empty,
    );
    panes.push({
      id: pane.id,
      number: paneNumber(pane.id),
      title: pane.title,
      summary: content.summary,
      ...size,
      list,
    });
  }
  return { kind: 'overview', grid, panes: grid ? gridWidths(panes, width) : panes };
}

function detail(
  model: ClusterModel,
  nav: NavState,
  frame: DetailFrame,
  glyphs: Glyphs,
  width: number,
  body: number,
): BodyView {
  const view = VIEWS[frame.kind] as View<DetailFrame>;
  const content = view.content(model, frame, glyphs, body, nav);
  const crumbs = breadcrumb(nav);
  if ('missing' in content) {
    return {
      kind: 'detail',
      breadcrumb: crumbs,
      facts: [],
      charts: [],
      list: null,
      missing: `${content.missing} is not in the latest refresh`,
    };
  }
  const facts = flowFacts(content.facts, width);
  let charts = content.charts;
  const extra = facts.length - content.facts.length;
  const last = charts[charts.length - 1];
  if (extra > 0 && !content.list && last) {
    // Charts sized to the whole body (partition view): the last gives up the lines the facts took.
    charts = [...charts.slice(0, -1), { ...last, height: Math.max(3, last.height - extra) }];
  }
  // The breadcrumb line, the facts, the charts, then the list in what is left.
  let used = 1 + facts.length;
  for (const c of charts) used += c.height;
  const list = content.list
    ? listView(
        nav,
        focusedListKey(nav),
        content.list.table,
        body - used,
        content.list.target,
        content.list.empty,
      )
    : null;
  return {
    kind: 'detail',
    breadcrumb: crumbs,
    facts,
    charts,
    list,
    missing: null,
  };
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
      : detail(model, nav, frame, glyphs, columns, bodyHeight);
  let focused: ListView | null = null;
  if (body.kind === 'overview') focused = body.panes.find((p) => p.id === nav.focus)?.list ?? null;
  else focused = body.list;
  return { width: columns, bodyHeight, body, focused, keyContext: { view: frame.kind, replay } };
}

export { EMPTY_PANE_LINES, flowFacts } from './screen-layout.js';
export type { ChartView, Frame };
export { EMPTY_TABLE, frameLabel, sortableColumns };
