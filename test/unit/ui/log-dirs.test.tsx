/** Disk on screen: each broker's log dirs with their headroom, sizes in the topic views, errors as events. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../../source/model/types.js';
import { UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { INITIAL_NAV, type NavState } from '../../../source/ui/navigation.js';
import { isrEventsPane } from '../../../source/ui/panes/isr.js';
import { brokerOf, cluster, partitionOf, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll } from '../model/helpers.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

const GB = 1e9;

/** 12 minutes at 2 s; broker 1's log dir loses 5 MB/s from 200 GB of 1 TB; its dir on /d2 fails at the end. */
function diskModel(): ClusterModel {
  const base = cluster({ brokers: 1, topics: { orders: 2 } });
  const snaps = steps(base, 360, 2000, (d, i) => {
    const t = (i + 1) * 2;
    brokerOf(d, 1).logDirs = [
      {
        path: '/d1',
        totalBytes: 1000 * GB,
        usableBytes: 200 * GB - (t - (t % 30)) * 5e6,
        cordoned: false,
        error: null,
      },
      {
        path: '/d2',
        totalBytes: 1000 * GB,
        usableBytes: null,
        cordoned: false,
        error: i === 359 ? 'KAFKA_STORAGE_ERROR' : null,
      },
    ];
    partitionOf(d, 'orders', 0).sizeBytes = 1_500_000;
    partitionOf(d, 'orders', 1).sizeBytes = 500_000;
  });
  return foldAll([base, ...snaps]).model;
}

async function show(frame: NavState['stack'][number], until: string): Promise<string> {
  const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, frame] };
  rendered = await renderApp({ columns: 140, rows: 30, initialNav: nav });
  rendered.store.setModel(diskModel());
  return plain(await rendered.waitFor((f) => f.includes(until)));
}

describe('disk on screen', () => {
  it('the broker view: usable of total, the rate, full in, and a failed dir', async () => {
    const frame = await show({ kind: 'broker', brokerId: 1 }, 'log dir /d1');
    const d1 = frame.split('\n').find((l) => l.includes('log dir /d1'))!;
    expect(d1).toMatch(/log dir \/d1 {2}196GB usable of 1\.0TB \(20%\) {2}\+5\.0MB\/s {2}▲ full in 10h5\dm/);
    expect(frame).toMatch(/log dir \/d2 {2}✖ KAFKA_STORAGE_ERROR/);
  });

  it('the topic and its partition: sizes on the leaders', async () => {
    expect(await show({ kind: 'topic', topic: 'orders' }, 'size')).toContain('size 2.0MB');
  });

  it('the ISR pane: a log dir going offline', () => {
    const content = isrEventsPane.content(diskModel(), G, { hideInternal: false, openStorms: [] });
    expect(content.table.rows[0]!.cells.map((c) => c.text).slice(1, 4)).toEqual([
      'LOG DIR',
      '/d2',
      'KAFKA_STORAGE_ERROR',
    ]);
  });
});
