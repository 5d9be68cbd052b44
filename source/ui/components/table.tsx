import { Box, Text } from 'ink';
import { memo, type ReactNode, useRef } from 'react';
import { cell, displayWidth, truncate } from '../sanitize.js';
import { type Theme, toneColor, useTheme } from '../theme.js';
import { type Cell, type Column, layoutColumns, type Row, type TableModel } from '../view-models/table.js';

export interface TableProps {
  /** Columns and the default row order. */
  readonly table: TableModel;
  /** The rows to show (filtered and sorted), of which a window is drawn. */
  readonly rows: readonly Row[];
  readonly width: number;
  /** Lines available, including the header line. */
  readonly height: number;
  /** Index into `rows` of the selection, -1 for none. */
  readonly selected: number;
  /** First visible row. */
  readonly offset: number;
  /** Whether keys act on this table (the selection is drawn only then). */
  readonly focused: boolean;
  readonly sort: { column: number; reverse: boolean } | null;
  /** Shown instead of rows when there are none. */
  readonly empty?: string;
}

/**
 * Cut in the middle, keeping the tail from the last `-` on (a partition number) whole where it fits:
 * `inventory-updates-11` → `invent…ates-11`, never three identical `inventory-update…`.
 */
export function cutMiddle(text: string, width: number, ellipsis: string): string {
  const chars = [...text];
  if (chars.length <= width || width < 3 || displayWidth(text) !== chars.length) {
    return truncate(text, width, ellipsis);
  }
  const room = width - ellipsis.length;
  const dash = text.lastIndexOf('-');
  const suffix = dash < 0 ? 0 : chars.length - dash;
  const tail = Math.min(room - 1, Math.max(Math.floor(room / 2), suffix));
  return chars.slice(0, room - tail).join('') + ellipsis + chars.slice(chars.length - tail).join('');
}

function fitCell(c: Cell, width: number, col: Column, ellipsis: string): string {
  if (col.cut === 'start' && displayWidth(c.text) > width) {
    const chars = [...c.text];
    return chars.slice(Math.max(0, chars.length - width)).join('');
  }
  if (col.cut === 'middle' && displayWidth(c.text) > width) {
    return cell(cutMiddle(c.text, width, ellipsis), width, col.align ?? 'left', ellipsis);
  }
  return cell(c.text, width, col.align ?? 'left', ellipsis);
}

interface Segment {
  text: string;
  color: string | undefined;
}

/**
 * A row as runs of text of one colour: neighbouring cells of the same colour are one run, so Ink styles,
 * tokenizes and diffs fewer pieces per frame (most cells have no colour at all).
 */
function rowSegments(
  row: Row,
  table: TableModel,
  layout: readonly { index: number; width: number }[],
  isSelected: boolean,
  theme: Theme,
): Segment[] {
  const { glyphs } = theme;
  const segments: Segment[] = [{ text: isSelected ? `${glyphs.cursor} ` : '  ', color: undefined }];
  for (let j = 0; j < layout.length; j++) {
    const { index } = layout[j]!;
    let { width } = layout[j]!;
    const col = table.columns[index]!;
    const c = row.cells[index] ?? EMPTY_CELL;
    if (c.span !== undefined)
      while (j + 1 < layout.length && layout[j + 1]!.index < index + c.span) width += layout[++j]!.width + 1;
    // The separating space takes the cell's colour: on the selected (inverse) row it shows as background.
    const fitted = fitCell(c, width, col, glyphs.ellipsis);
    const text = j === 0 ? fitted : ` ${fitted}`;
    const color = toneColor(theme, c.tone);
    const last = segments[segments.length - 1]!;
    if (last.color === color) last.text += text;
    else segments.push({ text, color });
  }
  return segments;
}

const EMPTY_CELL: Cell = { text: '' };

/** What a table's columns took last frame, by column index (0: dropped), for `layoutColumns`' `held`. */
interface HeldWidths {
  readonly columns: readonly Column[];
  readonly width: number;
  readonly widths: readonly number[];
}

function heldWidths(
  columns: readonly Column[],
  width: number,
  layout: readonly { index: number; width: number }[],
): HeldWidths {
  const widths = new Array<number>(columns.length).fill(0);
  for (let j = 0; j < layout.length; j++) widths[layout[j]!.index] = layout[j]!.width;
  return { columns, width, widths };
}

// Loops and module-level functions, not closures made per frame (docs/performance.md, "Closures on hot
// paths"): a table redraws every refresh.

function headerLine(
  table: TableModel,
  layout: readonly { index: number; width: number }[],
  sort: TableProps['sort'],
  glyphs: Theme['glyphs'],
): string {
  let line = '  ';
  for (let j = 0; j < layout.length; j++) {
    const { index, width } = layout[j]!;
    const col = table.columns[index]!;
    const mark = sort && sort.column === index ? (sort.reverse ? glyphs.up : glyphs.down) : '';
    line += `${j === 0 ? '' : ' '}${cell(col.title + mark, width, col.align ?? 'left', glyphs.ellipsis)}`;
  }
  return line;
}

function segmentNodes(segments: readonly Segment[]): ReactNode[] {
  const nodes: ReactNode[] = [];
  for (let j = 0; j < segments.length; j++) {
    const seg = segments[j]!;
    nodes.push(
      seg.color === undefined ? (
        seg.text
      ) : (
        // Keyed by position: segments are positional within a row.
        <Text key={j} color={seg.color}>
          {seg.text}
        </Text>
      ),
    );
  }
  return nodes;
}

/** A windowed table: only the visible rows are turned into elements, each keyed by its stable id. */
export const Table = memo(function Table(props: TableProps) {
  const theme = useTheme();
  const { glyphs } = theme;
  const { table, rows, width, height, selected, offset, focused, sort } = props;
  // One cell for the selection cursor, so the selection reads without colour or inverse video.
  const pageSize = Math.max(0, height - 1);
  // Sized from the rows on screen only: a list of thousands measures a page.
  const last = useRef<HeldWidths | null>(null);
  const held = last.current;
  const layout = layoutColumns(
    table.columns,
    width - 2,
    rows,
    offset,
    Math.min(rows.length, offset + pageSize),
    held !== null && held.columns === table.columns && held.width === width ? held.widths : undefined,
  );
  last.current = heldWidths(table.columns, width, layout);
  const lines: ReactNode[] = [];
  for (let i = offset; i < Math.min(rows.length, offset + pageSize); i++) {
    const row = rows[i]!;
    const isSelected = focused && i === selected;
    lines.push(
      <Text key={row.id} wrap="truncate" inverse={isSelected}>
        {segmentNodes(rowSegments(row, table, layout, isSelected, theme))}
      </Text>,
    );
  }
  if (rows.length === 0) {
    // No column titles over nothing: an empty pane keeps one line (screen.ts gives it no more).
    return (
      <Box flexDirection="column" width={width} height={height} overflowY="hidden">
        <Text wrap="truncate" color={toneColor(theme, 'muted')}>
          {`  ${truncate(props.empty ?? 'nothing to show', width - 2, glyphs.ellipsis)}`}
        </Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate">
        {headerLine(table, layout, sort, glyphs)}
      </Text>
      {lines}
    </Box>
  );
});
