import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import { createModel } from '../../../source/model/index.js';
import type { ClusterModel } from '../../../source/model/types.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { isrEventsPane, isrPane } from '../../../source/ui/panes/isr.js';
import { cluster, partitionOf, step, topicOf } from '../../fixtures/snapshots/builders.js';
import { demoModels } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

/**
 * Broker 2 of 3 dies: it leaves the ISR of all 59 partitions (every one has it, RF 3) and the leadership
 * of the 20 it led (partitions 1, 4, 7, … of each topic).
 */
function brokerDeath(): ClusterModel {
  const s0 = cluster({ brokers: 3, topics: { pay: 6, audit: 3, __consumer_offsets: 50 } });
  topicOf(s0, '__consumer_offsets').internal = true;
  const s1 = step(s0, 2000, (d) => {
    d.brokers = d.brokers.filter((b) => b.id !== 2);
    for (const t of d.topics)
      for (const p of t.partitions) {
        p.isr = p.isr.filter((r) => r !== 2);
        if (p.leader === 2) p.leader = p.isr[0]!;
      }
  });
  const model = createModel({});
  for (const s of [s0, s1] as ClusterSnapshot[]) model.fold(s);
  return model.get();
}

const texts = (model: ClusterModel, options = { hideInternal: false, openStorms: [] as string[] }) =>
  isrPane(model, G, options).table.rows.map((r) => r.cells.map((c) => c.text).join(' | '));

let death: ClusterModel;
beforeAll(() => {
  death = brokerDeath();
});

describe('events as a story', () => {
  it('draws a 59-partition ISR shrink as one line with counts per topic, the user topics first', () => {
    expect(death.events.filter((e) => e.kind === 'isr-shrink')).toHaveLength(59);
    const rows = texts(death);
    const shrink = rows.filter((r) => r.includes('shrink'));
    expect(shrink).toHaveLength(1);
    expect(shrink[0]).toContain('shrink ×59');
    expect(shrink[0]).toMatch(/shrink ×59 \| ▸ left ISR: pay 6, audit 3, __consumer_offsets 50 \|.*\| 2$/);
    // One line per cause: the shrink, the leader moves, the broker itself.
    expect(rows.length).toBeLessThanOrEqual(3);
  });

  it('draws a storm in plain ASCII under --ascii', () => {
    const row = isrPane(death, ASCII_GLYPHS).table.rows.find((r) => r.cells[1]!.text.startsWith('shrink'))!;
    const line = row.cells.map((c) => c.text).join(' ');
    expect(line).toContain('shrink x59 + left ISR: pay 6');
    expect(line).toMatch(/^[\x20-\x7e]*$/);
  });

  it('draws leader moves, grouped by the broker they left', () => {
    expect(death.events.filter((e) => e.kind === 'leader-change')).toHaveLength(20);
    const leaders = texts(death).find((r) => r.includes('moved off 2'));
    expect(leaders).toContain('leader ×20');
    expect(leaders).toContain('moved off 2: pay 2, audit 1, __consumer_offsets 17');
    // Its broker is the one the leaders left, not one of those they moved to.
    expect(leaders).toMatch(/\| 2$/);
  });

  it('draws a lone leader move as its own line', () => {
    const s0 = cluster({ brokers: 3, topics: { pay: 3 } });
    const s1 = step(s0, 2000, (d) => {
      partitionOf(d, 'pay', 0).leader = 2;
    });
    const model = createModel({});
    model.fold(s0);
    const m = model.fold(s1);
    expect(texts(m)).toEqual([expect.stringMatching(/leader \| pay-0 \| 1→2 \| 2$/)]);
  });

  it('opens a storm into its partitions, user topics first, and closes it again', () => {
    const storm = isrPane(death, G).table.rows.find((r) => r.cells[1]!.text === 'shrink ×59')!;
    const open = texts(death, { hideInternal: false, openStorms: [storm.id] });
    const partitions = open
      .filter((r) => /shrink \|\s+\S+-\d+/.test(r))
      .map((r) => r.split(' | ')[2]!.trim());
    expect(partitions).toHaveLength(59);
    expect(partitions.slice(0, 9)).toEqual([
      'pay-0',
      'pay-1',
      'pay-2',
      'pay-3',
      'pay-4',
      'pay-5',
      'audit-0',
      'audit-1',
      'audit-2',
    ]);
    expect(partitions[9]).toBe('__consumer_offsets-0');
    expect(texts(death)).toHaveLength(texts(death, { hideInternal: false, openStorms: [] }).length);
    // Still open with internal topics hidden: the storm is known by its cause, not by its newest event.
    const hidden = texts(death, { hideInternal: true, openStorms: [storm.id] });
    expect(hidden.some((r) => r.includes('shrink ×9 | ▾ left ISR: pay 6, audit 3 |'))).toBe(true);
  });

  it('leaves internal topics out when they are hidden, and says so', () => {
    const options = { hideInternal: true, openStorms: [] };
    expect(texts(death, options).some((r) => r.includes('shrink ×9 | ▸ left ISR: pay 6, audit 3 |'))).toBe(
      true,
    );
    expect(texts(death, options).join('\n')).not.toContain('__consumer_offsets');
    expect(isrEventsPane.content(death, G, options).summary).toContain('internal hidden');
    expect(isrEventsPane.content(death, G, { hideInternal: false, openStorms: [] }).summary).not.toContain(
      'internal',
    );
  });

  it('draws alerts firing and resolved, with value against threshold', async () => {
    const model = (await demoModels('broker-failure', 11))[10]!;
    const rows = texts(model);
    expect(rows.some((r) => /✖ ALERT \| UnderReplicatedPartitions\(broker:1\) \| \d+ vs 0/.test(r))).toBe(
      true,
    );
    expect(rows.some((r) => /resolved \| UnderMinIsrPartitions\(cluster\) \| 0 after \d+s/.test(r))).toBe(
      true,
    );
  });
});

