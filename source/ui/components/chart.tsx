import asciichart from 'asciichart';
import { Box, Text } from 'ink';
import { formatClock, formatCount } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';

type Symbols = [string, string, string, string, string, string, string, string, string, string];

/**
 * One line style per series, so the lines are told apart without colour (--no-color) and in ASCII:
 * the first solid, the second dashed (dotted in ASCII). asciichart's order: axis crossing, axis, two
 * unused, horizontal, four corners, vertical.
 */
const UNICODE_STYLES: readonly Symbols[] = [
  ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  ['┼', '┤', '╶', '╴', '┄', '╰', '╭', '╮', '╯', '┆'],
];
const ASCII_STYLES: readonly Symbols[] = [
  ['+', '|', '-', '-', '-', '\\', '/', '\\', '/', '|'],
  ['+', '|', '.', '.', '.', ':', ':', ':', ':', ':'],
];

/** The mark a legend shows for series `i`: its horizontal stroke. */
export function seriesMark(i: number, glyphs: Glyphs): string {
  const styles = glyphs.ascii ? ASCII_STYLES : UNICODE_STYLES;
  return styles[i % styles.length]![4];
}

const LABEL_WIDTH = 7;
/** Columns before the first point: the value labels and the axis. */
const PLOT_LEFT = LABEL_WIDTH + 1;

/**
 * Unknown points (NaN) are carried forward from the last known value (asciichart cannot draw gaps);
 * leading unknowns are dropped.
 */
export function fillGaps(values: readonly number[]): number[] {
  const out: number[] = [];
  let last: number | null = null;
  for (const v of values) {
    if (Number.isFinite(v)) last = v;
    if (last !== null) out.push(last);
  }
  return out;
}

/** A plotted line: its characters, and per character the series drawn there (-1: labels, axis, blank). */
export interface PlotLine {
  readonly text: string;
  readonly series: readonly number[];
}

/**
 * The series plotted on one scale, each in its own line style (the first on top where they cross),
 * newest values on the right, `rows` + 1 lines high.
 */
export function plotSeries(series: readonly (readonly number[])[], rows: number, glyphs: Glyphs): PlotLine[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const v of s) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const styles = glyphs.ascii ? ASCII_STYLES : UNICODE_STYLES;
  const layers: string[][][] = [];
  for (let j = 0; j < series.length; j++) {
    if (series[j]!.length === 0) continue;
    const plot = asciichart.plot(series[j] as number[], {
      height: rows,
      min,
      max,
      format: (x) => formatCount(x).padStart(LABEL_WIDTH - 1),
      padding: ' '.repeat(LABEL_WIDTH),
      symbols: styles[j % styles.length],
    });
    layers.push(plot.split('\n').map((line) => [...line]));
  }
  const lines: PlotLine[] = [];
  const height = layers[0]?.length ?? 0;
  for (let y = 0; y < height; y++) {
    let width = 0;
    for (const layer of layers) width = Math.max(width, layer[y]!.length);
    let text = '';
    const owner: number[] = [];
    for (let x = 0; x < width; x++) {
      let ch = ' ';
      let who = -1;
      // Labels and axis are the same in every layer; past them, the first series drawn there wins.
      for (let j = 0; j < layers.length; j++) {
        const c = layers[j]![y]![x];
        if (c === undefined || c === ' ') continue;
        ch = c;
        who = x < PLOT_LEFT ? -1 : j;
        break;
      }
      text += ch;
      owner.push(who);
    }
    lines.push({ text, series: owner });
  }
  return lines;
}

/**
 * The time axis under a plot of `points` points ending at the newest: the first, middle and last
 * point's times (the middle only where the three fit apart).
 */
