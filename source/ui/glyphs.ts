/**
 * Glyph sets and the string builders that use them (sparklines, bars). `--ascii` swaps the whole set so
 * poor terminals and fonts (serial consoles, some Windows fonts) draw nothing they cannot render.
 */

export interface Glyphs {
  readonly ascii: boolean;
  /** Sparkline levels, lowest first; index 0 is also used for zero. */
  readonly spark: readonly string[];
  readonly barFull: string;
  readonly barEmpty: string;
  readonly barMarker: string;
  readonly crit: string;
  readonly warn: string;
  readonly ok: string;
  readonly info: string;
  readonly arrow: string;
  readonly up: string;
  readonly down: string;
  readonly flat: string;
  readonly ellipsis: string;
  readonly separator: string;
  readonly cursor: string;
  readonly rule: string;
  readonly borderStyle: 'round' | 'single' | 'classic';
  readonly unknown: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  ascii: false,
  spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  barFull: '█',
  barEmpty: '░',
  barMarker: '│',
  crit: '✖',
  warn: '▲',
  ok: '●',
  info: '·',
  arrow: '→',
  up: '↑',
  down: '↓',
  flat: '→',
  ellipsis: '…',
  separator: ' › ',
  cursor: '▶',
  rule: '─',
  borderStyle: 'round',
  unknown: '–',
};

export const ASCII_GLYPHS: Glyphs = {
  ascii: true,
  spark: ['_', '.', ',', '-', '~', '=', '+', '#'],
  barFull: '#',
  barEmpty: '.',
  barMarker: '|',
  crit: 'X',
  warn: '!',
  ok: 'o',
  info: '.',
  arrow: '->',
  up: '^',
  down: 'v',
  flat: '=',
  ellipsis: '~',
  separator: ' > ',
  cursor: '>',
  rule: '-',
  borderStyle: 'classic',
  unknown: '-',
};

export function glyphsFor(ascii: boolean): Glyphs {
  return ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
}

export interface SparklineOptions {
  /** Bottom of the scale (default 0, so a flat non-zero line does not look like zero). */
  min?: number;
  /** Top of the scale (default: the largest value shown). */
  max?: number;
}

/**
 * The last `width` values as a sparkline, right-aligned (padded with spaces on the left). NaN and
 * null (unknown at that refresh) draw as a space so gaps stay visible.
 */
export function sparkline(
  values: readonly (number | null)[],
  width: number,
  glyphs: Glyphs,
  options: SparklineOptions = {},
): string {
  if (width <= 0) return '';
  const shown = values.slice(Math.max(0, values.length - width));
  let max = options.max ?? Number.NEGATIVE_INFINITY;
  if (options.max === undefined) {
    for (const v of shown) if (v !== null && Number.isFinite(v) && v > max) max = v;
  }
  const min =
    options.min ?? Math.min(0, ...shown.filter((v): v is number => v !== null && Number.isFinite(v)));
  const levels = glyphs.spark.length;
  let out = ' '.repeat(width - shown.length);
  for (const v of shown) {
    if (v === null || !Number.isFinite(v)) {
      out += ' ';
      continue;
    }
    const span = max - min;
    const ratio = span > 0 ? (Math.min(Math.max(v, min), max) - min) / span : 0;
    out += glyphs.spark[Math.min(levels - 1, Math.round(ratio * (levels - 1)))];
  }
  return out;
}

/**
 * A horizontal bar of `width` cells filled to `fraction` (clamped to 0..1), with a marker drawn in the
 * empty part at each threshold so "below 30%" is visible at a glance.
 */
export function bar(
  fraction: number | null,
  width: number,
  glyphs: Glyphs,
  thresholds: readonly number[] = [],
): string {
  if (width <= 0) return '';
  if (fraction === null || !Number.isFinite(fraction)) return glyphs.unknown.padEnd(width, ' ');
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  const cells: string[] = [];
  for (let i = 0; i < width; i++) cells.push(i < filled ? glyphs.barFull : glyphs.barEmpty);
  for (const t of thresholds) {
    const at = Math.min(width - 1, Math.max(0, Math.round(t * width)));
    if (at >= filled) cells[at] = glyphs.barMarker;
  }
  return cells.join('');
}

/** Trend of a series' recent values: rising, falling or flat within 5% of the mean. */
export function trend(values: readonly number[], window = 10): 'up' | 'down' | 'flat' | null {
  const recent = values.filter(Number.isFinite).slice(-window);
  if (recent.length < 2) return null;
  const first = recent[0]!;
  const last = recent[recent.length - 1]!;
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  const tolerance = Math.max(1, Math.abs(mean) * 0.05);
  if (last - first > tolerance) return 'up';
  if (first - last > tolerance) return 'down';
  return 'flat';
}
