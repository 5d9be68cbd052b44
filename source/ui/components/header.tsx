import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ClusterModel } from '../../model/types.js';
import { formatClock, formatDuration } from '../format.js';
import { sanitize, truncate } from '../sanitize.js';
import type { UiState } from '../store.js';
import { type Theme, toneColor, useTheme } from '../theme.js';
import { clusterCounts } from '../view-models/cluster-counts.js';
import type { Tone } from '../view-models/table.js';

interface Segment {
  readonly text: string;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly inverse?: boolean;
}

/** Data older than this many refresh intervals is late: its age is shown, counting up. */
const LATE_AFTER_INTERVALS = 2;

function lateAfterMs(intervalMs: number): number {
  return LATE_AFTER_INTERVALS * intervalMs;
}

/**
 * The time, read at each render, and a render scheduled only when the header would change: once when
 * the data turns late, then every second while it is. Fresh data shows the time it was taken, which
 * does not move, so a steady monitor draws one frame per refresh instead of one per second (each a
 * whole Ink frame).
 */
function useNow(clock: () => number, takenAtMs: number | null, intervalMs: number): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (takenAtMs === null) return;
    const lateAt = takenAtMs + lateAfterMs(intervalMs);
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const untilLate = lateAt - clock();
      timer = setTimeout(
        () => {
          setTicks((n) => n + 1);
          schedule();
        },
        // Capped: a clock far behind the data's timestamp must not overflow the timer.
        untilLate >= 0 ? Math.min(untilLate + 1, 60_000) : 1000,
      );
    };
    schedule();
    return () => clearTimeout(timer);
  }, [clock, takenAtMs, intervalMs]);
  return clock();
}

export function headerSegments(
  model: ClusterModel,
  ui: UiState,
  now: number,
  frozen: boolean,
  theme: Theme,
): [Segment[], Segment[]] {
  const g = theme.glyphs;
  const c = clusterCounts(model);
  const line1: Segment[] = [
    { text: 'kafkatop', bold: true, tone: 'accent' },
    { text: sanitize(ui.label) },
    { text: `cluster ${model.clusterId ? sanitize(model.clusterId) : '?'}`, tone: 'muted' },
    c.brokersDown.length
      ? {
          text: `${g.crit} brokers ${c.brokersUp}/${model.brokers.length} down: ${c.brokersDown.join(',')}`,
          tone: 'crit',
        }
      : { text: `brokers ${c.brokersUp}/${model.brokers.length}` },
    { text: `controller ${model.controllerId ?? '?'}` },
    { text: `${c.groups} groups ${c.topics} topics ${c.partitions} partitions` },
    { text: `URP ${c.urp}`, tone: c.urp ? 'crit' : undefined },
    { text: `offline ${c.offline}`, tone: c.offline ? 'crit' : undefined },
    ...(c.underMinIsr ? [{ text: `<minISR ${c.underMinIsr}`, tone: 'crit' as Tone }] : []),
    c.critical.length + c.warning.length === 0
      ? { text: `${g.ok} no alerts`, tone: 'ok' }
      : {
          text: `alerts ${c.critical.length ? `${g.crit} ${c.critical.length} CRIT ` : ''}${c.warning.length ? `${g.warn} ${c.warning.length} WARN` : ''}`.trim(),
          tone: c.critical.length ? 'crit' : 'warn',
        },
  ];
  const takenAtMs = model.dataAge.takenAtMs;
  const ageMs = takenAtMs === null ? null : Math.max(0, now - takenAtMs);
  const late = ageMs !== null && ageMs > lateAfterMs(ui.intervalMs);
  const s = model.staleness;
  const line2: Segment[] = [
    { text: `every ${formatDuration(ui.intervalMs)}`, tone: 'muted' },
    ageMs === null
      ? { text: model.foldCount === 0 ? 'waiting for the first refresh' : 'no data', tone: 'warn' }
      : late
        ? { text: `data ${formatDuration(ageMs)} old (late)`, tone: 'warn' }
        : { text: `data at ${formatClock(takenAtMs)}`, tone: 'muted' },
  ];
  if (s.stale) {
    line2.push({
      text: `${g.warn} STALE since ${formatClock(s.since)} (${s.consecutiveFailures} failed)${s.lastError ? `: ${sanitize(s.lastError.source)}: ${sanitize(s.lastError.message)}` : ''}`,
      tone: 'crit',
    });
  } else if (s.lastError) {
    line2.push({
      text: `${g.warn} ${sanitize(s.lastError.source)}: ${sanitize(s.lastError.message)}`,
      tone: 'warn',
    });
  }
  if (frozen) line2.push({ text: ' FROZEN ', inverse: true, bold: true, tone: 'warn' });
  if (ui.replay) {
    const r = ui.replay;
    line2.push({
      text: `REPLAY ${r.index + 1}/${r.total} ${r.paused ? 'PAUSED' : `x${r.speed}`} at ${formatClock(model.at)}`,
      tone: 'accent',
      bold: true,
    });
  }
  if (model.foldCount > 0) {
    line2.push(
      model.settled.settled
        ? { text: `${g.ok} settled`, tone: 'ok' }
        : { text: `${g.warn} not settled: ${model.settled.reasons.map(sanitize).join('; ')}`, tone: 'warn' },
    );
  }
  const firing = [...c.critical, ...c.warning];
  if (firing.length) {
    line2.push({
      text: firing
        .map(
          (a) =>
            `${a.rule.severity === 'critical' ? g.crit : g.warn} ${sanitize(a.rule.name)}(${a.instances.map((i) => sanitize(i.subject)).join(',')})`,
        )
        .join(' '),
      tone: c.critical.length ? 'crit' : 'warn',
    });
  }
  return [line1, line2];
}

function Line({ segments, width }: { segments: Segment[]; width: number }) {
  const theme = useTheme();
  let used = 0;
  const parts: (Segment & { key: number })[] = [];
  segments.forEach((seg, key) => {
    const sep = parts.length ? '  ' : '';
    const room = width - used - sep.length;
    if (room <= 1) return;
    const text = truncate(seg.text, room, theme.glyphs.ellipsis);
    parts.push({ ...seg, text, key });
    used += sep.length + text.length;
  });
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        <Text key={p.key}>
          {i ? '  ' : ''}
          <Text color={toneColor(theme, p.tone)} bold={p.bold} inverse={p.inverse}>
            {p.text}
          </Text>
        </Text>
      ))}
    </Text>
  );
}

export interface HeaderProps {
  readonly model: ClusterModel;
  readonly ui: UiState;
  readonly clock: () => number;
  readonly frozen: boolean;
  readonly width: number;
}

/** Two lines: the cluster at a glance, then freshness, freeze, replay, settled and firing alerts. */
export function Header({ model, ui, clock, frozen, width }: HeaderProps) {
  const theme = useTheme();
  const now = useNow(clock, model.dataAge.takenAtMs, ui.intervalMs);
  const [line1, line2] = headerSegments(model, ui, now, frozen, theme);
  return (
    <Box flexDirection="column" width={width} height={2} overflowY="hidden">
      <Line segments={line1} width={width} />
      <Line segments={line2} width={width} />
    </Box>
  );
}
