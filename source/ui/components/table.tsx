import { Box, Text } from 'ink';
import { memo } from 'react';
import { cell, displayWidth, truncate } from '../sanitize.js';
import { type Theme, toneColor, useTheme } from '../theme.js';
import { type Cell, layoutColumns, type Row, type TableModel } from '../view-models/table.js';

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

function fitCell(
  c: Cell,
  width: number,
  align: 'left' | 'right',
  keepEnd: boolean,
  ellipsis: string,
): string {
  if (keepEnd && displayWidth(c.text) > width) {
    const chars = [...c.text];
    return chars.slice(Math.max(0, chars.length - width)).join('');
  }
  return cell(c.text, width, align, ellipsis);
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
    const { index, width } = layout[j]!;
    const col = table.columns[index]!;
    const c = row.cells[index] ?? EMPTY_CELL;
    // The separating space takes the cell's colour: on the selected (inverse) row it shows as background.
    const fitted = fitCell(c, width, col.align ?? 'left', col.keepEnd ?? false, glyphs.ellipsis);
    const text = j === 0 ? fitted : ` ${fitted}`;
    const color = toneColor(theme, c.tone);
    const last = segments[segments.length - 1]!;
    if (last.color === color) last.text += text;
    else segments.push({ text, color });
  }
  return segments;
}

const EMPTY_CELL: Cell = { text: '' };

/** A windowed table: only the visible rows are turned into elements, each keyed by its stable id. */
export const Table = memo(function Table(props: TableProps) {
  const theme = useTheme();
  const { glyphs } = theme;
  const { table, rows, width, height, selected, offset, focused, sort } = props;
  // One cell for the selection cursor, so the selection reads without colour or inverse video.
  const layout = layoutColumns(table.columns, width - 2);
  const header = layout
    .map(({ index, width: w }) => {
      const col = table.columns[index]!;
      const mark = sort && sort.column === index ? (sort.reverse ? glyphs.up : glyphs.down) : '';
      return cell(col.title + mark, w, col.align ?? 'left', glyphs.ellipsis);
    })
    .join(' ');
  const pageSize = Math.max(0, height - 1);
  const visible = rows.slice(offset, offset + pageSize);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate">
        {`  ${header}`}
      </Text>
      {rows.length === 0 ? (
        <Text wrap="truncate" color={toneColor(theme, 'muted')}>
          {`  ${truncate(props.empty ?? 'nothing to show', width - 2, glyphs.ellipsis)}`}
        </Text>
      ) : null}
      {visible.map((row, i) => {
        const isSelected = focused && offset + i === selected;
        return (
          <Text key={row.id} wrap="truncate" inverse={isSelected}>
            {rowSegments(row, table, layout, isSelected, theme).map((seg, j) =>
              seg.color === undefined ? (
                seg.text
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional within a row
                <Text key={j} color={seg.color}>
                  {seg.text}
                </Text>
              ),
            )}
          </Text>
        );
      })}
    </Box>
  );
});
