/**
 * Navigation state as a pure reducer: where the user is (a stack of views), which overview pane has
 * focus, per-list selection, scroll, filter and sort, help, freeze and expand. Components translate
 * keys into these actions and render; everything here is testable without rendering.
 *
 * Selection is kept by stable row id (group id, `topic-partition`, event id), so a refresh that
 * re-sorts or inserts rows keeps the same row selected; the index is only a fallback for when the
 * selected row disappears.
 */

import type { ClusterModel } from '../model/types.js';
import type { ViewKind } from './keymap.js';
import { PANE_IDS, type PaneId } from './panes/index.js';
import type { Frame } from './views/index.js';

export type { Frame, PaneId };

export interface SortState {
  readonly column: number;
  readonly reverse: boolean;
}

export interface ListState {
  readonly selectedId: string | null;
  readonly selectedIndex: number;
  /** First visible row. */
  readonly offset: number;
  readonly filter: string;
  /** null: the view's default order (worst first for groups, newest first for events). */
  readonly sort: SortState | null;
}

export const EMPTY_LIST: ListState = {
  selectedId: null,
  selectedIndex: 0,
  offset: 0,
  filter: '',
  sort: null,
};

export interface NavState {
  readonly stack: readonly Frame[];
  readonly focus: PaneId;
  readonly expanded: boolean;
  readonly help: boolean;
  /** The model shown while frozen; null when following live data. */
  readonly frozen: ClusterModel | null;
  /** True while typing into the focused list's filter. */
  readonly editingFilter: boolean;
  readonly lists: Readonly<Record<string, ListState>>;
  /** Internal topics (`__consumer_offsets`, …) left out of every list. */
  readonly hideInternal: boolean;
  /** Ids of the event storms opened into their partitions. */
  readonly openStorms: readonly string[];
}

export const INITIAL_NAV: NavState = {
  stack: [{ kind: 'overview' }],
  focus: 'groups',
  expanded: false,
  help: false,
  frozen: null,
  editingFilter: false,
  lists: {},
  hideInternal: false,
  openStorms: [],
};

/** The rows the focused list currently shows, in display order: movement needs them. */
export interface ListContext {
  readonly ids: readonly string[];
  /** Visible data rows. */
  readonly pageSize: number;
}

export type NavAction =
  | { type: 'focus'; pane: PaneId }
  | { type: 'focusNext' }
  | { type: 'focusPrev' }
  | { type: 'move'; by: number; list: ListContext }
  | { type: 'moveTo'; to: 'top' | 'bottom'; list: ListContext }
  | { type: 'push'; frame: Frame }
  /** Go to `frame`: back to it when it is already on the stack (no `topics › … › topics`), else push it. */
  | { type: 'open'; frame: Frame }
  | { type: 'back' }
  | { type: 'toggleHelp' }
  | { type: 'toggleExpand' }
  | { type: 'toggleFreeze'; model: ClusterModel | null }
  | { type: 'toggleInternal' }
  | { type: 'toggleStorm'; id: string }
  | { type: 'startFilter' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterDone' }
  | { type: 'filterClear' }
  | { type: 'sortNext'; columns: readonly number[] }
  | { type: 'sortReverse'; columns: readonly number[] };

export function currentFrame(state: NavState): Frame {
  return state.stack[state.stack.length - 1]!;
}

export function viewKind(state: NavState): ViewKind {
  return currentFrame(state).kind;
}

/** The key of the list that keys act on: the focused pane on the overview, else the view's own list. */
export function focusedListKey(state: NavState): string {
  const frame = currentFrame(state);
  switch (frame.kind) {
    case 'overview':
      return `overview:${state.focus}`;
    case 'group':
      return `group:${frame.groupId}`;
    case 'partition':
      return `partition:${frame.groupId}:${frame.topic}:${frame.partition}`;
    case 'broker':
      return `broker:${frame.brokerId}`;
    case 'topic':
      return `topic:${frame.topic}`;
    case 'topicPartition':
      return `topicPartition:${frame.topic}:${frame.partition}`;
    case 'topics':
      return 'topics';
    case 'quorum':
      return 'quorum';
  }
}

/** Frames are small plain records: the same kind with the same subject is the same place. */
function sameFrame(a: Frame, b: Frame): boolean {
  if (a.kind !== b.kind) return false;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const key of Object.keys(x)) if (x[key] !== y[key]) return false;
  return true;
}

export function listState(state: NavState, key: string): ListState {
  return state.lists[key] ?? EMPTY_LIST;
}

/** Index of the selected row in `ids`: by id when it is still there, else the last index, clamped. */
export function selectedIndex(list: ListState, ids: readonly string[]): number {
  if (ids.length === 0) return -1;
  if (list.selectedId !== null) {
    const at = ids.indexOf(list.selectedId);
    if (at >= 0) return at;
  }
  return Math.min(Math.max(0, list.selectedIndex), ids.length - 1);
}

