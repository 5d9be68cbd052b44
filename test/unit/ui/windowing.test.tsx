/**
 * Windowed lists: with hundreds of groups only the rows on screen are formatted, while counts, the
 * filter, sorting and selection still cover every group.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import type { ClusterModel, GroupState } from '../../../source/model/types.js';
import { UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { groupTable } from '../../../source/ui/panes/groups.js';
import { visibleRows } from '../../../source/ui/view-models/table.js';
import { demoModel } from './fixtures.js';
import { KEYS, plain, type Rendered, renderApp } from './render.js';

const COUNT = 500;

let base: ClusterModel;
beforeAll(async () => {
  base = await demoModel('rolling-deploy', 40);
});

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

/**
 * `COUNT` groups copied from the demo's, each counting how often its lag history is read: only a
 * row's cells (the sparkline) read it, so the count is how many rows were formatted.
 */
function manyGroups(): { model: ClusterModel; formatted: Set<string> } {
  const formatted = new Set<string>();
  const groups: GroupState[] = Array.from({ length: COUNT }, (_, i) => {
    const source = base.groups[i % base.groups.length]!;
    const groupId = `g-${String(i).padStart(3, '0')}`;
    // Lag grows with the index, so the default order (worst first) is known: g-499 first.
    const copy: GroupState = {
      ...source,
      groupId,
      status: 'OK',
      error: null,
      timeLagMs: 1000 + i,
      totalLag: i,
      worstFirst: COUNT - 1 - i,
    };
    return new Proxy(copy, {
      get(target, property, receiver) {
        if (property === 'lagHistory') formatted.add(groupId);
        return Reflect.get(target, property, receiver);
      },
    });
  });
  return { model: { ...base, groups }, formatted };
}

const lines = (frame: string) => plain(frame).split('\n');
const selected = (frame: string) => lines(frame).find((l) => /^▶ [✖▲●]/.test(l));
const position = (frame: string) => /Group lag (\d+)-(\d+)\/(\d+)/.exec(plain(frame))?.slice(1).map(Number);

describe('windowed group list', () => {
  it('builds rows lazily: sorting and filtering see every group, cells only the rows read', () => {
    const { model, formatted } = manyGroups();
    const table = groupTable(model.groups, G);
    expect(table.rows.length).toBe(COUNT);
    expect(table.rows[0]!.id).toBe('g-499');
    expect(table.rows[COUNT - 1]!.id).toBe('g-000');
    const found = visibleRows(table, 'G-007', null);
    expect(found.map((r) => r.id)).toEqual(['g-007']);
    const byName = visibleRows(table, '', { column: 1, reverse: false });
    expect(byName[0]!.id).toBe('g-000');
    expect(formatted.size).toBe(0);
    expect(found[0]!.cells[1]!.text).toBe('g-007');
    expect([...formatted]).toEqual(['g-007']);
  });

  it('formats only the visible rows, shows the full count, and scrolls with the selection', async () => {
    const { model, formatted } = manyGroups();
    rendered = await renderApp({ columns: 120, rows: 40 });
    const r = rendered;
    r.store.setModel(model);
    let frame = await r.waitFor((f) => f.includes(`${COUNT} groups, worst first`));
    const [from, to, total] = position(frame)!;
    const pageSize = to! - from! + 1;
    expect([from, total]).toEqual([1, COUNT]);
    expect(pageSize).toBeGreaterThan(5);
    expect(formatted.size).toBeLessThanOrEqual(pageSize);
    expect(selected(frame)).toContain('g-499');

    // Moving past the last visible row scrolls the window by one.
    frame = await r.press(...Array.from({ length: pageSize }, () => 'j'));
    expect(position(frame)).toEqual([2, pageSize + 1, COUNT]);
    expect(selected(frame)).toContain(`g-${499 - pageSize}`);
    frame = await r.press(KEYS.pageDown);
    expect(position(frame)).toEqual([pageSize + 2, 2 * pageSize + 1, COUNT]);
    frame = await r.press('G');
    expect(position(frame)).toEqual([COUNT - pageSize + 1, COUNT, COUNT]);
    expect(selected(frame)).toContain('g-000');
    frame = await r.press('g');
    expect(position(frame)).toEqual([1, pageSize, COUNT]);
    // Every row shown was formatted once per model, never the whole list.
    expect(formatted.size).toBeLessThan(5 * pageSize);

    // The filter searches all groups, including ones never drawn.
    frame = await r.press('/', 'g', '-', '2', '5', '0', KEYS.enter);
    expect(selected(frame)).toContain('g-250');
    expect(lines(frame).filter((l) => /^[▶ ] [✖▲●] /.test(l) && l.slice(0, 64).includes('g-')).length).toBe(
      1,
    );
  });

  it('keeps the selection on the same group when a refresh re-sorts the list', async () => {
    const { model } = manyGroups();
    rendered = await renderApp({ columns: 120, rows: 40 });
    const r = rendered;
    r.store.setModel(model);
    await r.waitFor((f) => f.includes(`${COUNT} groups`));
    const frame = await r.press('j', 'j', 'j');
    expect(selected(frame)).toContain('g-496');
    // g-496 becomes the worst group: it moves to the top and stays selected, the window follows.
    const groups = model.groups.map((g) =>
      g.groupId === 'g-496' ? { ...g, totalLag: 10_000, timeLagMs: 99_999 } : g,
    );
    r.store.setModel({ ...model, groups });
    const next = await r.waitFor((f) => selected(f)?.includes('10k') ?? false);
    expect(selected(next)).toContain('g-496');
    expect(position(next)?.[0]).toBe(1);
  });
});
