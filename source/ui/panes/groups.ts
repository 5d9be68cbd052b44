/** Pane 1: a row per consumer group, worst first. Enter opens the group. */
import type { ClusterModel, GroupState } from '../../model/types.js';
import { formatCount } from '../format.js';
import { type Glyphs, sparkline, trend } from '../glyphs.js';
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
  const direction = trend(history);
  const status = g.error
    ? { text: `${glyphs.crit} ERROR`, tone: 'crit' as Tone }
    : statusCell(g.status, glyphs);
  const rebalances = g.rebalancesLast15m;
  const typed = `${id}${groupTypeTag(g)}`;
  const name = g.rebalancing ? `${typed} (${sanitize(g.state)})` : typed;
  return [
    status,
    { text: name, tone: g.rebalancing ? 'warn' : undefined },
    { text: totalLagText(g) },
    { text: timeLagText(g.timeLagMs, g.timeLagEstimated) },
    { text: sparkline(history, SPARK_WIDTH, glyphs), tone: 'accent' },
    {
      text:
        direction === 'up'
          ? glyphs.up
          : direction === 'down'
            ? glyphs.down
            : direction === 'flat'
              ? glyphs.flat
              : ' ',
      tone: direction === 'up' && g.totalLag > 0 ? 'warn' : undefined,
    },
    etaText(g.eta),
    { text: memberCount(g) },
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

/** A group with its default-order key computed once (sorting compares these, not the groups). */
interface RankedGroup {
  readonly group: GroupState;
  readonly rank: number;
  readonly timeLag: number;
  readonly lag: number;
}

/** Worst first: status, then time lag, then lag, then group id. */
function compareRanked(a: RankedGroup, b: RankedGroup): number {
  return (
    b.rank - a.rank ||
    b.timeLag - a.timeLag ||
    b.lag - a.lag ||
    (a.group.groupId < b.group.groupId ? -1 : a.group.groupId > b.group.groupId ? 1 : 0)
  );
}

const GROUP_COLUMNS: readonly Column[] = [
  { title: 'STATUS', width: 8 },
  { title: 'GROUP', width: 14, flex: true },
  { title: 'LAG', width: 6, align: 'right' },
  { title: 'TIME LAG', width: 8, align: 'right' },
  { title: 'LAG HISTORY', width: SPARK_WIDTH, keepEnd: true, drop: 3, sortable: false },
  { title: '', width: 1, drop: 6, sortable: false },
  { title: 'ETA', width: 9, align: 'right', drop: 4 },
  { title: 'MBR', width: 3, align: 'right', drop: 5 },
  { title: 'RB15', width: 4, align: 'right', drop: 2 },
];

/**
 * All groups, worst first. Rows are lazy: a refresh sorts the groups on precomputed keys and formats
 * only the rows drawn, while the filter and column sorts still see every group.
 */
export const groupTable = memoByIdentity2((groups: readonly GroupState[], glyphs: Glyphs): TableModel => {
  const ranked: RankedGroup[] = new Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    ranked[i] = { group: g, rank: groupRank(g), timeLag: g.timeLagMs ?? -1, lag: g.totalLag };
  }
  ranked.sort(compareRanked);
  const rows: Row[] = new Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) {
    const g = ranked[i]!.group;
    rows[i] = lazyRow(g.groupId, g, glyphs, GROUP_ROW);
  }
  return { columns: GROUP_COLUMNS, rows };
});

export const groupsPane = {
  id: 'groups',
  title: 'Group lag',
  empty: 'no consumer groups',
  content: memoByIdentity2((model: ClusterModel, glyphs: Glyphs) => ({
    table: groupTable(model.groups, glyphs),
    summary: `${model.groups.length} groups, worst first`,
    target: (groupId: string) => ({ kind: 'group', groupId }) as const,
  })),
} as const satisfies Pane;
