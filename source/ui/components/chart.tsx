import asciichart from 'asciichart';
import { Box, Text } from 'ink';
import { formatCount } from '../format.js';
import { truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';

const ASCII_SYMBOLS: [string, string, string, string, string, string, string, string, string, string] = [
  '+',
  '|',
  '-',
  '-',
  '-',
  '\\',
  '/',
  '\\',
  '/',
  '|',
];

const LABEL_WIDTH = 7;

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

export interface ChartProps {
  readonly title: string;
  /** Series, oldest first, all the same length (the longest decides the x axis). */
  readonly series: readonly (readonly number[])[];
  /** Legend per series, drawn after the title. */
  readonly legend?: readonly string[];
  readonly width: number;
  /** Lines including the title line. */
  readonly height: number;
}

const SERIES_COLORS = [asciichart.cyan, asciichart.yellow, asciichart.green];
const LEGEND_COLORS = ['cyan', 'yellow', 'green'];

/** An asciichart plot inside <Text>, newest values on the right, scaled to the given box. */
export function Chart({ title, series, legend, width, height }: ChartProps) {
  const theme = useTheme();
  const plotWidth = Math.max(4, width - LABEL_WIDTH - 2);
  // Align on the right: all series keep the same newest points.
  const longest = Math.max(0, ...series.map((s) => s.length));
  const start = Math.max(0, longest - plotWidth);
  const trimmed = series.map((s) => fillGaps(s.slice(start)));
  const drawable = trimmed.filter((s) => s.length > 0);
  const rows = Math.max(1, height - 2);
  let body: string;
  if (drawable.length === 0) {
    body = '(no data yet)';
  } else {
    body = asciichart.plot(drawable as number[][], {
      height: rows,
      format: (x) => formatCount(x).padStart(LABEL_WIDTH - 1),
      padding: ' '.repeat(LABEL_WIDTH),
      symbols: theme.glyphs.ascii ? ASCII_SYMBOLS : undefined,
      colors: theme.color ? SERIES_COLORS.slice(0, drawable.length) : undefined,
    });
  }
  const dash = theme.glyphs.ascii ? '-' : '─';
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate">
        {truncate(`${title}  `, width)}
        {(legend ?? []).map((label, i) => (
          <Text key={label} bold={false} color={theme.color ? LEGEND_COLORS[i] : toneColor(theme, 'muted')}>
            {`${dash} ${label}  `}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate">{body}</Text>
    </Box>
  );
}
