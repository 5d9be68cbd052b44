import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import type { AlertState, ClusterModel } from '../../../source/model/types.js';
import { UNICODE_GLYPHS } from '../../../source/ui/glyphs.js';
import type { UiState } from '../../../source/ui/store.js';
import { fitSegments, type HeaderSegment, headerLines } from '../../../source/ui/view-models/header.js';
import { demoModels } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

/** broker-failure at its 11th refresh: broker 4 down, UnderReplicatedPartitions firing on brokers 1-3. */
let failing: ClusterModel;
beforeAll(async () => {
  failing = (await demoModels('broker-failure', 11))[10]!;
});

const UI: UiState = { model: null, label: 'test', intervalMs: 2000, replay: null, recording: null };
const text = (segments: readonly HeaderSegment[]) => segments.map((s) => s.text).join('  ');

describe('header, worst first', () => {
  it.each([
    [80, 24],
    [120, 40],
  ])('at %ix%i names the down broker and the firing alert on the first line', async (columns, rows) => {
    expect(failing.brokers.filter((b) => !b.up).map((b) => b.id)).toEqual([4]);
    rendered = await renderApp({ columns, rows });
    rendered.store.setModel(failing);
    const frame = plain(await rendered.waitFor((f) => f.includes('under min ISR') && f.includes('URP 82')));
    const first = frame.split('\n')[0]!;
    expect(first).toContain('✖ broker 4 DOWN');
    expect(first).toContain('UnderReplicatedPartitions(broker:1,broker:2,broker:3)');
    expect([...first].length).toBeLessThanOrEqual(columns);
  });

  it('puts the counts after the problems, and drops them before any problem', () => {
    const [line1] = headerLines(failing, UI, 0, false, UNICODE_GLYPHS);
    const wide = text(fitSegments(line1, 200, '…'));
    expect(wide.indexOf('broker 4 DOWN')).toBeLessThan(wide.indexOf('partitions'));
    expect(wide).toContain('12 groups 9 topics 110 partitions');
    const narrow = text(fitSegments(line1, 80, '…'));
    expect(narrow).not.toContain('partitions');
    expect(narrow).toContain('broker 4 DOWN');
  });

  it('names every down broker, and counts those past four', () => {
    const down = (n: number) => ({
      ...failing,
      brokers: Array.from({ length: 8 }, (_, i) => ({ ...failing.brokers[0]!, id: i + 1, up: i >= n })),
    });
    const first = (n: number) =>
      text(fitSegments(headerLines(down(n), UI, 0, false, UNICODE_GLYPHS)[0], 80, '…'));
    expect(first(2)).toContain('✖ brokers 1,2 DOWN');
    expect(first(6)).toContain('✖ 6 brokers DOWN: 1,2,3,4 +2 more');
  });

  it('an unknown controller and cluster id read –, never ?', () => {
    const unknown = { ...failing, controllerId: null, clusterId: null, quorum: null };
    const [line1] = headerLines(unknown, UI, 0, false, UNICODE_GLYPHS);
    const wide = text(fitSegments(line1, 400, '…'));
    expect(wide).toContain('controller –');
    expect(wide).toContain('cluster –');
    expect(wide).not.toContain('?');
  });

  it('summarises alerts that do not fit as +N more, and never cuts an id', () => {
    const base = failing.alerts.find((a) => a.phase === 'firing')!;
    const alerts: AlertState[] = Array.from({ length: 8 }, (_, i) => ({
      ...base,
      rule: { ...base.rule, name: `SomeLongAlertName${i}` },
      instances: [{ subject: `broker:${i}`, phase: 'firing', since: base.since!, value: 1 }],
    }));
    const model = { ...failing, alerts };
    const [line1] = headerLines(model, UI, 0, false, UNICODE_GLYPHS);
    for (const width of [80, 120, 200]) {
      const fitted = fitSegments(line1, width, '…');
      expect(text(fitted).length).toBeLessThanOrEqual(width);
      // Whole segments only: each kept one is a segment as built, or the count of the rest.
      const built = new Set(line1.map((s) => s.text));
      for (const s of fitted) expect(built.has(s.text) || /^\+\d+ more$/.test(s.text)).toBe(true);
      const shown = fitted.filter((s) => s.text.includes('SomeLongAlertName')).length;
      const more = Number(/\+(\d+) more/.exec(text(fitted))?.[1] ?? 0);
      expect(shown + more).toBe(8);
      expect(text(fitted)).toContain('broker 4 DOWN');
    }
    expect(text(fitSegments(line1, 80, '…'))).toMatch(/\+\d+ more/);
  });
});

