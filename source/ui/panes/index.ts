/**
 * The overview's panes, in order: the order numbers them (keys 1 to 4), lays them out (two a row in the
 * grid, left to right) and cycles focus (tab). Adding a pane is its own file and one line here.
 */
import { brokersPane } from './brokers.js';
import { groupsPane } from './groups.js';
import { isrEventsPane } from './isr.js';
import type { Pane } from './pane.js';
import { rebalancesPane } from './rebalances.js';

export const PANES = [
  groupsPane,
  brokersPane,
  isrEventsPane,
  rebalancesPane,
] as const satisfies readonly Pane[];

export type PaneId = (typeof PANES)[number]['id'];

export const PANE_IDS: readonly PaneId[] = PANES.map((p) => p.id);

export function paneNumber(id: PaneId): number {
  return PANE_IDS.indexOf(id) + 1;
}

export type { Pane, PaneContent, PaneOptions } from './pane.js';
