/**
 * How the screen's space is shared, from what is to be shown: pane heights from their rows (an empty
 * pane keeps its title and one line), grid columns from what their panes hold, fact lines flowed to
 * the width. Pure; screen.ts calls these for every frame built.
 */

import type { NavState } from './navigation.js';
import { PANE_IDS, PANES, type PaneId } from './panes/index.js';
import { displayWidth } from './sanitize.js';
import type { PaneView } from './screen.js';
import { type TableWidths, tableWidths } from './view-models/table.js';
import type { Facts } from './views/index.js';

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
 * Stacked: empty panes keep their title and one line, the others a few rows each; then the other panes
 * their urgent rows (`PaneContent.urgent`: a broker down, ISR events of the last minutes), leaving the
 * focused pane a third of the screen; then the focused pane the rest, up to its rows; what it cannot use
 * goes to the others.
 */
function stackedHeights(
  needs: readonly number[],
  urgent: readonly number[],
  focus: number,
  body: number,
): number[] {
  const small = Math.min(6, Math.max(3, Math.floor(body / 6)));
  const heights: number[] = [];
  let spare = body;
  for (const need of needs) {
    heights.push(Math.min(need, small));
    spare -= heights[heights.length - 1]!;
  }
  // The focused pane keeps a third of the screen (what it can fill of it) before the others' urgent rows.
  const keep = Math.max(0, Math.min(needs[focus]!, Math.floor(body / 3)) - heights[focus]!);
  const urgentNeeds = needs.map((need, i) => (i === focus ? 0 : Math.min(need, paneNeed(urgent[i]!))));
  spare = keep + shareUpToNeed(heights, urgentNeeds, Math.max(0, spare - keep));
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
export function paneSizes(
  nav: NavState,
  grid: boolean,
  width: number,
  body: number,
  rowCounts: readonly number[],
  urgent: readonly number[] = rowCounts.map(() => 0),
) {
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
    const heights = stackedHeights(needs, urgent, Math.max(0, PANE_IDS.indexOf(nav.focus)), body);
    for (let i = 0; i < PANES.length; i++) sizes.set(PANES[i]!.id, { width, height: heights[i]! });
  }
  return sizes;
}

/** What a pane's rows on screen hold, across. */
function paneWidths(pane: PaneView): TableWidths {
  const { table, rows, offset, pageSize } = pane.list;
  return tableWidths(table.columns, rows, offset, Math.min(rows.length, offset + pageSize));
}

/**
 * The left pane's width in a grid row, from what the two panes hold. Both whole when they fit (the spare
 * shared evenly); else each keeps whole the columns it never drops and those it keeps where there is room
 * (the groups' ETA and MBR), the spare going to the one that has more of the others to show; else the left (groups, ISR events) keeps its own whole while the right can
 * keep its own at their fewest cells, and the right's identity columns are cut (hosts at 120 columns).
 */
function leftWidth(left: TableWidths, right: TableWidths | null, avail: number): number {
  if (right === null) return avail;
  if (left.natural + right.natural <= avail) {
    return left.natural + Math.floor((avail - left.natural - right.natural) / 2);
  }
  if (left.essential + right.essential <= avail) {
    const spare = avail - left.essential - right.essential;
    const moreLeft = left.natural - left.essential;
    const moreRight = right.natural - right.essential;
    return left.essential + Math.floor((spare * moreLeft) / Math.max(1, moreLeft + moreRight));
  }
  return Math.max(Math.min(left.essential, avail - right.least), Math.min(left.least, avail));
}

/**
 * Grid columns sized from what their panes hold, row by row: the ISR events and rebalances below need
 * other widths than the groups and brokers above.
 */
export function gridWidths(panes: PaneView[], width: number): PaneView[] {
  const avail = width - 1;
  const sized: PaneView[] = [];
  for (let i = 0; i < panes.length; i += 2) {
    const right = i + 1 < panes.length ? panes[i + 1]! : null;
    const left = leftWidth(paneWidths(panes[i]!), right && paneWidths(right), avail);
    sized.push({ ...panes[i]!, width: left });
    if (right) sized.push({ ...right, width: avail - left });
  }
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