/** The first visible row so that `selected` is visible, moving the window as little as possible. */
export function windowOffset(offset: number, selected: number, pageSize: number, count: number): number {
  if (pageSize <= 0 || count <= pageSize) return 0;
  let start = Math.min(Math.max(0, offset), count - pageSize);
  if (selected >= 0 && selected < start) start = selected;
  if (selected >= start + pageSize) start = selected - pageSize + 1;
  return start;
}

function updateList(state: NavState, key: string, change: (list: ListState) => ListState): NavState {
  const before = listState(state, key);
  const after = change(before);
  if (after === before) return state;
  return { ...state, lists: { ...state.lists, [key]: after } };
}

function select(list: ListState, ctx: ListContext, index: number): ListState {
  if (ctx.ids.length === 0) return list;
  const clamped = Math.min(Math.max(0, index), ctx.ids.length - 1);
  return {
    ...list,
    selectedId: ctx.ids[clamped]!,
    selectedIndex: clamped,
    offset: windowOffset(list.offset, clamped, ctx.pageSize, ctx.ids.length),
  };
}

export function navReducer(state: NavState, action: NavAction): NavState {
  switch (action.type) {
    case 'focus':
      return state.focus === action.pane && !state.editingFilter
        ? state
        : { ...state, focus: action.pane, editingFilter: false };
    case 'focusNext':
    case 'focusPrev': {
      const step = action.type === 'focusNext' ? 1 : PANE_IDS.length - 1;
      const next = PANE_IDS[(PANE_IDS.indexOf(state.focus) + step) % PANE_IDS.length]!;
      return { ...state, focus: next, editingFilter: false };
    }
    case 'move':
      return updateList(state, focusedListKey(state), (list) =>
        select(list, action.list, selectedIndex(list, action.list.ids) + action.by),
      );
    case 'moveTo':
      return updateList(state, focusedListKey(state), (list) =>
        select(list, action.list, action.to === 'top' ? 0 : action.list.ids.length - 1),
      );
    case 'push':
    case 'open': {
      const at = action.type === 'open' ? state.stack.findIndex((f) => sameFrame(f, action.frame)) : -1;
      return {
        ...state,
        stack: at >= 0 ? state.stack.slice(0, at + 1) : [...state.stack, action.frame],
        help: false,
        editingFilter: false,
        expanded: false,
      };
    }
    case 'back': {
      // esc peels one layer at a time: help, filter typing, an active filter, then the view itself.
      if (state.help) return { ...state, help: false };
      const key = focusedListKey(state);
      if (state.editingFilter || listState(state, key).filter !== '') {
        return updateList({ ...state, editingFilter: false }, key, (list) => ({ ...list, filter: '' }));
      }
      if (state.expanded) return { ...state, expanded: false };
      if (state.stack.length > 1) return { ...state, stack: state.stack.slice(0, -1) };
      return state;
    }
    case 'toggleHelp':
      return { ...state, help: !state.help, editingFilter: false };
    case 'toggleExpand':
      return { ...state, expanded: !state.expanded };
    case 'toggleFreeze':
      return { ...state, frozen: state.frozen ? null : action.model };
    case 'toggleInternal':
      return { ...state, hideInternal: !state.hideInternal };
    case 'toggleStorm':
      return {
        ...state,
        openStorms: state.openStorms.includes(action.id)
          ? state.openStorms.filter((id) => id !== action.id)
          : [...state.openStorms, action.id],
      };
    case 'startFilter':
      return { ...state, editingFilter: true };
    case 'filterInput':
      return updateList(state, focusedListKey(state), (list) => ({
        ...list,
        filter: list.filter + action.text,
        selectedIndex: 0,
        selectedId: null,
        offset: 0,
      }));
    case 'filterBackspace':
      return updateList(state, focusedListKey(state), (list) =>
        list.filter === '' ? list : { ...list, filter: list.filter.slice(0, -1) },
      );
    case 'filterDone':
      return { ...state, editingFilter: false };
    case 'filterClear':
      return updateList({ ...state, editingFilter: false }, focusedListKey(state), (list) => ({
        ...list,
        filter: '',
      }));
    case 'sortNext':
    case 'sortReverse': {
      const columns = action.columns;
      if (columns.length === 0) return state;
      return updateList(state, focusedListKey(state), (list) => {
        if (action.type === 'sortReverse') {
          const sort = list.sort ?? { column: columns[0]!, reverse: false };
          return { ...list, sort: { column: sort.column, reverse: !sort.reverse } };
        }
        // null (default order) → first sortable column → ... → last → back to the default order.
        const at = list.sort ? columns.indexOf(list.sort.column) : -1;
        const next = at + 1 < columns.length ? { column: columns[at + 1]!, reverse: false } : null;
        return { ...list, sort: next };
      });
    }
  }
}
