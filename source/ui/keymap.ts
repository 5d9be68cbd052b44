/**
 * The one table of commands and key bindings. Input handling, the footer hint bar, the `?` help screen
 * and docs/keys.md are all derived from it, so they cannot disagree. What each command does is in
 * commands.ts; how a key press is named, in keys.ts. No binding is Alt-only or
 * F-key-only: those are lost over SSH and inside tmux.
 */

import { PANES } from './panes/index.js';
import type { Frame } from './views/index.js';

export type Command =
  | 'quit'
  | 'help'
  | 'focusNext'
  | 'focusPrev'
  | 'focusPane'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'drillDown'
  | 'back'
  | 'filter'
  | 'sortNext'
  | 'sortReverse'
  | 'freeze'
  | 'refresh'
  | 'expand'
  | 'internal'
  | 'topics'
  | 'quorum'
  | 'replayPause'
  | 'replayStep'
  | 'replayFaster'
  | 'replaySlower'
  | 'replaySeekBack'
  | 'replaySeekForward';

/** Where the user is: the overview or a drill-down view. */
export type ViewKind = Frame['kind'];

export interface Binding {
  readonly command: Command;
  /** Canonical key names as produced by keyName(): 'q', 'ctrl+c', 'shift+tab', 'up', 'pageup', 'enter', 'escape', 'space'. */
  readonly keys: readonly string[];
  /** How the keys are written in the footer and help, e.g. '↑↓ j/k'. */
  readonly label: string;
  /** Footer hint (short) and help text (long). */
  readonly hint: string;
  readonly description: string;
  /** Views where the binding is active; 'all' for global bindings. */
  readonly views: readonly ViewKind[] | 'all';
  /** Shown in the footer hint bar (when active in the current view). */
  readonly footer: boolean;
  /** Active only while replaying a recording. */
  readonly replayOnly?: boolean;
  /** Active only against a live source (or the demo): a recording has nothing to refresh. */
  readonly liveOnly?: boolean;
}

const LISTS: readonly ViewKind[] = [
  'overview',
  'group',
  'broker',
  'topic',
  'topicPartition',
  'topics',
  'quorum',
];