describe('header, not settled', () => {
  // The model's own list, as settledState makes it: at most five reasons, then "and N more".
  const reasons = [
    'broker 4 down',
    '82 under-replicated partitions',
    'group order-service PreparingRebalance',
    'group fraud-detector lag rising',
    'group billing CompletingRebalance',
    'and 2 more',
  ];
  it.each([80, 120, 200])('at %i columns keeps whole reasons and counts the rest', (width) => {
    const model: ClusterModel = { ...failing, settled: { settled: false, reasons } };
    const [, line2] = headerLines(model, UI, failing.dataAge.takenAtMs!, false, UNICODE_GLYPHS);
    const line = text(fitSegments(line2, width, '…'));
    expect(line.length).toBeLessThanOrEqual(width);
    expect(line).not.toContain('…');
    const shown = /not settled: (.*?)(?:; )?(?:\+(\d+) more)?$/.exec(line)!;
    const kept = shown[1] ? shown[1].split('; ') : [];
    expect(kept).toEqual(reasons.slice(0, kept.length));
    if (shown[2] === undefined) {
      expect(kept).toEqual(reasons);
    } else {
      // The model ends its list with "and N more": the header counts those with the ones it leaves out.
      const total = reasons.length - 1 + Number(/^and (\d+) more$/.exec(reasons.at(-1)!)![1]);
      expect(kept.length + Number(shown[2])).toBe(total);
    }
    if (width === 80) expect(shown[2]).toBeDefined();
  });
});

describe('header, what is being looked at', () => {
  it('says FROZEN at the time of the data, and not late, while frozen', async () => {
    const takenAtMs = failing.dataAge.takenAtMs!;
    // A minute after the data was taken: live, it would be late.
    rendered = await renderApp({ store: { clock: () => takenAtMs + 60_000 } });
    rendered.store.setModel(failing);
    await rendered.waitFor((f) => f.includes('(late)'));
    const frozen = plain(await rendered.press('f')).split('\n')[1]!;
    expect(frozen).toContain(`FROZEN at ${new Date(takenAtMs).toISOString().slice(11, 19)}`);
    expect(frozen).not.toContain('late');
    expect(frozen).not.toContain(' old');
  });

  it('in a replay shows position, END and the replay warning, and never late data', () => {
    const ui: UiState = {
      ...UI,
      replay: {
        paused: false,
        speed: 4,
        index: 99,
        total: 100,
        ended: true,
        warning: 'corrupt tail skipped',
      },
    };
    const [, line2] = headerLines(failing, ui, failing.dataAge.takenAtMs! + 600_000, false, UNICODE_GLYPHS);
    const line = text(fitSegments(line2, 120, '…'));
    expect(line).toContain('REPLAY 100/100 END');
    expect(line).toContain('corrupt tail skipped');
    expect(line).not.toMatch(/late|old|data at/);
    const playing = headerLines(
      failing,
      { ...ui, replay: { ...ui.replay!, index: 4, ended: false } },
      0,
      false,
      UNICODE_GLYPHS,
    );
    expect(text(playing[1])).toContain('REPLAY 5/100 x4');
  });

  it('shows REC while recording, first to stay at 80 columns', () => {
    const ui: UiState = { ...UI, recording: { path: '/tmp/x.ndjson' } };
    const [, line2] = headerLines(failing, ui, 0, false, UNICODE_GLYPHS);
    expect(text(fitSegments(line2, 80, '…'))).toContain('REC');
    expect(text(headerLines(failing, UI, 0, false, UNICODE_GLYPHS)[1])).not.toContain('REC');
  });
});
