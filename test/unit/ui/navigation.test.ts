import { describe, expect, it } from 'vitest';
import {
  currentFrame,
  INITIAL_NAV,
  type NavAction,
  type NavState,
  navReducer,
  windowOffset,
} from '../../../source/ui/navigation.js';

const run = (actions: NavAction[], from: NavState = INITIAL_NAV) => actions.reduce(navReducer, from);
const list = (ids: string[], pageSize = 3) => ({ ids, pageSize });
const groupsList = (s: NavState) => s.lists['overview:groups']!;

describe('navigation reducer', () => {
  it('keeps the selection on the same id when rows are re-ordered', () => {
    const s = run([{ type: 'move', by: 1, list: list(['a', 'b', 'c']) }]);
    expect(groupsList(s).selectedId).toBe('b');
    // A refresh re-sorts: b is now first; moving down goes to the row after b.
    const t = navReducer(s, { type: 'move', by: 1, list: list(['b', 'c', 'a']) });
    expect(groupsList(t).selectedId).toBe('c');
  });

  it('falls back to the old index when the selected row disappears, clamped', () => {
    const s = run([{ type: 'moveTo', to: 'bottom', list: list(['a', 'b', 'c']) }]);
    const t = navReducer(s, { type: 'move', by: 0, list: list(['a', 'b']) });
    expect(groupsList(t).selectedId).toBe('b');
  });

  it('scrolls the window just enough to keep the selection visible', () => {
    expect(windowOffset(0, 5, 3, 10)).toBe(3);
    expect(windowOffset(3, 4, 3, 10)).toBe(3);
    expect(windowOffset(3, 1, 3, 10)).toBe(1);
    expect(windowOffset(8, 9, 3, 10)).toBe(7);
    expect(windowOffset(5, 0, 3, 2)).toBe(0);
    const s = run([{ type: 'move', by: 7, list: list(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 3) }]);
    expect(groupsList(s)).toMatchObject({ selectedId: 'h', offset: 5 });
  });

  it('esc peels one layer at a time: help, filter, expand, then the view', () => {
    let s = run([
      { type: 'push', frame: { kind: 'group', groupId: 'billing' } },
      { type: 'startFilter' },
      { type: 'filterInput', text: 'pay' },
      { type: 'toggleHelp' },
    ]);
    expect(s.help).toBe(true);
    s = navReducer(s, { type: 'back' });
    expect(s.help).toBe(false);
    expect(s.lists['group:billing']!.filter).toBe('pay');
    s = navReducer(s, { type: 'back' });
    expect(s.lists['group:billing']!.filter).toBe('');
    expect(currentFrame(s).kind).toBe('group');
    s = navReducer(s, { type: 'back' });
    expect(currentFrame(s).kind).toBe('overview');
    expect(navReducer(s, { type: 'back' })).toBe(s);
  });

  it('open goes back to a frame already on the stack instead of stacking it again', () => {
    const s = run([
      { type: 'push', frame: { kind: 'broker', brokerId: 1 } },
      { type: 'open', frame: { kind: 'topics' } },
      { type: 'push', frame: { kind: 'topic', topic: 'orders' } },
      { type: 'open', frame: { kind: 'topics' } },
    ]);
    expect(s.stack).toEqual([{ kind: 'overview' }, { kind: 'broker', brokerId: 1 }, { kind: 'topics' }]);
    // A frame with another subject is another place: it is pushed.
    const t = navReducer(s, { type: 'open', frame: { kind: 'broker', brokerId: 2 } });
    expect(t.stack.map((f) => f.kind)).toEqual(['overview', 'broker', 'topics', 'broker']);
  });

  it('keeps a filter and a selection per list', () => {
    const s = run([
      { type: 'startFilter' },
      { type: 'filterInput', text: 'bil' },
      { type: 'filterDone' },
      { type: 'focus', pane: 'brokers' },
      { type: 'move', by: 1, list: list(['1', '2']) },
    ]);
    expect(s.lists['overview:groups']!.filter).toBe('bil');
    expect(s.lists['overview:brokers']).toMatchObject({ filter: '', selectedId: '2' });
    expect(s.editingFilter).toBe(false);
  });

  it('cycles sort columns through the default order and reverses', () => {
    const cols = [0, 2, 3];
    const s1 = run([{ type: 'sortNext', columns: cols }]);
    expect(groupsList(s1).sort).toEqual({ column: 0, reverse: false });
    const s2 = run([
      { type: 'sortNext', columns: cols },
      { type: 'sortNext', columns: cols },
      { type: 'sortReverse', columns: cols },
    ]);
    expect(groupsList(s2).sort).toEqual({ column: 2, reverse: true });
    const s3 = run([1, 2, 3, 4].map(() => ({ type: 'sortNext' as const, columns: cols })));
    expect(groupsList(s3).sort).toBeNull();
  });

  it('freezes on a model and thaws', () => {
    const model = { foldCount: 7 } as never;
    const s = navReducer(INITIAL_NAV, { type: 'toggleFreeze', model });
    expect(s.frozen).toBe(model);
    expect(navReducer(s, { type: 'toggleFreeze', model: null }).frozen).toBeNull();
  });

  it('focus cycles over the four panes both ways', () => {
    expect(run([{ type: 'focusNext' }]).focus).toBe('brokers');
    expect(run([{ type: 'focusPrev' }]).focus).toBe('rebalances');
    expect(run([1, 2, 3, 4].map(() => ({ type: 'focusNext' as const }))).focus).toBe('groups');
  });
});
