/** Pane 4: rebalance activity, newest first, with rebalances per group in the last 15 minutes. Enter opens the group. */
import type { ClusterModel, GroupState, ModelEvent } from '../../model/types.js';
import { formatClock, formatDuration, toMillis } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { memoByIdentity, memoByIdentity2, searchText } from '../view-models/common.js';
import type { Cell, Column, Row, TableModel } from '../view-models/table.js';
import { type Pane, recentRows } from './pane.js';

const REBALANCE_KINDS = new Set<ModelEvent['kind']>([
  'rebalance-start',
  'rebalance-end',
  'member-join',
  'member-leave',
  'assignment-move',
  'member-stuck',
]);

function shortState(state: string): string {
  return sanitize(state).replace('Rebalance', '');
}

export interface RebalancePane {
  readonly table: TableModel;
  /** Rebalances per group in the last 15 minutes (groups with at least one), most first. */
  readonly perGroup: readonly { readonly groupId: string; readonly count: number }[];
  /** Group of each row, for drill-down. */
  readonly groupOf: ReadonlyMap<string, string>;
  /** Each row's time (epoch ms), newest first, for `urgent`. */
  readonly rowAtMs: readonly number[];
}

// CHANGE names who joined and left (client id and host); the group name and the states gone through give way first.
const REBALANCE_COLUMNS: readonly Column[] = [
  { title: 'TIME', width: 8 },
  { title: 'GROUP', width: 7, flex: true },
  { title: 'CHANGE', width: 12 },
  { title: 'STATES', width: 8, flex: true, drop: 1 },
];

/** Keyed on the event log itself, as the ISR events. */
const rebalanceEvents = memoByIdentity2((events: readonly ModelEvent[], glyphs: Glyphs) => {
  const rows: Row[] = [];
  const rowAtMs: number[] = [];
  const groupOf = new Map<string, string>();
  // Partition moves come by the dozen in one refresh: one row per group and refresh.
  const moves = new Map<string, { count: number; first: ModelEvent & { kind: 'assignment-move' } }>();
  for (const e of events) {
    if (e.kind !== 'assignment-move') continue;
    const key = `${e.group}\u0000${e.at}`;
    const m = moves.get(key);
    if (m) m.count++;
    else moves.set(key, { count: 1, first: e });
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (!REBALANCE_KINDS.has(e.kind) || !('group' in e)) continue;
    let change: Cell;
    let states = '';
    switch (e.kind) {
      case 'rebalance-start':
        change = { text: 'start', tone: 'warn' };
        states = `${shortState(e.fromState)}${glyphs.arrow}${shortState(e.state)}`;
        break;
      case 'rebalance-end':
        change = {
          text:
            e.durationMs === null
              ? `end${e.observed ? '' : ' between refreshes'}`
              : `end after ${formatDuration(e.durationMs)}`,
          tone: 'ok',
        };
        states = e.states.map(shortState).join(glyphs.arrow);
        break;
      case 'member-join':
      case 'member-leave':
        change = {
          text: `${e.kind === 'member-join' ? 'join' : 'left'} ${sanitize(e.clientId)}@${sanitize(e.host)}`,
          tone: e.kind === 'member-join' ? undefined : 'warn',
        };
        break;
      case 'member-stuck':
        change = {
          text: `${glyphs.warn} stuck ${sanitize(e.clientId)}@${sanitize(e.host)} for ${formatDuration(e.behindForMs)}`,
          tone: 'warn',
        };
        states = `epoch ${e.memberEpoch}${glyphs.arrow}${e.assignmentEpoch}`;
        break;
      case 'assignment-move': {
        const m = moves.get(`${e.group}\u0000${e.at}`);
        if (!m || m.first !== e) continue;
        change = { text: `moved ${m.count} partition${m.count === 1 ? '' : 's'}`, tone: 'muted' };
        break;
      }
      default:
        continue;
    }
    const group = sanitize(e.group);
    groupOf.set(e.id, e.group);
    rowAtMs.push(toMillis(e.at));
    rows.push({
      id: e.id,
      cells: [
        { text: formatClock(e.at), tone: 'muted' },
        { text: group },
        change,
        { text: states, tone: 'muted' },
      ],
      sort: [-toMillis(e.at), group, change.text, states],
      search: searchText(group, change.text),
    });
  }
  const table: TableModel = { columns: REBALANCE_COLUMNS, rows };
  return { table, groupOf, rowAtMs };
});

function byRebalancesThenId(a: { groupId: string; count: number }, b: { groupId: string; count: number }) {
  return b.count - a.count || a.groupId.localeCompare(b.groupId);
}

/**
 * Rebalances per group in the last 15 minutes, keyed on the groups array. A loop, not closures made per
 * refresh (docs/performance.md, "Closures on hot paths").
 */
const rebalancesPerGroup = memoByIdentity((groups: readonly GroupState[]) => {
  const perGroup: { groupId: string; count: number }[] = [];
  for (const g of groups) {
    if (g.rebalancesLast15m > 0) perGroup.push({ groupId: sanitize(g.groupId), count: g.rebalancesLast15m });
  }
  return perGroup.sort(byRebalancesThenId);
});

export const rebalancePane = memoByIdentity2(
  (model: ClusterModel, glyphs: Glyphs): RebalancePane => ({
    ...rebalanceEvents(model.events, glyphs),
    perGroup: rebalancesPerGroup(model.groups),
  }),
);

function rebalanceSummary(reb: RebalancePane): string {
  if (reb.perGroup.length === 0) return 'none in the last 15m';
  const counts = reb.perGroup.slice(0, 6).map((g) => `${g.groupId} x${g.count}`);
  return `last 15m: ${counts.join(' ')}`;
}

export const rebalancesPane = {
  id: 'rebalances',
  title: 'Rebalances',
  empty: 'no rebalances seen',
  content: memoByIdentity2((model: ClusterModel, glyphs: Glyphs) => {
    const reb = rebalancePane(model, glyphs);
    return {
      table: reb.table,
      summary: rebalanceSummary(reb),
      target: (id: string) => {
        const groupId = reb.groupOf.get(id);
        return groupId === undefined ? null : ({ kind: 'group', groupId } as const);
      },
      urgent: recentRows(reb.rowAtMs, model.atMs),
    };
  }),
} as const satisfies Pane;
