import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });

import { helpLayout, wrapWords } from '../../../source/ui/components/help.js';
import { helpRows, type ViewKind } from '../../../source/ui/keymap.js';
import { demoModel } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

const VIEWS: ViewKind[] = ['overview', 'group', 'partition', 'broker', 'topic', 'topics', 'quorum'];
// 80x24: the body between a two-line header and the footer, less the help's title and status lines.
const ROOM_80x24 = 24 - 1 - 2 - 1 - 2;

describe('help at 80x24', () => {
  it.each(VIEWS.flatMap((view) => [false, true].map((replay) => [view, replay] as const)))(
    'lists every binding of %s (replay %s) whole, wrapped within its column',
    (view, replay) => {
      const rows = helpRows({ view, replay });
      const layout = helpLayout(rows, 80, ROOM_80x24);
      const entries = layout.columns.flat();
      expect(entries.map((e) => e.label)).toEqual(rows.map((b) => b.label));
      for (const column of layout.columns) {
        expect(column.reduce((n, e) => n + e.lines.length, 0)).toBeLessThanOrEqual(ROOM_80x24);
      }
      for (const [i, e] of entries.entries()) {
        const text = e.lines.join(' ');
        // The whole description, or its gist (what comes before a parenthesis or semicolon).
        expect(rows[i]!.description.startsWith(text)).toBe(true);
        expect(text.length).toBeGreaterThanOrEqual(rows[i]!.description.search(/ \(|;|$/));
        for (const line of e.lines)
          expect(line.length).toBeLessThanOrEqual(layout.columnWidth - layout.labelWidth - 1);
      }
    },
  );

  it('wraps on words', () => {
    expect(wrapWords('Open the selected group, broker, partition or topic', 26)).toEqual([
      'Open the selected group,',
      'broker, partition or topic',
    ]);
  });

  it('on screen with the replay keys: nothing cut, within the frame', async () => {
    const replay = { pause: vi.fn(), resume: vi.fn(), step: vi.fn(), seek: vi.fn(), setSpeed: vi.fn() };
    rendered = await renderApp({ columns: 80, rows: 24, store: { replay } });
    rendered.store.setModel(await demoModel('rolling-deploy', 40));
    rendered.store.setReplay({ paused: false, speed: 1, index: 4, total: 100, ended: false, warning: null });
    await rendered.waitFor((f) => f.includes('REPLAY'));
    const frame = plain(await rendered.press('?')).split('\n');
    const body = frame.slice(
      frame.findIndex((l) => l.startsWith('Keys (overview, replay)')),
      -1,
    );
    expect(body.length).toBeGreaterThan(ROOM_80x24);
    expect(body.join('\n')).not.toContain('…');
    for (const label of ['q', 'PgDn ctrl-f', 'space', ']', 't']) {
      expect(body.some((l) => l.startsWith(`${label} `) || l.includes(`  ${label} `))).toBe(true);
    }
    expect(body.join('\n')).toContain('Seek forward 10 snapshots');
    expect(frame.length).toBeLessThanOrEqual(23);
  });
});
