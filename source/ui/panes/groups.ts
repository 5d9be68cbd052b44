/** Pane 1: a row per consumer group, worst first. Enter opens the group. */
import type { ClusterModel, GroupState } from '../../model/types.js';
import { counted } from '../format.js';
import { type Glyphs, sparkline } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import {
  etaSortKey,
  etaText,
  memoByIdentity2,
  STATUS_ORDER,
  searchText,
  statusCell,
  timeLagText,
} from '../view-models/common.js';
import { groupTypeTag, memberCount, totalLagText } from '../view-models/kafka4.js';
import {
  type Cell,
  type Column,
  lazyRow,
  type Row,
  type RowParts,
  type TableModel,
  type Tone,
} from '../view-models/table.js';
import type { Pane } from './pane.js';

export const SPARK_WIDTH = 16;
function groupRank(g: GroupState): number {
  return g.error ? 5 : g.status === null ? -1 : STATUS_ORDER[g.status];
}

/** Built only for the rows on screen. */
function groupCells(g: GroupState, glyphs: Glyphs): Cell[] {
  const id = sanitize(g.groupId);
  const history = g.lagHistory.values();
  const status = g.error
    ? { text: `${glyphs.crit} ERROR`, tone: 'crit' as Tone }
    : statusCell(g.status, glyphs);
  const rebalances = g.rebalancesLast15m;
  // PreparingRebalance → Preparing: the state is a note on the id, kept short.
  const typed = `${id}${groupTypeTag(g)}`;
  const name = g.rebalancing ? `${typed} (${sanitize(g.state).replace('Rebalance', '')})` : typed;
  return [
    status,
    { text: name, tone: g.rebalancing ? 'warn' : undefined },
    { text: totalLagText(g) },
    { text: timeLagText(g.timeLagMs, g.timeLagEstimated) },
    { text: sparkline(history, SPARK_WIDTH, glyphs), tone: 'accent' },
    // The model's lag trend (significant over 90 s, docs/model.md), not first against last sample.
    {
      text:
        g.lagTrend === 'rising'
          ? glyphs.up
          : g.lagTrend === 'falling'
            ? glyphs.down
            : g.lagTrend === 'flat'
              ? glyphs.flat
              : ' ',
      tone: g.lagTrend === 'rising' ? 'warn' : undefined,
    },
    etaText(g.eta),
    { text: memberCount(g, glyphs) },
    { text: String(rebalances), tone: rebalances >= 3 ? 'warn' : rebalances === 0 ? 'muted' : undefined },
  ];
}

const GROUP_ROW: RowParts<GroupState, Glyphs> = {
  cells: groupCells,
  // Worst first means descending, so the "natural" keys are negated where needed.
  sort: (g) => [
    -groupRank(g),
    sanitize(g.groupId),
    -g.totalLag,
    -(g.timeLagMs ?? -1),
    -g.totalLag,
    0,
    -etaSortKey(g.eta),
    -g.members.length,
    -g.rebalancesLast15m,
  ],
  search: (g) =>
    searchText(
      sanitize(g.groupId),
      g.type,
      g.state,
      g.status,
      ...g.members.map((m) => `${sanitize(m.clientId)} ${sanitize(m.host)}`),
    ),
};

/** Worst first, as the model ranked the groups (with hysteresis: docs/model.md, "Worst first"). */
function byWorstFirst(a: GroupState, b: GroupState): number {
  return a.worstFirst - b.worstFirst || (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0);
}

// The group id identifies the row: it is cut last. Narrow panes drop the trend and the history before
// the rebalance count, the member count and the ETA; the grid makes room for the last two beside the
// group ids (120 columns), and a long group id drops them rather than being cut.
const GROUP_COLUMNS: readonly Column[] = [
  { title: 'STATUS', width: 6 },
  { title: 'GROUP', width: 10 },
  { title: 'LAG', width: 4, align: 'right' },
  { title: 'TIME LAG', width: 6, align: 'right' },
  { title: 'LAG HISTORY', width: 6, max: SPARK_WIDTH, flex: true, cut: 'start', drop: 5, sortable: false },
  { title: '', width: 1, drop: 6, sortable: false },
  { title: 'ETA', width: 5, align: 'right', drop: 2, keep: true },
  { title: 'MBR', width: 3, align: 'right', drop: 3, keep: true },
  { title: 'RB15', width: 4, align: 'right', drop: 4 },
];

/**
 * All groups, worst first. Rows are lazy: a refresh sorts the groups on precomputed keys and formats
 * only the rows drawn, while the filter and column sorts still see every group.
 */
export const groupTable = memoByIdentity2((groups: readonly GroupState[], glyphs: Glyphs): TableModel => {
  const sorted = [...groups].sort(byWorstFirst);
  const rows: Row[] = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const g = sorted[i]!;
    rows[i] = lazyRow(g.groupId, g, glyphs, GROUP_ROW);
  }
  return { columns: GROUP_COLUMNS, rows };
});

/** Groups whose status is not OK: worst first, they are the pane's top rows. */
function notOk(groups: ClusterModel['groups']): number {
  let n = 0;
  for (const g of groups) if (g.status !== null && g.status !== 'OK') n++;
  return n;
}

export const groupsPane = {
  id: 'groups',
  title: 'Group lag',
  empty: 'no consumer groups',
  content: memoByIdentity2((model: ClusterModel, glyphs: Glyphs) => ({
    table: groupTable(model.groups, glyphs),
    summary: `${counted(model.groups.length, 'group')}, worst first`,
    target: (groupId: string) => ({ kind: 'group', groupId }) as const,
    urgent: notOk(model.groups),
  })),
} as const satisfies Pane;
