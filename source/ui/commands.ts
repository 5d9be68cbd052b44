/**
 * What each command does: one handler per `Command` of the keymap. The table must cover the whole union
 * (`satisfies Record<Command, …>`), so a binding added to the keymap without a handler fails `npm run lint`.
 */
import type { ClusterModel } from '../model/types.js';
import type { Command } from './keymap.js';
import type { NavAction, NavState } from './navigation.js';
import { PANE_IDS } from './panes/index.js';
import type { Screen } from './screen.js';
import type { UiState, UiStore } from './store.js';
import { isStormId } from './view-models/event-stories.js';
import { sortableColumns } from './view-models/table.js';

export interface CommandContext {
  /** The key's canonical name (keymap.ts), for commands bound to several keys (1-4). */
  readonly key: string;
  readonly nav: NavState;
  readonly screen: Screen;
  readonly model: ClusterModel;
  readonly ui: UiState;
  readonly store: UiStore;
  act(action: NavAction): void;
  quit(): void;
}

type Handler = (c: CommandContext) => void;

const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

function nextSpeed(speed: number, direction: 1 | -1): number {
  const at = REPLAY_SPEEDS.findIndex((s) => s >= speed);
  const index = at < 0 ? REPLAY_SPEEDS.length - 1 : at;
  return REPLAY_SPEEDS[Math.min(REPLAY_SPEEDS.length - 1, Math.max(0, index + direction))]!;
}

/** The focused list's row ids and page size, as the navigation reducer takes them. */
function focusedList({ screen }: CommandContext) {
  const focused = screen.focused;
  return focused ? { ids: focused.rows.map((r) => r.id), pageSize: Math.max(1, focused.pageSize) } : null;
}

function move(by: (pageSize: number) => number): Handler {
  return (c) => {
    const list = focusedList(c);
    if (list) c.act({ type: 'move', by: by(list.pageSize), list });
  };
}

function moveTo(to: 'top' | 'bottom'): Handler {
  return (c) => {
    const list = focusedList(c);
    if (list) c.act({ type: 'moveTo', to, list });
  };
}

function sort(type: 'sortNext' | 'sortReverse'): Handler {
  return (c) => {
    const focused = c.screen.focused;
    if (focused) c.act({ type, columns: sortableColumns(focused.table) });
  };
}

/** The selected row's id when it is an event storm, which opens into its partitions. */
function selectedStorm({ screen }: CommandContext): string | null {
  const focused = screen.focused;
  const id = focused && focused.selected >= 0 ? focused.rows[focused.selected]?.id : undefined;
  return id !== undefined && isStormId(id) ? id : null;
}

function speed(direction: 1 | -1): Handler {
  return (c) => c.store.replay?.setSpeed(nextSpeed(c.ui.replay?.speed ?? 1, direction));
}

export const COMMANDS = {
  quit: (c) => c.quit(),
  help: (c) => c.act({ type: 'toggleHelp' }),
  focusNext: (c) => c.act({ type: 'focusNext' }),
  focusPrev: (c) => c.act({ type: 'focusPrev' }),
  focusPane: (c) => {
    const pane = PANE_IDS[Number(c.key) - 1];
    if (pane) c.act({ type: 'focus', pane });
  },
  up: move(() => -1),
  down: move(() => 1),
  pageUp: move((page) => -page),
  pageDown: move((page) => page),
  top: moveTo('top'),
  bottom: moveTo('bottom'),
  drillDown: (c) => {
    const focused = c.screen.focused;
    if (!focused || focused.selected < 0) return;
    const row = focused.rows[focused.selected];
    const frame = row ? focused.target(row.id) : null;
    if (frame) c.act({ type: 'push', frame });
    else if (row && isStormId(row.id)) c.act({ type: 'toggleStorm', id: row.id });
  },
  back: (c) => c.act({ type: 'back' }),
  filter: (c) => {
    if (c.screen.focused) c.act({ type: 'startFilter' });
  },
  sortNext: sort('sortNext'),
  sortReverse: sort('sortReverse'),
  freeze: (c) => c.act({ type: 'toggleFreeze', model: c.model }),
  refresh: (c) => c.store.refreshNow(),
  expand: (c) => {
    const storm = selectedStorm(c);
    c.act(storm ? { type: 'toggleStorm', id: storm } : { type: 'toggleExpand' });
  },
  internal: (c) => c.act({ type: 'toggleInternal' }),
  topics: (c) => c.act({ type: 'open', frame: { kind: 'topics' } }),
  quorum: (c) => c.act({ type: 'open', frame: { kind: 'quorum' } }),
  replayPause: (c) => {
    if (c.ui.replay?.paused) c.store.replay?.resume();
    else c.store.replay?.pause();
  },
  replayStep: (c) => c.store.replay?.step(),
  replayFaster: speed(1),
  replaySlower: speed(-1),
  replaySeekBack: (c) => c.store.replay?.seek(-10),
  replaySeekForward: (c) => c.store.replay?.seek(10),
} as const satisfies Record<Command, Handler>;
