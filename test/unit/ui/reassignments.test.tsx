/** A moving partition on screen: reassigning, not URP, in the ISR pane, the topic and its partition. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../../source/model/types.js';
import { UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { INITIAL_NAV, type NavState } from '../../../source/ui/navigation.js';
import { isrEventsPane } from '../../../source/ui/panes/isr.js';
import { cluster, partitionOf, step } from '../../fixtures/snapshots/builders.js';
import { foldAll } from '../model/helpers.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

function movingModel(): ClusterModel {
  const s0 = cluster({ brokers: 3, topics: { orders: 2 } });
  const at = (d: typeof s0, replicas: number[], isr: number[]) => {
    const p = partitionOf(d, 'orders', 0);
    p.replicas = replicas;
    p.isr = isr;
    p.leader = 1;
  };
  const s1 = step(s0, 2000, (d) => at(d, [1, 2], [1, 2]));
  const s2 = step(s1, 2000, (d) => {
    at(d, [3, 2, 1], [1, 2]);
    partitionOf(d, 'orders', 0).reassignment = { adding: [3], removing: [1], copiedBytes: 2_500_000 };
    partitionOf(d, 'orders', 0).sizeBytes = 10_000_000;
  });
  return foldAll([s0, s1, s2]).model;
}

async function show(frame: NavState['stack'][number], until: string): Promise<string> {
  const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, frame] };
  rendered = await renderApp({ columns: 140, rows: 30, initialNav: nav });
  rendered.store.setModel(movingModel());
  return plain(await rendered.waitFor((f) => f.includes(until)));
}

describe('reassignments on screen', () => {
  it('the ISR pane: the start as an event, counted as reassigning, not URP', () => {
    const content = isrEventsPane.content(movingModel(), G, { hideInternal: false, openStorms: [] });
    expect(content.summary).toMatch(/^URP 0 {2}reassigning 1 {2}/);
    const row = content.table.rows.map((r) => r.cells.map((c) => c.text).join(' | '))[0];
    expect(row).toContain('moving | orders-0 | +[3] -[1]');
  });

  it('the topic view: MOVING, the new replica + rather than out of the ISR', async () => {
    const frame = await show({ kind: 'topic', topic: 'orders' }, 'MOVING');
    const line = frame.split('\n').find((l) => l.includes('orders-0') && l.includes('MOVING'))!;
    expect(line).not.toContain('URP');
    expect(line).toContain('+');
  });

  it('the partition: what is being added and removed', async () => {
    const frame = await show({ kind: 'topicPartition', topic: 'orders', partition: 0 }, 'reassigning');
    expect(frame).toContain('reassigning: adding [3] removing [1], copied 2.5MB of 10MB (25%)');
    expect(frame.split('\n').find((l) => l.includes('reassigning'))).not.toContain('URP');
  });
});
