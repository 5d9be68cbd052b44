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
import { displayWidth } from './sanitize.js';
import {
  EMPTY_TABLE,
  naturalWidth,
  type Row,
  sortableColumns,
  type TableModel,
  visibleRows,
} from './view-models/table.js';
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

/** An empty pane's lines: its title and the line saying there is nothing yet. */
export const EMPTY_PANE_LINES = 2;

/** Lines a pane can use: its title, the column header and its rows; an empty one, title and one line. */
function paneNeed(rows: number): number {
  return rows === 0 ? EMPTY_PANE_LINES : 2 + rows;
}

/**
 * Shares `spare` lines among `heights` evenly, each up to its `need` (a pane taller than its rows shows
 * blank lines). Returns what nobody needed.
 */
function shareUpToNeed(heights: number[], needs: readonly number[], spare: number): number {
  while (spare > 0) {
    let hungry = 0;
    for (let i = 0; i < heights.length; i++) if (heights[i]! < needs[i]!) hungry++;
    if (hungry === 0) break;
    const share = Math.max(1, Math.floor(spare / hungry));
    for (let i = 0; i < heights.length && spare > 0; i++) {
      const give = Math.min(share, needs[i]! - heights[i]!, spare);
      if (give <= 0) continue;
      heights[i] = heights[i]! + give;
      spare -= give;
    }
  }
  return spare;
}

/**
 * Stacked: empty panes keep their title and one line, the others a few rows each, and the focused pane
 * the rest, up to its rows; what it cannot use goes to the others.
 */
function stackedHeights(needs: readonly number[], focus: number, body: number): number[] {
  const small = Math.min(6, Math.max(3, Math.floor(body / 6)));
  const heights: number[] = [];
  let spare = body;
  for (const need of needs) {
    heights.push(Math.min(need, small));
    spare -= heights[heights.length - 1]!;
  }
  const more = Math.min(Math.max(0, spare), needs[focus]! - heights[focus]!);
  heights[focus] = heights[focus]! + more;
  spare = shareUpToNeed(heights, needs, spare - more);
  heights[focus] = heights[focus]! + Math.max(0, spare);
  return heights;
}

/**
 * Grid rows: a row takes what its busier pane needs, rows that need more share what is left, and
 * what nobody needs goes to the last row.
 */
function gridHeights(needs: readonly number[], body: number): number[] {
  const heights: number[] = [];
  let spare = body;
  for (const need of needs) {
    heights.push(Math.min(need, EMPTY_PANE_LINES));
    spare -= heights[heights.length - 1]!;
  }
  spare = shareUpToNeed(heights, needs, spare);
  heights[heights.length - 1] = heights[heights.length - 1]! + Math.max(0, spare);
  return heights;
}

/** Pane sizes: one pane expanded; a grid of two a row (the left, with the most columns, the wider); or stacked. */
function paneSizes(nav: NavState, grid: boolean, width: number, body: number, rowCounts: readonly number[]) {
  const sizes = new Map<PaneId, { width: number; height: number }>();
  if (nav.expanded) {
    sizes.set(nav.focus, { width, height: body });
  } else if (grid) {
    const left = Math.floor((width - 1) * 0.55);
    const needs: number[] = [];
    for (let i = 0; i < PANES.length; i += 2) {
      needs.push(Math.max(paneNeed(rowCounts[i]!), i + 1 < PANES.length ? paneNeed(rowCounts[i + 1]!) : 0));
    }
    const heights = gridHeights(needs, body);
    for (let i = 0; i < PANES.length; i++) {
      sizes.set(PANES[i]!.id, { width: i % 2 === 0 ? left : width - 1 - left, height: heights[i >> 1]! });
    }
  } else {
    const needs: number[] = [];
    for (let i = 0; i < PANES.length; i++) needs.push(paneNeed(rowCounts[i]!));
    const heights = stackedHeights(needs, Math.max(0, PANE_IDS.indexOf(nav.focus)), body);
    for (let i = 0; i < PANES.length; i++) sizes.set(PANES[i]!.id, { width, height: heights[i]! });
  }
  return sizes;
}

function overview(model: ClusterModel, nav: NavState, glyphs: Glyphs, width: number, body: number): BodyView {
  const grid = !nav.expanded && width >= 120 && body >= 24;
  // Rows after the filter decide what each pane needs (visibleRows is cached: the list reuses them).
  const rowCounts: number[] = [];
  for (const pane of PANES) {
    const list = listState(nav, `overview:${pane.id}`);
    rowCounts.push(visibleRows(pane.content(model, glyphs, nav).table, list.filter, list.sort).length);
  }
  const sizes = paneSizes(nav, grid, width, body, rowCounts);
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

/** What a pane's rows on screen hold, across. */
function paneWant(pane: PaneView): number {
  const { table, rows, offset, pageSize } = pane.list;
  return naturalWidth(table.columns, rows, offset, Math.min(rows.length, offset + pageSize));
}

/**
 * Grid columns sized from what their panes hold: the left (groups) keeps its 55% unless it holds
 * less, and width the left cannot use goes to the right (hosts in the brokers pane at 200 columns).
 */
function gridWidths(panes: PaneView[], width: number): PaneView[] {
  const avail = width - 1;
  let leftWant = 0;
  let rightWant = 0;
  for (let i = 0; i < panes.length; i++) {
    const want = paneWant(panes[i]!);
    if (i % 2 === 0) leftWant = Math.max(leftWant, want);
    else rightWant = Math.max(rightWant, want);
  }
  let left = Math.floor(avail * 0.55);
  if (leftWant + rightWant <= avail) left = leftWant + Math.floor((avail - leftWant - rightWant) / 2);
  else if (leftWant < left) left = Math.max(leftWant, avail - rightWant);
  const sized: PaneView[] = [];
  for (let i = 0; i < panes.length; i++)
    sized.push({ ...panes[i]!, width: i % 2 === 0 ? left : avail - left });
  return sized;
}

/** Separates facts on a line (FactsLine draws them so). */
const FACT_GAP = 2;

/**
 * Fact lines flowed to the width: a fact that does not fit on its line starts the next one instead of
 * being cut (`leader imbalance: leads 28 not preferred, …`); only a fact wider than the screen is cut.
 */
export function flowFacts(facts: readonly Facts[], width: number): Facts[] {
  const lines: Facts[] = [];
  for (const line of facts) {
    let current: Facts[number][] = [];
    let used = 0;
    for (const fact of line) {
      if (fact.text === '') continue;
      const w = displayWidth(fact.text);
      if (current.length > 0 && used + FACT_GAP + w > width) {
        lines.push(current);
        current = [];
        used = 0;
      }
      used += (current.length > 0 ? FACT_GAP : 0) + w;
      current.push(fact);
    }
    if (current.length > 0) lines.push(current);
  }
  return lines;
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

export type { ChartView, Frame };
export { EMPTY_TABLE, frameLabel, sortableColumns };
