/** The partition view: one group-partition's facts, and its lag and offsets charted over time. */
import type { GroupPartitionState, GroupState, TopicPartitionState } from '../../model/types.js';
import { formatExact, formatInstants, formatRate } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { sanitize } from '../sanitize.js';
import { isrText, lagWithUnreadable, retentionText, statusCell, timeLagText } from '../view-models/common.js';
import { findGroup } from './group.js';
import { findTopic } from './topic.js';
import type { DetailContent, Facts, Missing, View } from './view.js';

export interface PartitionFrame {
  readonly kind: 'partition';
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionCharts {
  readonly lag: readonly number[];
  readonly logEnd: readonly number[];
  readonly committed: readonly number[];
  /** Epoch ms of each point, for the time axis. */
  readonly times: readonly number[];
}

/**
 * Lag, log-end and committed offsets over time. The committed offset is log-end − lag at each refresh
 * where both are known (the model keeps lag history per group-partition and log-end per partition).
 */
export function partitionCharts(p: GroupPartitionState, t: TopicPartitionState | undefined): PartitionCharts {
  const lag = p.lagHistory.values();
  const lagTimes = p.lagHistory.times();
  const logEndValues = t?.logEndHistory.values() ?? [];
  const logEndTimes = t?.logEndHistory.times() ?? [];
  const logEndAt = new Map<number, number>();
  logEndTimes.forEach((time, i) => {
    logEndAt.set(time, logEndValues[i]!);
  });
  const committed = lagTimes.map((time, i) => {
    const end = logEndAt.get(time);
    const l = lag[i]!;
    return end === undefined || !Number.isFinite(end) || !Number.isFinite(l) ? Number.NaN : end - l;
  });
  return {
    lag,
    logEnd: lagTimes.map((time) => logEndAt.get(time) ?? Number.NaN),
    committed,
    times: lagTimes,
  };
}

export function findGroupPartition(
  g: GroupState,
  topic: string,
  partition: number,
): GroupPartitionState | undefined {
  return g.partitions.find((p) => p.topic === topic && p.partition === partition);
}

export function partitionFacts(p: GroupPartitionState, glyphs: Glyphs): Facts[] {
  const status = statusCell(p.status, glyphs);
  return [
    [
      { text: status.text, tone: status.tone },
      { text: formatInstants(sanitize(p.statusReason)), tone: 'muted' },
      { text: `committed ${p.committedOffset === null ? 'no commit' : formatExact(p.committedOffset)}` },
      { text: `log end ${formatExact(p.logEndOffset)}` },
      { text: `log start ${formatExact(p.logStartOffset)}` },
      ...(p.lastStableOffset !== null && p.logEndOffset !== null && p.lastStableOffset < p.logEndOffset
        ? [{ text: `last stable ${formatExact(p.lastStableOffset)}` }]
        : []),
      { text: `lag ${lagWithUnreadable(p.lag, p.unreadableLag)}` },
      {
        text: `time lag ${timeLagText(p.timeLagMs, p.timeLagEstimated)}${p.timeLagEstimated ? ' (est.)' : ''}`,
      },
    ],
    [
      {
        text: p.memberId ? `member ${sanitize(p.clientId ?? '')}@${sanitize(p.host ?? '')}` : 'unassigned',
        tone: p.memberId ? undefined : 'warn',
      },
      // Its own fact: a long member id moves to the next line rather than cutting who consumes.
      { text: p.memberId ? `(${sanitize(p.memberId)})` : '', tone: 'muted' },
      { text: `leader ${p.leader < 0 ? 'none' : p.leader}`, tone: p.leader < 0 ? 'crit' : undefined },
      {
        text: `replicas ${isrText(p.replicas)} ISR ${isrText(p.isr)}`,
        tone: p.underReplicated ? 'crit' : undefined,
      },
      { text: `consume ${formatRate(p.consumeRate)} produce ${formatRate(p.produceRate)}` },
      retentionText(p.retention),
    ],
  ];
}

export const partitionView: View<PartitionFrame> = {
  label: (frame) => `${frame.topic}-${frame.partition}`,
  content(model, frame, glyphs, height): DetailContent | Missing {
    const g = findGroup(model, frame.groupId);
    const p = g && findGroupPartition(g, frame.topic, frame.partition);
    if (!g || !p) return { missing: `${frame.topic}-${frame.partition} of group ${frame.groupId}` };
    const t = findTopic(model, frame.topic)?.partitions.find((x) => x.partition === frame.partition);
    const facts = partitionFacts(p, glyphs);
    const charts = partitionCharts(p, t);
    const available = height - 1 - facts.length;
    const lagHeight = Math.max(4, Math.floor(available / 2));
    // Offsets are large and close together: plot them above the lowest one so the labels differ.
    let base = Number.POSITIVE_INFINITY;
    for (const v of [...charts.logEnd, ...charts.committed]) if (Number.isFinite(v) && v < base) base = v;
    if (!Number.isFinite(base)) base = 0;
    return {
      facts,
      charts: [
        {
          title: 'Lag (messages)',
          series: [charts.lag],
          legend: ['lag'],
          times: charts.times,
          height: lagHeight,
        },
        {
          title: `Offsets above ${formatExact(base)}`,
          series: [charts.logEnd.map((v) => v - base), charts.committed.map((v) => v - base)],
          legend: ['log end (upper)', 'committed (lower)'],
          times: charts.times,
          height: available - lagHeight,
        },
      ],
      list: null,
    };
  },
};
