/** Transaction-aware lag on screen: the part past the last stable offset beside the lag, and why it is OK. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../../source/model/types.js';
import { INITIAL_NAV, type NavState } from '../../../source/ui/navigation.js';
import { cluster, groupPartitionOf, partitionOf, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll } from '../model/helpers.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

/** A read_committed consumer at the last stable offset 100, pinned by a transaction held open. */
function pinnedModel(stuckLsoMs?: number): ClusterModel {
  const base = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });
  const snaps = steps(base, 10, 10_000, (d, i) => {
    const p = partitionOf(d, 'orders', 0);
    p.logEndOffset = 100 + (i + 1) * 21;
    p.lastStableOffset = 100;
    groupPartitionOf(d, 'app', 'orders', 0).committedOffset = 100;
  });
  return foldAll([base, ...snaps], stuckLsoMs === undefined ? {} : { stuckLsoMs }).model;
}

async function show(frame: NavState['stack'][number], stuckLsoMs?: number): Promise<string> {
  const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, frame] };
  rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
  rendered.store.setModel(pinnedModel(stuckLsoMs));
  return plain(await rendered.waitFor((f) => f.includes('LSO')));
}

describe('transaction-aware lag on screen', () => {
  it('the group view: lag with the part past the LSO beside it, status OK and why', async () => {
    const frame = await show({ kind: 'group', groupId: 'app' });
    expect(frame).toContain('210 past the LSO (open transactions)');
    expect(frame).toContain('210 (210 past LSO)');
    expect(frame).toContain('caught up to the last stable offset');
    expect(frame).not.toMatch(/STALL|STOP/);
  });

  it('the group view: a consumer held at a stuck LSO reads WARN, stalled, with the time it stuck', async () => {
    const frame = await show({ kind: 'group', groupId: 'app' }, 30_000);
    expect(frame).toMatch(/WARN\s+orders-0: stalled: LSO stuck \(open transaction since \d\d:\d\d:\d\d\)/);
    expect(frame).not.toContain('caught up to the last stable offset');
  });

  it('the topic-partition view: the last stable offset and what the open transactions hold', async () => {
    const frame = await show({ kind: 'topicPartition', topic: 'orders', partition: 0 });
    expect(frame).toContain('last stable 100 (210 in open transactions)');
    expect(frame).toContain('210 (210 past LSO)');
  });
});
