import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });

import { plotSeries, timeAxis } from '../../../source/ui/components/chart.js';
import { formatClock } from '../../../source/ui/format.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../../source/ui/glyphs.js';
import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { demoModel } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

/** The characters each series drew, past the labels and axis. */
function drawnBy(series: readonly (readonly number[])[], ascii: boolean): Set<string>[] {
  const sets = series.map(() => new Set<string>());
  for (const line of plotSeries(series, 6, ascii ? ASCII_GLYPHS : UNICODE_GLYPHS)) {
    [...line.text].forEach((ch, i) => {
      const who = line.series[i]!;
      if (who >= 0) sets[who]!.add(ch);
    });
  }
  return sets;
}

describe('charts', () => {
  const rising = [1, 2, 3, 4, 5, 6, 7, 8];
  const falling = [8, 7, 6, 5, 4, 3, 2, 1];

  it('draw two lines in strokes told apart without colour', () => {
    const [a, b] = drawnBy([rising, falling], false);
    expect(a!.has('─') || a!.has('│')).toBe(true);
    expect(b!.has('┄') || b!.has('┆')).toBe(true);
    expect(a!.has('┄') || a!.has('┆')).toBe(false);
    expect(b!.has('─') || b!.has('│')).toBe(false);
  });

  it('and in ASCII', () => {
    const [a, b] = drawnBy([rising, falling], true);
    for (const ch of a!) expect('-|/\\+').toContain(ch);
    for (const ch of b!) expect('.:+').toContain(ch);
    expect(b!.size).toBeGreaterThan(0);
  });

  it('label the time axis at the start, middle and end', () => {
    const times = Array.from({ length: 40 }, (_, i) => Date.parse('2025-03-12T08:30:00Z') + i * 10_000);
    const axis = timeAxis(times, 40, 120);
    expect(axis.trim().split(/\s+/)).toEqual([
      formatClock(times[0]!),
      formatClock(times[19]!),
      formatClock(times[39]!),
    ]);
    // The first point is drawn on the axis (column 7), the last 39 columns to its right.
    expect(axis.indexOf(formatClock(times[0]!))).toBe(7);
    expect(axis.length).toBe(7 + 39 + 1);
  });

  it('the broker view reads with --no-color --ascii: a legend per line style and a time axis', async () => {
    const model = await demoModel('rolling-deploy', 40);
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'broker', brokerId: 1 } as const] };
    rendered = await renderApp({ columns: 120, rows: 40, ascii: true, color: false, initialNav: nav });
    rendered.store.setModel(model);
    const frame = plain(await rendered.waitFor((f) => f.includes('Idle %')));
    expect(frame).toContain('-- request handler  .. network');
    expect(frame).toMatch(/^ {7}\d\d:\d\d:\d\d +\d\d:\d\d:\d\d +\d\d:\d\d:\d\d$/m);
  });
});
