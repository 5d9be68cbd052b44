import { displayWidth } from '../sanitize.js';

/**
 * The shape every list view-model produces: columns and rows of already sanitized, formatted cells,
 * plus raw sort keys. One Table component renders all of them, windowed to the visible rows.
 */

export type Tone = 'crit' | 'warn' | 'ok' | 'muted' | 'accent';

export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
  /**
   * Columns the cell covers, itself included (default 1): it is drawn over the next ones shown, whose cells
   * it leaves empty, and asks its width of the flexible column it covers when its own is an identity column
   * (`MAX_SPAN` at most). An event storm's story spans PARTITION and ISR.
   */
  readonly span?: number;
}

export interface Column {
  readonly title: string;
  /**
   * The fewest cells the column is cut to. A column otherwise takes what its rows on screen hold:
   * identity columns (ids, partitions, client ids, hosts, times) are cut only when nothing else can give.
   */
  readonly width: number;
  readonly align?: 'left' | 'right';
  /** Names, reasons, sparklines: shrink first (down to `width`), and share the width the others leave. */
  readonly flex?: boolean;
  /** The most cells the column grows to (a sparkline's history). */
  readonly max?: number;
  /** Narrow terminals drop columns with the highest number first; 0 is never dropped. */
  readonly drop?: number;
  /**
   * A droppable column the grid makes room for beside the identity columns where it can (the groups' ETA
   * and MBR at 120 columns): counted in `TableWidths.essential`, still dropped before an identity is cut.
   */
  readonly keep?: boolean;
  /**
   * Where over-long text is cut: at the end (default), at the start keeping the end (sparklines: the
   * newest values), or in the middle keeping the tail (`topic-partition`: the partition number survives).
   */
  readonly cut?: 'end' | 'start' | 'middle';
  /** False when the column cannot be sorted on. */
  readonly sortable?: boolean;
}

export interface Row {
  /** Stable id: group id, `topic-partition`, broker id, event id. */
  readonly id: string;
  readonly cells: readonly Cell[];
  /** One sort key per column (number or string); lower sorts first. */
  readonly sort: readonly (number | string)[];
  /** Lower-cased text the filter matches against. */
  readonly search: string;
}

export interface TableModel {
  readonly columns: readonly Column[];
  /** Rows in the default order. */
  readonly rows: readonly Row[];
}

/**
 * How to make a row's parts from its subject. Each part is built on first use and kept: a list of
 * thousands of rows only formats the cells of the rows on screen, sort keys only when the user sorts
 * by a column, and search text only while a filter is typed.
 */
export interface RowParts<T, C> {
  cells(subject: T, context: C): readonly Cell[];
  sort(subject: T, context: C): readonly (number | string)[];
  search(subject: T, context: C): string;
}

