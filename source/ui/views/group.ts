/** The group view: a group's facts (a streams group's members with their tasks), and its partitions, most lag first. Enter opens a partition. */
import { configInsightText, unevenAssignmentText } from '../../model/config-insights.js';
import type { ClusterModel, GroupPartitionState, GroupState, MemberState } from '../../model/types.js';
import {
  formatCount,
  formatDuration,
  formatEta,
  formatExact,
  formatInstants,
  formatRate,
} from '../format.js';
import { type Glyphs, sparkline } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import {
  isrText,
  lagWithUnreadable,
  memoByIdentity2,
  partitionId,
  retentionText,
  STATUS_ORDER,
  searchText,
  statusCell,
  timeLagText,
} from '../view-models/common.js';
import { epochCells, membersUnknown, totalLagText } from '../view-models/kafka4.js';
import { type Cell, lazyRow, type Row, type RowParts, type TableModel } from '../view-models/table.js';
import type { DetailContent, Facts, Missing, View } from './view.js';

export interface GroupFrame {
  readonly kind: 'group';
  readonly groupId: string;
}

export function findGroup(model: ClusterModel, groupId: string): GroupState | undefined {
  return model.groups.find((g) => g.groupId === groupId);
}

export function groupFacts(g: GroupState, model: ClusterModel, glyphs: Glyphs): Facts[] {
  const i = g.insights;
  const status = statusCell(g.status, glyphs);
  const assignor = g.assignor ? `${sanitize(g.assignor)} (${g.rebalanceProtocol})` : g.rebalanceProtocol;
  const line1: Cell[] = [
    { text: `${status.text}`, tone: status.tone },
    { text: g.statusReason ? formatInstants(sanitize(g.statusReason)) : '', tone: 'muted' },
    { text: `state ${sanitize(g.state)}`, tone: g.rebalancing ? 'warn' : undefined },
    { text: `assignor ${assignor}` },
    // Unknown is `–` (issue 17): a consumer-protocol group no ConsumerGroupDescribe saw.
    { text: `members ${membersUnknown(g) ? `${glyphs.unknown} (KIP-848)` : g.members.length}` },
    { text: `rebalances 15m ${g.rebalancesLast15m}`, tone: g.rebalancesLast15m >= 3 ? 'warn' : undefined },
  ];
  const line2: Cell[] = [
    { text: `lag ${totalLagText(g)}` },
    {
      text: g.unreadableLag > 0 ? `${formatCount(g.unreadableLag)} past the LSO (open transactions)` : '',
      tone: 'muted',
    },
    {
      text: `time lag ${timeLagText(g.timeLagMs, g.timeLagEstimated)}${g.timeLagEstimated ? ' (est.)' : ''}`,
    },
    { text: `consume ${formatRate(g.consumeRate)}` },
    { text: `produce ${formatRate(g.produceRate)}` },
    {
      text: `ETA ${formatEta(g.eta)}`,
      tone: g.eta.kind === 'not-catching-up' ? 'warn' : undefined,
    },
  ];
  const per = i.partitionsPerMember;
  const line3: Cell[] = [
    retentionText(i.retentionRisk),
    i.dataLossPartitions > 0
      ? { text: `data lost on ${i.dataLossPartitions} partition(s)`, tone: 'crit' }
      : { text: '' },
    // Even only where it was judged (config-insights.ts): Stable consumer groups.
    i.unevenAssignments.length === 0 &&
    per.length > 0 &&
    g.protocolType === 'consumer' &&
    g.state === 'Stable'
      ? { text: `assignment even (${per[0]!.partitions}/member)`, tone: 'muted' }
      : { text: '' },
    i.idleMembers.length > 0
      ? { text: `${glyphs.warn} ${i.idleMembers.length} idle member(s)`, tone: 'warn' }
      : { text: '' },
  ];
  line3.unshift(...epochCells(g));
  if (g.error) line3.unshift({ text: `${glyphs.crit} ${sanitize(g.error)}`, tone: 'crit' });
  return [line1, line2, line3, ...streamsMemberLines(g, glyphs), ...insightLines(g, model, glyphs)].map(
    (line) => line.filter((c) => c.text !== ''),
  );
}

/** Member lines beyond these are counted, not drawn: the partition table keeps the screen. */
const MAX_MEMBER_LINES = 4;

/** Task ids shown per kind; a member with more says how many more. */
const MAX_TASK_IDS = 8;