export const KEYMAP: readonly Binding[] = [
  {
    command: 'quit',
    keys: ['q', 'ctrl+c'],
    label: 'q',
    hint: 'quit',
    description: 'Quit (also ctrl-c)',
    views: 'all',
    footer: true,
  },
  {
    command: 'help',
    keys: ['?'],
    label: '?',
    hint: 'help',
    description: 'Show or hide this help',
    views: 'all',
    footer: true,
  },
  {
    command: 'focusNext',
    keys: ['tab'],
    label: 'tab',
    hint: 'pane',
    description: 'Focus the next pane',
    views: ['overview'],
    footer: true,
  },
  {
    command: 'focusPrev',
    keys: ['shift+tab'],
    label: 'shift-tab',
    hint: 'prev pane',
    description: 'Focus the previous pane',
    views: ['overview'],
    footer: false,
  },
  {
    command: 'focusPane',
    keys: PANES.map((_, i) => String(i + 1)),
    label: `1-${PANES.length}`,
    hint: 'pane',
    description: `Focus pane ${PANES.map((p, i) => `${i + 1} ${p.title}`).join(', ')}`,
    views: ['overview'],
    footer: false,
  },
  {
    command: 'up',
    keys: ['up', 'k'],
    label: '↑ k',
    hint: 'up',
    description: 'Move the selection up',
    views: LISTS,
    footer: false,
  },
  {
    command: 'down',
    keys: ['down', 'j'],
    label: '↓ j',
    hint: 'down',
    description: 'Move the selection down',
    views: LISTS,
    footer: false,
  },
  {
    command: 'pageUp',
    keys: ['pageup', 'ctrl+b'],
    label: 'PgUp ctrl-b',
    hint: 'page up',
    description: 'Move up one page',
    views: LISTS,
    footer: false,
  },
  {
    command: 'pageDown',
    keys: ['pagedown', 'ctrl+f'],
    label: 'PgDn ctrl-f',
    hint: 'page down',
    description: 'Move down one page',
    views: LISTS,
    footer: false,
  },
  {
    command: 'top',
    keys: ['g', 'home'],
    label: 'g',
    hint: 'top',
    description: 'Go to the first row (also Home)',
    views: LISTS,
    footer: false,
  },
  {
    command: 'bottom',
    keys: ['G', 'end'],
    label: 'G',
    hint: 'bottom',
    description: 'Go to the last row (also End)',
    views: LISTS,
    footer: false,
  },
  {
    command: 'drillDown',
    keys: ['enter'],
    label: 'enter',
    hint: 'open',
    description: 'Open the selected group, broker, partition, topic or event storm',
    views: LISTS,
    footer: true,
  },
  {
    command: 'back',
    keys: ['escape'],
    label: 'esc',
    hint: 'back',
    description: 'Go back one level (clears the filter first, closes help)',
    views: 'all',
    footer: true,
  },
  {
    command: 'filter',
    keys: ['/'],
    label: '/',
    hint: 'filter',
    description: 'Filter the list by text (enter keeps it, esc clears it)',
    views: LISTS,
    footer: true,
  },
  {
    command: 'sortNext',
    keys: ['s'],
    label: 's',
    hint: 'sort',
    description: 'Sort the focused list by the next column',
    views: LISTS,
    footer: true,
  },
  {
    command: 'sortReverse',
    keys: ['S'],
    label: 'S',
    hint: 'reverse',
    description: 'Reverse the sort order',
    views: LISTS,
    footer: false,
  },
  {
    command: 'freeze',
    keys: ['f'],
    label: 'f',
    hint: 'freeze',
    description: 'Freeze the display (data keeps being collected); again to follow live',
    views: 'all',
    footer: true,
  },
  {
    command: 'refresh',
    keys: ['r'],
    label: 'r',
    hint: 'refresh',
    description: 'Refresh now',
    views: 'all',
    footer: false,
    liveOnly: true,
  },
  {
    command: 'expand',
    keys: ['e'],
    label: 'e',
    hint: 'expand',
    description: 'Open the selected event storm, else expand the pane; again to restore',
    views: ['overview'],
    footer: true,
  },
  {
    command: 'internal',
    keys: ['i'],
    label: 'i',
    hint: 'internal',
    description: 'Hide or show internal topics (__consumer_offsets and others)',
    views: ['overview', 'broker', 'topics'],
    footer: false,
  },
  {
    command: 'topics',
    keys: ['t'],
    label: 't',
    hint: 'topics',
    description: 'List topics (replica/ISR matrix, write rate and skew)',
    views: ['overview', 'group', 'broker', 'partition', 'topic', 'topicPartition'],
    footer: true,
  },
  {
    command: 'quorum',
    keys: ['Q'],
    label: 'Q',
    hint: 'quorum',
    description: 'Show the KRaft quorum (voters and observers, their lag and last fetch)',
    views: ['overview', 'broker'],
    footer: true,
  },
  {
    command: 'replayPause',
    keys: ['space'],
    label: 'space',
    hint: 'pause',
    description: 'Pause or resume the replay',
    views: 'all',
    footer: true,
    replayOnly: true,
  },
  {
    command: 'replayStep',
    keys: ['.'],
    label: '.',
    hint: 'step',
    description: 'Step one snapshot forward (pauses)',
    views: 'all',
    footer: true,
    replayOnly: true,
  },
  {
    command: 'replayFaster',
    keys: ['+', '='],
    label: '+',
    hint: 'faster',
    description: 'Replay faster',
    views: 'all',
    footer: false,
    replayOnly: true,
  },
  {
    command: 'replaySlower',
    keys: ['-'],
    label: '-',
    hint: 'slower',
    description: 'Replay slower',
    views: 'all',
    footer: false,
    replayOnly: true,
  },
  {
    command: 'replaySeekBack',
    keys: ['['],
    label: '[',
    hint: 'seek -',
    description: 'Seek back 10 snapshots',
    views: 'all',
    footer: false,
    replayOnly: true,
  },
  {
    command: 'replaySeekForward',
    keys: [']'],
    label: ']',
    hint: 'seek +',
    description: 'Seek forward 10 snapshots',
    views: 'all',
    footer: false,
    replayOnly: true,
  },
];

export interface KeyContext {
  view: ViewKind;
  replay: boolean;
}

export function isActive(binding: Binding, context: KeyContext): boolean {
  if (binding.replayOnly ? !context.replay : binding.liveOnly && context.replay) return false;
  return binding.views === 'all' || binding.views.includes(context.view);
}

/** The binding a key name triggers in this context, if any. */
export function lookup(name: string, context: KeyContext): Binding | undefined {
  if (name === '') return undefined;
  return KEYMAP.find((b) => b.keys.includes(name) && isActive(b, context));
}

/** Footer hints for the context, in table order. */
export function footerHints(context: KeyContext): readonly Binding[] {
  return KEYMAP.filter((b) => b.footer && isActive(b, context));
}

/** Help rows for the context: every active binding. */
export function helpRows(context: KeyContext): readonly Binding[] {
  return KEYMAP.filter((b) => isActive(b, context));
}