class LazyRow<T, C> implements Row {
  #cells: readonly Cell[] | undefined;
  #sort: readonly (number | string)[] | undefined;
  #search: string | undefined;
  constructor(
    readonly id: string,
    private readonly subject: T,
    private readonly context: C,
    private readonly parts: RowParts<T, C>,
  ) {}
  get cells(): readonly Cell[] {
    if (this.#cells === undefined) this.#cells = this.parts.cells(this.subject, this.context);
    return this.#cells;
  }
  get sort(): readonly (number | string)[] {
    if (this.#sort === undefined) this.#sort = this.parts.sort(this.subject, this.context);
    return this.#sort;
  }
  get search(): string {
    if (this.#search === undefined) this.#search = this.parts.search(this.subject, this.context);
    return this.#search;
  }
}

/** A row whose cells, sort keys and search text are built when first read. */
export function lazyRow<T, C>(id: string, subject: T, context: C, parts: RowParts<T, C>): Row {
  return new LazyRow(id, subject, context, parts);
}

export const EMPTY_TABLE: TableModel = { columns: [], rows: [] };

export function sortableColumns(table: TableModel): number[] {
  return table.columns.flatMap((c, i) => (c.sortable === false ? [] : [i]));
}

/** Natural order: `payments-2` before `payments-10`, as partitions are numbered. */
const NATURAL = new Intl.Collator('en', { numeric: true });

/** Compares sort keys: numbers by value, text in natural order. */
export function compareKeys(x: number | string, y: number | string): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return NATURAL.compare(String(x), String(y));
}

const filterCache = new WeakMap<readonly Row[], Map<string, readonly Row[]>>();

/** Rows matching `filter` (case-insensitive substring of any cell), sorted as asked. Cached per rows array. */
export function visibleRows(
  table: TableModel,
  filter: string,
  sort: { column: number; reverse: boolean } | null,
): readonly Row[] {
  const cacheKey = `${filter}\u0000${sort ? `${sort.column}:${sort.reverse}` : ''}`;
  let perRows = filterCache.get(table.rows);
  if (!perRows) {
    perRows = new Map();
    filterCache.set(table.rows, perRows);
  }
  const cached = perRows.get(cacheKey);
  if (cached) return cached;
  const needle = filter.toLowerCase();
  let rows = needle === '' ? table.rows : table.rows.filter((r) => r.search.includes(needle));
  if (sort) {
    const { column, reverse } = sort;
    const direction = reverse ? -1 : 1;
    rows = [...rows].sort((a, b) => {
      const x = a.sort[column];
      const y = b.sort[column];
      if (x === y || x === undefined || y === undefined) return 0;
      return compareKeys(x, y) * direction;
    });
  }
  perRows.set(cacheKey, rows);
  return rows;
}

/** Columns a spanning cell may cover, its own included: how far `columnWant` looks back for one. */
const MAX_SPAN = 4;

/** What a spanning cell at column `from` asks beyond the titles of the columns it covers, `except` aside. */
function spanExcess(columns: readonly Column[], cell: Cell, from: number, except: number): number {
  let d = displayWidth(cell.text);
  for (let j = from; j < from + (cell.span ?? 1) && j < columns.length; j++)
    if (j !== except) d -= displayWidth(columns[j]!.title) + 1;
  return d;
}

/**
 * What column `i` holds in `rows[from..to)` (and its title), within its `max`; a flexible one at least its
 * `width`. A spanning cell (an event storm's story) asks its width of the flexible column it covers when its
 * own is an identity column: a story gives way like a name, and does not widen what identifies the rows.
 * Covered columns are counted by their titles: at most a few cells too many, which a flexible column gives
 * back when the width is short.
 */
function columnWant(
  columns: readonly Column[],
  i: number,
  rows: readonly Row[],
  from: number,
  to: number,
): number {
  const c = columns[i]!;
  let w = displayWidth(c.title);
  for (let r = from; r < to; r++) {
    const cells = rows[r]!.cells;
    const cell = cells[i];
    if (cell?.text && (c.flex || (cell.span ?? 1) === 1)) {
      const d = spanExcess(columns, cell, i, i);
      if (d > w) w = d;
    }
    if (!c.flex) continue;
    for (let j = i - 1; j >= 0 && j > i - MAX_SPAN; j--) {
      const over = cells[j];
      if (over?.text && (over.span ?? 1) > i - j && !columns[j]!.flex) {
        const d = spanExcess(columns, over, j, i);
        if (d > w) w = d;
      }
    }
  }
  if (c.max !== undefined && w > c.max) w = Math.max(c.max, c.width);
  return c.flex ? Math.max(w, c.width) : w;
}

/** What a table's rows on screen hold across, the cursor's two cells included. */
export interface TableWidths {
  /** Nothing cut or dropped. */
  readonly natural: number;
  /** Only the columns never dropped or kept where there is room, whole; flexible ones at their fewest cells. */
  readonly essential: number;
  /** Only the columns never dropped, each at its fewest cells. */
  readonly least: number;
}

/** The widths a table takes: everything whole, what is never dropped whole, and that cut to its fewest cells. */
export function tableWidths(
  columns: readonly Column[],
  rows: readonly Row[],
  from: number,
  to: number,
): TableWidths {
  let natural = 2 - 1;
  let essential = 2 - 1;
  let least = 2 - 1;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const want = columnWant(columns, i, rows, from, to);
    natural += want + 1;
    const dropped = (c.drop ?? 0) > 0;
    if (!dropped || c.keep) essential += (c.flex ? c.width : want) + 1;
    if (!dropped) least += Math.min(want, c.width) + 1;
  }
  return { natural, essential, least };
}

/** Gives `spare` cells evenly to the kept flexible columns (sparklines or not) below their want; returns the rest. */
function shareSpare(
  columns: readonly Column[],
  kept: readonly number[],
  size: number[],
  want: readonly number[],
  spare: number,
  sparklines: boolean,
): number {
  while (spare > 0) {
    let hungry = 0;
    for (const i of kept) {
      const c = columns[i]!;
      if (c.flex && (c.cut === 'start') === sparklines && size[i]! < want[i]!) hungry++;
    }
    if (hungry === 0) break;
    const share = Math.max(1, Math.floor(spare / hungry));
    for (const i of kept) {
      const c = columns[i]!;
      if (spare === 0) break;
      if (!c.flex || (c.cut === 'start') !== sparklines || size[i]! >= want[i]!) continue;
      const give = Math.min(share, want[i]! - size[i]!, spare);
      size[i] = size[i]! + give;
      spare -= give;
    }
  }
  return spare;
}

export interface ColumnLayout {
  readonly index: number;
  readonly width: number;
}

const NO_ROWS: readonly Row[] = [];

/**
 * Column widths for the available width, from what the rows on screen (`rows[from..to)`) hold: drops
 * columns by `drop` rank until the rest fit, cuts flexible columns before identity columns, and shares
 * what is left among the flexible ones up to what they hold. Width no column can use stays blank.
 *
 * `held`: the widths the same columns had last frame at the same width. A column keeps at least its
 * held width, so a figure moving between 9.9k and 10.1k does not shift every column right of it, and with
 * it every line of the table, on each refresh (the bytes a steady refresh writes).
 */
export function layoutColumns(
  columns: readonly Column[],
  width: number,
  rows: readonly Row[] = NO_ROWS,
  from = 0,
  to = rows.length,
  held?: readonly number[],
): ColumnLayout[] {
  // Loops, not closures made per frame (docs/performance.md, "Closures on hot paths").
  const n = columns.length;
  const want: number[] = new Array(n);
  const size: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = columns[i]!;
    want[i] = columnWant(columns, i, rows, from, to);
    if (held !== undefined && held[i]! > want[i]!) want[i] = held[i]!;
    size[i] = c.flex ? c.width : want[i]!;
  }
  const kept: number[] = [];
  let total = -1;
  for (let i = 0; i < n; i++) {
    kept.push(i);
    total += size[i]! + 1;
  }
  // Drop the column with the highest `drop` (the last of equals) until the rest fit.
  while (total > width) {
    let worst = -1;
    for (let k = 0; k < kept.length; k++) {
      const drop = columns[kept[k]!]!.drop ?? 0;
      if (drop > 0 && (worst < 0 || drop >= (columns[kept[worst]!]!.drop ?? 0))) worst = k;
    }
    if (worst < 0) break;
    total -= size[kept[worst]!]! + 1;
    kept.splice(worst, 1);
  }
  // Still too wide: cut identity columns, the one furthest above its minimum first.
  while (total > width) {
    let widest = -1;
    let over = 0;
    for (const i of kept) {
      const above = size[i]! - columns[i]!.width;
      if (!columns[i]!.flex && above > over) {
        widest = i;
        over = above;
      }
    }
    if (widest < 0) break;
    const cut = Math.min(over, total - width, Math.max(1, Math.ceil(over / 2)));
    size[widest] = size[widest]! - cut;
    total -= cut;
  }
  // Share the rest among the flexible columns, evenly, each up to what it holds: names and reasons
  // first, then sparklines (a shorter history still shows the trend; a cut name identifies nothing).
  let spare = width - total;
  spare = shareSpare(columns, kept, size, want, spare, false);
  shareSpare(columns, kept, size, want, spare, true);
  const layout: ColumnLayout[] = [];
  for (const index of kept) layout.push({ index, width: size[index]! });
  return layout;
}
