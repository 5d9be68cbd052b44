/**
 * The shape every list view-model produces: columns and rows of already sanitized, formatted cells,
 * plus raw sort keys. One Table component renders all of them, windowed to the visible rows.
 */

export type Tone = 'crit' | 'warn' | 'ok' | 'muted' | 'accent';

export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

export interface Column {
  readonly title: string;
  /** Width in cells (the minimum for the flexible column). */
  readonly width: number;
  readonly align?: 'left' | 'right';
  /** Takes the width left over; at most one per table. */
  readonly flex?: boolean;
  /** Narrow terminals drop columns with the highest number first; 0 is never dropped. */
  readonly drop?: number;
  /** Keep the end of over-long text (sparklines: the newest values) instead of the start. */
  readonly keepEnd?: boolean;
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
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * direction;
      return String(x).localeCompare(String(y)) * direction;
    });
  }
  perRows.set(cacheKey, rows);
  return rows;
}

/** Column widths for the available width: drops columns by `drop` rank until they fit, then flexes. */
export function layoutColumns(columns: readonly Column[], width: number): { index: number; width: number }[] {
  // Loops, not closures made per frame (docs/performance.md, "Closures on hot paths").
  const kept: number[] = [];
  let total = -1;
  for (let i = 0; i < columns.length; i++) {
    kept.push(i);
    total += columns[i]!.width + 1;
  }
  // Drop the column with the highest `drop` (the last of equals) until the rest fit.
  while (total > width) {
    let worst = -1;
    for (let k = 0; k < kept.length; k++) {
      const drop = columns[kept[k]!]!.drop ?? 0;
      if (drop > 0 && (worst < 0 || drop >= (columns[kept[worst]!]!.drop ?? 0))) worst = k;
    }
    if (worst < 0) break;
    total -= columns[kept[worst]!]!.width + 1;
    kept.splice(worst, 1);
  }
  const spare = Math.max(0, width - Math.max(0, total));
  const layout: { index: number; width: number }[] = [];
  for (const index of kept) {
    const column = columns[index]!;
    layout.push({ index, width: column.width + (column.flex ? spare : 0) });
  }
  return layout;
}
