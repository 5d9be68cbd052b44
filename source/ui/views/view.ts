import type { ClusterModel } from '../../model/types.js';
import type { Glyphs } from '../glyphs.js';
import type { PaneOptions } from '../panes/pane.js';
import type { Cell, TableModel } from '../view-models/table.js';
import type { Frame } from './index.js';

/** A line of labelled facts: each fact is a cell so it can carry its tone. */
export type Facts = readonly Cell[];

export interface ChartView {
  readonly title: string;
  readonly series: readonly (readonly number[])[];
  readonly legend: readonly string[];
  /** Epoch ms of each point (of the longest series), for the time axis. */
  readonly times: readonly number[];
  readonly height: number;
}

export interface DetailList {
  readonly table: TableModel;
  /** Where enter leads from a row id, or null. */
  readonly target: (id: string) => Frame | null;
  /** What the list says when it has no rows. */
  readonly empty: string;
}

/** What a drill-down view shows below its breadcrumb: fact lines, then charts, then a list. */
export interface DetailContent {
  readonly facts: readonly Facts[];
  readonly charts: readonly ChartView[];
  readonly list: DetailList | null;
}

/** The subject of a view is not in the model (a group deleted, a broker gone). */
export interface Missing {
  readonly missing: string;
}

/** One drill-down view, for one kind of frame. Registered in views/index.ts. */
export interface View<F extends Frame> {
  /** Its breadcrumb label. Unsanitized: the renderer sanitizes it (group ids, topic names). */
  readonly label: (frame: F) => string;
  /** Pure. `height` is the body's: the breadcrumb line, the facts, charts and list share it. */
  readonly content: (
    model: ClusterModel,
    frame: F,
    glyphs: Glyphs,
    height: number,
    options: PaneOptions,
  ) => DetailContent | Missing;
}
