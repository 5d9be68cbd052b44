import { describe, expect, it } from 'vitest';
import {
  ETA_WIDTH,
  formatCount,
  formatDuration,
  formatEta,
  formatPercent,
  formatRate,
} from '../../../source/ui/format.js';
import { ASCII_GLYPHS, bar, sparkline, trend, UNICODE_GLYPHS } from '../../../source/ui/glyphs.js';

describe('format', () => {
  it('compacts counts', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(34_000)).toBe('34k');
    expect(formatCount(3_400_000)).toBe('3.4M');
    expect(formatCount(999_999)).toBe('1.0M');
    expect(formatCount(null)).toBe('–');
  });
  it('formats durations with two units at most', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(250_000)).toBe('4m10s');
    expect(formatDuration(17 * 3600_000)).toBe('17h');
    expect(formatDuration(51 * 3600_000)).toBe('2d3h');
  });
  it('words ETAs and caps them so they fit their column', () => {
    // 28,505,857 years overflowed the column as `28505857…`.
    const texts = [
      formatEta({ kind: 'eta', ms: 9e17 }),
      formatEta({ kind: 'eta', ms: 7 * 24 * 3600_000 + 1 }),
      formatEta({ kind: 'eta', ms: 6 * 24 * 3600_000 + 23 * 3600_000 }),
      formatEta({ kind: 'keeping-up' }),
      formatEta({ kind: 'caught-up' }),
      formatEta({ kind: 'not-catching-up' }),
      formatEta({ kind: 'unknown' }),
    ];
    expect(texts).toEqual(['> 7d', '> 7d', '6d23h', 'keeping up', 'caught up', 'not catching up', '–']);
    expect(Math.max(...texts.map((t) => t.length))).toBe(ETA_WIDTH);
  });

  it('formats rates and honest percentages', () => {
    expect(formatRate(1500)).toBe('1.5k/s');
    expect(formatRate(2.25)).toBe('2.3/s');
    expect(formatPercent(1.87)).toBe('187%');
  });
});

describe('glyphs', () => {
  it('draws a sparkline scaled from zero, right-aligned, gaps for unknowns', () => {
    expect(sparkline([0, 7, 14], 5, UNICODE_GLYPHS)).toBe('  ▁▅█');
    expect(sparkline([0, Number.NaN, 14], 3, UNICODE_GLYPHS)).toBe('▁ █');
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, ASCII_GLYPHS)).toMatch(/^[_.,\-~=+#]{3}$/);
  });
  it('draws bars with threshold markers in the empty part', () => {
    expect(bar(0.1, 10, ASCII_GLYPHS, [0.2, 0.3])).toBe('#.||......');
    expect(bar(0.5, 10, ASCII_GLYPHS, [0.2, 0.3])).toBe('#####.....');
    expect(bar(1.9, 4, UNICODE_GLYPHS)).toBe('████');
  });
  it('classifies trends', () => {
    expect(trend([100, 200, 300])).toBe('up');
    expect(trend([300, 200, 100])).toBe('down');
    expect(trend([100, 101, 100])).toBe('flat');
    expect(trend([5])).toBeNull();
  });
});
