import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../../source/model/types.js';
import { UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { groupTable } from '../../../source/ui/panes/groups.js';
import { isrPane } from '../../../source/ui/panes/isr.js';
import { rebalancePane } from '../../../source/ui/panes/rebalances.js';
import { layoutColumns, visibleRows } from '../../../source/ui/view-models/table.js';
import { findGroup, groupPartitionTable } from '../../../source/ui/views/group.js';
import { partitionCharts } from '../../../source/ui/views/partition.js';
import { demoModel } from './fixtures.js';

let deploy: ClusterModel;
let failure: ClusterModel;
beforeAll(async () => {
  deploy = await demoModel('rolling-deploy', 40);
  failure = await demoModel('broker-failure', 30);
}, 60_000);

describe('view-models', () => {
  it('are memoized by model identity', () => {
    expect(groupTable(deploy.groups, G)).toBe(groupTable(deploy.groups, G));
    expect(isrPane(failure, G)).toBe(isrPane(failure, G));
  });

  it('group rows are worst first with stable ids', () => {
    const rows = groupTable(deploy.groups, G).rows;
    expect(rows.map((r) => r.id).sort()).toEqual(deploy.groups.map((g) => g.groupId).sort());
    const ranks = rows.map((r) => r.sort[0] as number);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('ISR rows show old → new ISR, newest first', () => {
    // Storms opened, so every shrink has its own row.
    const storms = isrPane(failure, G).table.rows.filter((r) => r.id.startsWith('storm:'));
    const pane = isrPane(failure, G, { hideInternal: false, openStorms: storms.map((r) => r.id) });
    const shrink = failure.events.find((e) => e.kind === 'isr-shrink');
    expect(shrink).toBeDefined();
    if (shrink?.kind !== 'isr-shrink') return;
    const row = pane.table.rows.find((r) => r.id === shrink.id)!;
    expect(row.cells[3]!.text).toBe(
      `[${[...shrink.isr, ...shrink.removed].join(',')}]→[${shrink.isr.join(',')}]`,
    );
    const times = pane.table.rows.map((r) => r.sort[0] as number);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(pane.topicOf.get(shrink.id)).toBe(shrink.topic);
  });

  it('rebalance rows aggregate partition moves per group and refresh, and count per group', () => {
    const pane = rebalancePane(deploy, G);
    const moves = deploy.events.filter((e) => e.kind === 'assignment-move');
    const moveRows = pane.table.rows.filter((r) => r.cells[2]!.text.startsWith('moved'));
    const total = moveRows.reduce((n, r) => n + Number(/moved (\d+)/.exec(r.cells[2]!.text)![1]), 0);
    expect(total).toBe(moves.length);
    expect(moveRows.length).toBeLessThan(moves.length);
    expect(pane.perGroup[0]).toMatchObject({ groupId: 'billing' });
    expect(pane.table.rows.some((r) => /^join \S+@\S+/.test(r.cells[2]!.text))).toBe(true);
  });

  it('partition charts derive the committed offset as log end − lag', () => {
    const g = findGroup(deploy, 'billing')!;
    const p = g.partitions[0]!;
    const t = deploy.topics
      .find((x) => x.name === p.topic)!
      .partitions.find((x) => x.partition === p.partition);
    const charts = partitionCharts(p, t);
    const i = charts.committed.length - 1;
    expect(charts.committed[i]).toBe(charts.logEnd[i]! - charts.lag[i]!);
    expect(charts.committed[i]).toBe(p.committedOffset);
  });

  it('filters case-insensitively and sorts by a column', () => {
    const table = groupPartitionTable(findGroup(deploy, 'billing')!, G);
    const filtered = visibleRows(table, 'PAYMENTS-1', null);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((r) => r.search.includes('payments-1'))).toBe(true);
    const byLag = visibleRows(table, '', { column: 4, reverse: false });
    const lags = byLag.map((r) => r.sort[4] as number);
    expect([...lags].sort((a, b) => a - b)).toEqual(lags);
  });

  it('drops low-priority columns on narrow widths and flexes the rest', () => {
    const table = groupTable(deploy.groups, G);
    const { columns, rows } = table;
    const wide = layoutColumns(columns, 200, rows);
    expect(wide.length).toBe(columns.length);
    expect(wide.reduce((n, c) => n + c.width, 0) + wide.length - 1).toBeLessThanOrEqual(200);
    const narrow = layoutColumns(columns, 56, rows);
    expect(narrow.reduce((n, c) => n + c.width, 0) + narrow.length - 1).toBeLessThanOrEqual(56);
    expect(narrow.map((c) => columns[c.index]!.title)).toContain('GROUP');
  });
});
