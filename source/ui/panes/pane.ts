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