describe('a storm in the ISR pane', () => {
  let rendered: Rendered | undefined;
  afterEach(() => {
    rendered?.unmount();
    rendered = undefined;
  });

  it('draws the story over the PARTITION and ISR columns, so the counts per topic fit a half-width pane', async () => {
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(death);
    const frame = plain(await rendered.waitFor((f) => f.includes('shrink ×59')));
    const line = frame.split('\n').find((l) => l.includes('shrink ×59'))!;
    // The left of the grid's second row: without the span, PARTITION kept 16 cells and ISR 15 empty ones.
    expect(line).toMatch(/shrink ×59 ▸ left ISR: pay 6, audit 3, __consumer_offsets 50 +2 *│/);
  });

  it('opens with e and with enter, and i hides the internal topics', async () => {
    rendered = await renderApp({ columns: 200, rows: 60 });
    rendered.store.setModel(death);
    await rendered.waitFor((f) => f.includes('left ISR: pay 6, audit 3, __consumer_offsets 50'));
    await rendered.press('3');
    // The storm is the newest line (the shrinks come after the broker-down in the fold).
    const lines = (f: string) => plain(f).split('\n');
    const select = async () => {
      for (let i = 0; i < 5 && !lines(rendered!.lastFrame()).some((l) => /^▶ .*left ISR/.test(l)); i++)
        await rendered!.press('j');
    };
    await select();
    const opened = await rendered.press('e');
    expect(lines(opened).filter((l) => /shrink\s+__consumer_offsets-\d+/.test(l)).length).toBeGreaterThan(0);
    expect(plain(opened)).toContain('▾ left ISR');
    const closed = await rendered.press('\r');
    expect(plain(closed)).toContain('▸ left ISR');
    expect(lines(closed).filter((l) => /shrink\s+pay-\d+/.test(l))).toHaveLength(0);
    const hidden = plain(await rendered.press('i'));
    expect(hidden).toContain('internal hidden');
    expect(hidden).toMatch(/shrink ×9\s+▸ left ISR: pay 6, audit 3\s/);
  });
});
