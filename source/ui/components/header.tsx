import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ClusterModel } from '../../model/types.js';
import type { UiState } from '../store.js';
import { toneColor, useTheme } from '../theme.js';
import { fitSegments, type HeaderSegment, headerLines, LATE_AFTER_INTERVALS } from '../view-models/header.js';

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
    const lateAt = takenAtMs + LATE_AFTER_INTERVALS * intervalMs;
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

function Line({ segments, width }: { segments: readonly HeaderSegment[]; width: number }) {
  const theme = useTheme();
  const parts = fitSegments(segments, width, theme.glyphs.ellipsis);
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        // Index keys: the fitted line is rebuilt whole each render and has no stable ids.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={i}>
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

/** Two lines, worst first: down brokers and firing alerts, then counts; freeze, replay or REC, then freshness and settled. */
export function Header({ model, ui, clock, frozen, width }: HeaderProps) {
  const theme = useTheme();
  // Frozen or replayed data is old on purpose: no ticking towards "late".
  const live = !frozen && ui.replay === null;
  const now = useNow(clock, live ? model.dataAge.takenAtMs : null, ui.intervalMs);
  const [line1, line2] = headerLines(model, ui, now, frozen, theme.glyphs);
  return (
    <Box flexDirection="column" width={width} height={2} overflowY="hidden">
      <Line segments={line1} width={width} />
      <Line segments={line2} width={width} />
    </Box>
  );
}
