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
import { PANE_IDS, PANES, type PaneId, paneNumber } from './panes/index.js';
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

function paneHeights(panes: readonly PaneId[], focus: PaneId, body: number): Map<PaneId, number> {
  const small = Math.min(6, Math.max(3, Math.floor(body / 6)));
  const heights = new Map<PaneId, number>();
  for (const id of panes) heights.set(id, id === focus ? body - small * (panes.length - 1) : small);
  return heights;
}

/** Pane sizes: one pane expanded; a grid of two a row (the left, with the most columns, the wider); or stacked. */
function paneSizes(nav: NavState, grid: boolean, width: number, body: number) {
  const sizes = new Map<PaneId, { width: number; height: number }>();
  if (nav.expanded) {
    sizes.set(nav.focus, { width, height: body });
  } else if (grid) {
    const left = Math.floor((width - 1) * 0.55);
    const gridRows = Math.ceil(PANES.length / 2);
    for (let i = 0; i < PANES.length; i++) {
      const row = Math.floor(i / 2);
      // Earlier rows take the odd lines, as Math.ceil(body / 2) did for two rows.
      const height = Math.floor(body / gridRows) + (row < body % gridRows ? 1 : 0);
      sizes.set(PANES[i]!.id, { width: i % 2 === 0 ? left : width - 1 - left, height });
    }
  } else {
    const heights = paneHeights(PANE_IDS, nav.focus, body);
    for (const pane of PANES) sizes.set(pane.id, { width, height: heights.get(pane.id)! });
  }
  return sizes;
}

function overview(model: ClusterModel, nav: NavState, glyphs: Glyphs, width: number, body: number): BodyView {
  const grid = !nav.expanded && width >= 120 && body >= 24;
  const sizes = paneSizes(nav, grid, width, body);
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
  return { kind: 'overview', grid, panes };
}

function detail(
  model: ClusterModel,
  nav: NavState,
  frame: DetailFrame,
  glyphs: Glyphs,
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
  // The breadcrumb line, the facts, the charts, then the list in what is left.
  let used = 1 + content.facts.length;
  for (const c of content.charts) used += c.height;
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
    facts: content.facts,
    charts: content.charts,
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
      : detail(model, nav, frame, glyphs, bodyHeight);
  let focused: ListView | null = null;
  if (body.kind === 'overview') focused = body.panes.find((p) => p.id === nav.focus)?.list ?? null;
  else focused = body.list;
  return { width: columns, bodyHeight, body, focused, keyContext: { view: frame.kind, replay } };
}

export type { ChartView, Frame };
export { EMPTY_TABLE, frameLabel, sortableColumns };
