import type { ClusterModel } from '../../model/types.js';
import type { Glyphs } from '../glyphs.js';
import type { Frame } from '../navigation.js';
import type { TableModel } from '../view-models/table.js';

/** What a pane shows of one model: its table, its summary line, and where enter leads from a row. */
export interface PaneContent {
  readonly table: TableModel;
  /** After the title: counts, thresholds, per-group rebalances. */
  readonly summary: string;
  /** Where enter leads from a row id, or null. */
  readonly target: (id: string) => Frame | null;
  /**
   * Rows, from the top, that say something is wrong or just happened (a group not OK, a broker not OK, an
   * event of the last 5 minutes): a stacked screen shows these in every pane before the focused pane's
   * quiet rows, so a broker failure's story is not pushed off a small screen by twelve groups reading OK.
   */
  readonly urgent: number;
}

/** How far back an event still counts as just happened, for `urgent`. */
export const RECENT_EVENT_MS = 5 * 60_000;

/** Rows whose time (epoch ms, newest first) is within RECENT_EVENT_MS of the model's time. */
export function recentRows(rowAtMs: readonly number[], nowMs: number | null): number {
  if (nowMs === null) return 0;
  let n = 0;
  while (n < rowAtMs.length && rowAtMs[n]! >= nowMs - RECENT_EVENT_MS) n++;
  return n;
}

/** What the user chose to see in lists: navigation state the panes read. */
export interface PaneOptions {
  /** Internal topics (`__consumer_offsets`, …) left out. */
  readonly hideInternal: boolean;
  /** Ids of the event storms opened into their partitions. */
  readonly openStorms: readonly string[];
}

/** One overview pane. Registered in panes/index.ts, and numbered (keys 1, 2, ...) in that order. */
export interface Pane<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  /** What the list says when it has no rows. */
  readonly empty: string;
  /** Pure, and memoized on the model: called for every frame drawn. */
  readonly content: (model: ClusterModel, glyphs: Glyphs, options: PaneOptions) => PaneContent;
}
