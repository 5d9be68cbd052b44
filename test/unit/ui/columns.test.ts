import { describe, expect, it } from 'vitest';
import { cutMiddle } from '../../../source/ui/components/table.js';
import { formatExact } from '../../../source/ui/format.js';
import {
  type Column,
  layoutColumns,
  type Row,
  tableWidths,
  visibleRows,
} from '../../../source/ui/view-models/table.js';

function row(id: string, ...texts: string[]): Row {
  return { id, cells: texts.map((text) => ({ text })), sort: texts, search: texts.join(' ') };
}

const widths = (columns: readonly Column[], layout: { index: number; width: number }[]) =>
  Object.fromEntries(layout.map((l) => [columns[l.index]!.title, l.width]));

describe('column widths from what the rows on screen hold', () => {
  const columns: Column[] = [
    { title: 'TIME', width: 8 },
    { title: 'GROUP', width: 6, flex: true },
    { title: 'HOST', width: 6 },
    { title: 'HISTORY', width: 4, max: 12, flex: true, cut: 'start' },
  ];
  const rows = [
    row('a', '08:30:00', 'a-rather-long-consumer-group-name', '/10.0.3.17:9092', '▁▂▃▄▅▆▇█▁▂▃▄▅▆▇█'),
    row('b', '08:30:02', 'short', '/10.0.3.9:9092', '▁▂'),
  ];

  it('keeps identity columns whole and cuts the flexible ones first', () => {
    // 8 + 15 + 3 separators leave 38 - 26 = 12: GROUP's 6 and HISTORY's 4, and the 2 left to the name
    // before the sparkline.
    expect(widths(columns, layoutColumns(columns, 38, rows))).toEqual({
      TIME: 8,
      GROUP: 8,
      HOST: 15,
      HISTORY: 4,
    });
    // Two fewer: the flexible columns are at their minimum, and only then is HOST cut.
    expect(widths(columns, layoutColumns(columns, 34, rows))).toEqual({
      TIME: 8,
      GROUP: 6,
      HOST: 13,
      HISTORY: 4,
    });
  });

  it('gives flexible columns no more than they hold, and a sparkline no more than its max', () => {
    const layout = widths(columns, layoutColumns(columns, 200, rows));
    expect(layout).toEqual({ TIME: 8, GROUP: 33, HOST: 15, HISTORY: 12 });
  });

  it('measures only the rows on screen', () => {
    const layout = widths(columns, layoutColumns(columns, 200, rows, 1, 2));
    expect(layout).toEqual({ TIME: 8, GROUP: 6, HOST: 14, HISTORY: 7 });
  });

  it('drops by rank before it cuts an identity column, and cuts one only when nothing else gives', () => {
    const ranked: Column[] = [...columns.slice(0, 3), { ...columns[3]!, drop: 1 }];
    expect(widths(ranked, layoutColumns(ranked, 31, rows))).toEqual({ TIME: 8, GROUP: 6, HOST: 15 });
    expect(widths(ranked, layoutColumns(ranked, 26, rows))).toEqual({ TIME: 8, GROUP: 6, HOST: 10 });
  });
});

describe('column widths held across refreshes', () => {
  const columns: Column[] = [
    { title: 'GROUP', width: 6, flex: true },
    { title: 'LAG', width: 3, align: 'right' },
    { title: 'HOST', width: 6 },
  ];
  it('keeps a column as wide as it was while the same columns have the same width, so the table does not shift', () => {
    const wide = [row('a', 'orders', '10.1k', '/10.0.3.17')];
    const narrow = [row('a', 'orders', '9.9k', '/10.0.3.17')];
    const first = layoutColumns(columns, 40, wide);
    expect(widths(columns, first)).toMatchObject({ LAG: 5 });
    // Without what it held, LAG shrinks to 4 and HOST moves one cell left on this refresh.
    expect(widths(columns, layoutColumns(columns, 40, narrow))).toMatchObject({ LAG: 4 });
    const held = [0, 0, 0];
    for (const l of first) held[l.index] = l.width;
    expect(widths(columns, layoutColumns(columns, 40, narrow, 0, 1, held))).toEqual(widths(columns, first));
  });
});

describe('partitions', () => {
  it('sort in natural order: -2 before -10', () => {
    const rows = ['payments-10', 'payments-1', 'payments-2', 'payments-0'].map((p) => row(p, p));
    const table = { columns: [{ title: 'PARTITION', width: 10 }], rows };
    const sorted = visibleRows(table, '', { column: 0, reverse: false }).map((r) => r.id);
    expect(sorted).toEqual(['payments-0', 'payments-1', 'payments-2', 'payments-10']);
  });

  it('are cut in the middle, keeping the partition number', () => {
    const cut = ['inventory-updates-0', 'inventory-updates-1', 'inventory-updates-11'].map((t) =>
      cutMiddle(t, 14, '…'),
    );
    expect(cut).toEqual(['invento…ates-0', 'invento…ates-1', 'invento…tes-11']);
    expect(cutMiddle('short-1', 14, '…')).toBe('short-1');
  });

  it('show exact offsets with thousands separators', () => {
    expect(formatExact(100_000_000)).toBe('100,000,000');
    expect(formatExact(999)).toBe('999');
    expect(formatExact(1000)).toBe('1,000');
    expect(formatExact(-12_345)).toBe('-12,345');
    expect(formatExact(null)).toBe('–');
  });
});

describe('a story spanning an identity column and a flexible one', () => {
  // The ISR pane: PARTITION identifies the row, ISR (the change) gives way; a storm's story spans both.
  const columns: Column[] = [
    { title: 'TIME', width: 8 },
    { title: 'PARTITION', width: 9 },
    { title: 'ISR', width: 5, flex: true, drop: 1 },
    { title: 'BRKR', width: 4 },
  ];
  const story = '▸ left ISR: clickstream 18, orders 9, payments 9';
  const rows: Row[] = [
    row('a', '08:30:40', 'user-profiles-2', '[1,2]→[1]', '2'),
    {
      id: 'storm',
      cells: [{ text: '08:30:30' }, { text: story, span: 2 }, { text: '' }, { text: '4' }],
      sort: [],
      search: '',
    },
  ];

  it('does not widen what identifies the rows: the flexible column it covers asks its width', () => {
    const wide = widths(columns, layoutColumns(columns, 200, rows));
    expect(wide.PARTITION).toBe('user-profiles-2'.length);
    // The story over PARTITION and ISR: ISR asks what PARTITION's title leaves of it.
    expect(wide.ISR).toBe(story.length - 'PARTITION'.length - 1);
  });

  it('gives way first: PARTITION stays whole and the ISR column is not dropped for the story', () => {
    // 8 + 15 + 9 (the change) + 4 + 3 separators.
    expect(widths(columns, layoutColumns(columns, 39, rows))).toEqual({
      TIME: 8,
      PARTITION: 15,
      ISR: 9,
      BRKR: 4,
    });
  });

  it('measures the table whole, with only what is never dropped, and that cut to its fewest cells', () => {
    expect(tableWidths(columns, rows, 0, rows.length)).toEqual({
      natural: 2 + 8 + 1 + 15 + 1 + (story.length - 'PARTITION'.length - 1) + 1 + 4,
      essential: 2 + 8 + 1 + 15 + 1 + 4,
      least: 2 + 8 + 1 + 9 + 1 + 4,
    });
  });
});