function taskList(ids: readonly string[], glyphs: Glyphs): string {
  if (ids.length === 0) return glyphs.unknown;
  const shown = ids.length > MAX_TASK_IDS ? ids.slice(0, MAX_TASK_IDS - 1) : ids;
  const more = ids.length - shown.length;
  return sanitize(shown.join(',')) + (more > 0 ? ` +${more}` : '');
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** `→ target active 0_2,0_3 warm-up –`: the kinds whose tasks are not yet the target's; '' when none. */
function targetText(t: NonNullable<MemberState['tasks']>, glyphs: Glyphs): string {
  let text = '';
  if (!sameIds(t.active, t.targetActive)) text += ` active ${taskList(t.targetActive, glyphs)}`;
  if (!sameIds(t.standby, t.targetStandby)) text += ` standby ${taskList(t.targetStandby, glyphs)}`;
  if (!sameIds(t.warmup, t.targetWarmup)) text += ` warm-up ${taskList(t.targetWarmup, glyphs)}`;
  return text === '' ? '' : `${glyphs.arrow} target${text}`;
}

/** The first 8 characters of a member or process id: enough to tell a group's members apart. */
function shortId(id: string, glyphs: Glyphs): string {
  const clean = sanitize(id);
  return clean.length > 9 ? `${clean.slice(0, 8)}${glyphs.ellipsis}` : clean;
}

/**
 * A streams group's members, one line each (flowed where the width is short), those still reconciling
 * first: who (member, client@host, process), its tasks as Kafka Streams names them (`subtopology_partition`),
 * and where they are not yet its target's, the target. Kept per fold.
 */
const streamsMemberLines = memoByIdentity2((g: GroupState, glyphs: Glyphs): Cell[][] => {
  if (g.type !== 'streams') return [];
  const reconciling: Cell[][] = [];
  const converged: Cell[][] = [];
  for (const m of g.members) {
    const t = m.tasks;
    if (!t) continue;
    const target = targetText(t, glyphs);
    (target === '' ? converged : reconciling).push([
      { text: `${shortId(m.memberId, glyphs)} ${sanitize(m.clientId)}@${sanitize(m.host)}` },
      { text: m.processId ? `process ${shortId(m.processId, glyphs)}` : '', tone: 'muted' },
      {
        text: `active ${taskList(t.active, glyphs)} standby ${taskList(t.standby, glyphs)} warm-up ${taskList(t.warmup, glyphs)}`,
      },
      { text: target, tone: 'warn' },
    ]);
  }
  const lines = reconciling.concat(converged);
  if (lines.length <= MAX_MEMBER_LINES) return lines;
  const shown = lines.slice(0, MAX_MEMBER_LINES - 1);
  shown.push([{ text: `+${lines.length - shown.length} more members`, tone: 'muted' }]);
  return shown;
});

/** Insight lines beyond these are counted, not drawn: the partition table keeps the screen. */
const MAX_INSIGHT_LINES = 4;

/** An insight's subject (its topic, or the group's whole assignment) and what it says; unsanitized. */
type Insight = readonly [subject: string, text: string];

/** The group's uneven spread, then its topics' config insights; kept per fold. */
const insightsOf = memoByIdentity2((g: GroupState, model: ClusterModel): readonly Insight[] => {
  const out: Insight[] = g.insights.unevenAssignments.map((u) => [
    u.topic ?? 'assignment',
    unevenAssignmentText(u, false),
  ]);
  // The topics the group reads: its committed offsets and what its members are assigned.
  const topics = new Set<string>();
  for (const p of g.partitions) topics.add(p.topic);
  for (const m of g.members) for (const a of m.assignment) topics.add(a.topic);
  for (const name of topics) {
    const t = model.topics.find((x) => x.name === name);
    if (t) for (const c of t.configInsights) out.push([name, configInsightText(c)]);
  }
  return out;
});

/**
 * One line per insight where the width allows: the topic and the text are two facts, so a narrow screen
 * wraps the text under its topic instead of cutting off its end (the skew, the consequence).
 */
function insightLines(g: GroupState, model: ClusterModel, glyphs: Glyphs): Cell[][] {
  const insights = insightsOf(g, model);
  const shown = insights.length > MAX_INSIGHT_LINES ? MAX_INSIGHT_LINES - 1 : insights.length;
  const lines = insights.slice(0, shown).map(([subject, text]): Cell[] => [
    { text: `${glyphs.warn} ${sanitize(subject)}:`, tone: 'warn' },
    { text: sanitize(text), tone: 'warn' },
  ]);
  if (shown < insights.length)
    lines.push([{ text: `+${insights.length - shown} more insights (topic views)`, tone: 'muted' }]);
  return lines;
}

function retentionCell(retention: GroupPartitionState['retention']): Cell {
  return retention.kind === 'data-lost'
    ? { text: `LOST ${formatCount(retention.offsetsLost)}`, tone: 'crit' }
    : retention.kind === 'overtaken-in'
      ? { text: `${retention.estimated ? '~' : ''}${formatDuration(retention.ms)}`, tone: 'warn' }
      : { text: '', tone: 'muted' };
}

const GROUP_PARTITION_ROW: RowParts<GroupPartitionState, Glyphs> = {
  cells: (p, glyphs) => [
    statusCell(p.status, glyphs),
    { text: `${sanitize(p.topic)}-${p.partition}` },
    {
      text: p.committedOffset === null ? 'no commit' : formatExact(p.committedOffset),
      tone: p.committedOffset === null ? 'muted' : undefined,
    },
    { text: formatExact(p.logEndOffset) },
    { text: formatExact(p.logStartOffset) },
    { text: lagWithUnreadable(p.lag, p.unreadableLag) },
    { text: timeLagText(p.timeLagMs, p.timeLagEstimated) },
    { text: sparkline(p.lagHistory.values(), 12, glyphs), tone: 'accent' },
    { text: p.memberId ? sanitize(p.clientId ?? '') : 'unassigned', tone: p.memberId ? undefined : 'warn' },
    { text: sanitize(p.host ?? ''), tone: 'muted' },
    { text: p.leader < 0 ? 'none' : String(p.leader), tone: p.leader < 0 ? 'crit' : undefined },
    { text: isrText(p.isr) },
    { text: p.underReplicated ? 'URP' : '', tone: 'crit' },
    retentionCell(p.retention),
  ],
  sort: (p) => [
    -(p.status === null ? -1 : STATUS_ORDER[p.status]),
    `${sanitize(p.topic)}-${p.partition}`,
    p.committedOffset ?? -1,
    p.logEndOffset ?? -1,
    p.logStartOffset ?? -1,
    -(p.lag ?? -1),
    -(p.timeLagMs ?? -1),
    0,
    sanitize(p.clientId ?? ''),
    sanitize(p.host ?? ''),
    p.leader,
    p.isr.length,
    p.underReplicated ? 0 : 1,
    p.retention.kind === 'data-lost'
      ? -1
      : p.retention.kind === 'overtaken-in'
        ? p.retention.ms
        : Number.MAX_SAFE_INTEGER,
  ],
  search: (p) =>
    searchText(
      `${sanitize(p.topic)}-${p.partition}`,
      sanitize(p.clientId ?? ''),
      sanitize(p.host ?? ''),
      sanitize(p.memberId ?? ''),
      p.status,
    ),
};

function groupPartitionRow(p: GroupPartitionState, glyphs: Glyphs): Row {
  return lazyRow(partitionId(p.topic, p.partition), p, glyphs, GROUP_PARTITION_ROW);
}

/** Most lag first, then by topic and partition. */
function comparePartitionsByLag(a: GroupPartitionState, b: GroupPartitionState): number {
  return (
    (b.lag ?? -1) - (a.lag ?? -1) ||
    (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)
  );
}

export const groupPartitionTable = memoByIdentity2(
  (g: GroupState, glyphs: Glyphs): TableModel => ({
    columns: [
      { title: 'STATUS', width: 6 },
      { title: 'PARTITION', width: 10, cut: 'middle' },
      // Exact offsets are what this table is for: they stay longest, after lag and who consumes.
      { title: 'COMMITTED', width: 9, align: 'right', drop: 2 },
      { title: 'LOG END', width: 7, align: 'right', drop: 2 },
      { title: 'LOG START', width: 9, align: 'right', drop: 7 },
      { title: 'LAG', width: 4, align: 'right' },
      { title: 'TIME LAG', width: 6, align: 'right' },
      { title: 'LAG HISTORY', width: 6, max: 12, flex: true, cut: 'start', drop: 3, sortable: false },
      { title: 'CLIENT', width: 8, drop: 4 },
      { title: 'HOST', width: 8, drop: 5 },
      { title: 'LDR', width: 3, align: 'right', drop: 6 },
      { title: 'ISR', width: 5, drop: 6 },
      { title: 'URP', width: 3, drop: 1 },
      { title: 'RETENTION', width: 6, flex: true, drop: 5 },
    ],
    rows: [...g.partitions].sort(comparePartitionsByLag).map((p) => groupPartitionRow(p, glyphs)),
  }),
);

/* -------------------------------------------------------------------------------------------- */
/* Partition (charts)                                                                            */
/* -------------------------------------------------------------------------------------------- */

export const groupView: View<GroupFrame> = {
  label: (frame) => `group ${frame.groupId}`,
  content(model, frame, glyphs): DetailContent | Missing {
    const g = findGroup(model, frame.groupId);
    if (!g) return { missing: `group ${frame.groupId}` };
    return {
      facts: groupFacts(g, model, glyphs),
      charts: [],
      list: {
        table: groupPartitionTable(g, glyphs),
        target: (id) => {
          const p = g.partitions.find((x) => partitionId(x.topic, x.partition) === id);
          return p ? { kind: 'partition', groupId: g.groupId, topic: p.topic, partition: p.partition } : null;
        },
        empty: 'this group has no committed offsets',
      },
    };
  },
};