export function timeAxis(times: readonly number[], points: number, width: number): string {
  if (points === 0 || times.length === 0) return '';
  const shown = times.slice(Math.max(0, times.length - points));
  const first = formatClock(shown[0]!);
  const last = formatClock(shown[shown.length - 1]!);
  // The first point sits on the axis, the last `points - 1` columns to its right.
  const span = Math.max(0, Math.min(points - 1, width - PLOT_LEFT));
  const axis = Array.from({ length: PLOT_LEFT - 1 + span + 1 }, () => ' ');
  const put = (col: number, text: string) => {
    for (let i = 0; i < text.length && col + i < axis.length; i++) axis[col + i] = text[i]!;
  };
  if (span < first.length * 2 + 1) {
    put(PLOT_LEFT - 1, first);
    return axis.join('').trimEnd();
  }
  put(PLOT_LEFT - 1, first);
  const end = PLOT_LEFT - 1 + span - last.length + 1;
  put(end, last);
  const middleCol = PLOT_LEFT - 1 + Math.floor(span / 2) - Math.floor(first.length / 2);
  if (middleCol > PLOT_LEFT - 1 + first.length + 1 && middleCol + first.length + 1 < end) {
    put(middleCol, formatClock(shown[Math.floor((shown.length - 1) / 2)]!));
  }
  return axis.join('');
}

export interface ChartProps {
  readonly title: string;
  /** Series, oldest first, all the same length (the longest decides the x axis). */
  readonly series: readonly (readonly number[])[];
  /** Legend per series, drawn after the title with the series' line mark. */
  readonly legend?: readonly string[];
  /** Epoch ms of each point of the longest series, for the time axis. */
  readonly times?: readonly number[];
  readonly width: number;
  /** Lines including the title line and the time axis. */
  readonly height: number;
}

const LEGEND_COLORS = ['cyan', 'yellow', 'green'];

function PlotRow({ line, color }: { line: PlotLine; color: boolean }) {
  if (!color) return <Text wrap="truncate">{line.text}</Text>;
  // Runs of one series in its colour: few nodes per line.
  const runs: { text: string; series: number }[] = [];
  const chars = [...line.text];
  for (let i = 0; i < chars.length; i++) {
    const who = line.series[i] ?? -1;
    const last = runs[runs.length - 1];
    if (last && last.series === who) last.text += chars[i];
    else runs.push({ text: chars[i]!, series: who });
  }
  return (
    <Text wrap="truncate">
      {runs.map((run, i) =>
        run.series < 0 ? (
          run.text
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional within a line
          <Text key={i} color={LEGEND_COLORS[run.series % LEGEND_COLORS.length]}>
            {run.text}
          </Text>
        ),
      )}
    </Text>
  );
}

/** An asciichart plot, newest values on the right, with a time axis, scaled to the given box. */
export function Chart({ title, series, legend, times, width, height }: ChartProps) {
  const theme = useTheme();
  const plotWidth = Math.max(4, width - LABEL_WIDTH - 2);
  // Align on the right: all series keep the same newest points.
  const longest = Math.max(0, ...series.map((s) => s.length));
  const start = Math.max(0, longest - plotWidth);
  const trimmed = series.map((s) => fillGaps(s.slice(start)));
  const drawn = Math.max(0, ...trimmed.map((s) => s.length));
  const axis = times && height >= 4 ? 1 : 0;
  const rows = Math.max(1, height - 2 - axis);
  const lines = drawn === 0 ? [] : plotSeries(trimmed, rows, theme.glyphs);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate">
        {truncate(`${title}  `, width)}
        {(legend ?? []).map((label, i) => (
          <Text key={label} bold={false} color={theme.color ? LEGEND_COLORS[i] : toneColor(theme, 'muted')}>
            {`${seriesMark(i, theme.glyphs).repeat(2)} ${label}  `}
          </Text>
        ))}
      </Text>
      {drawn === 0 ? <Text>(no data yet)</Text> : null}
      {lines.map((line, y) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: plot lines are positional
        <PlotRow key={y} line={line} color={theme.color} />
      ))}
      {axis && drawn > 0 ? (
        <Text wrap="truncate" color={toneColor(theme, 'muted')}>
          {timeAxis(times!, drawn, width)}
        </Text>
      ) : null}
    </Box>
  );
}
