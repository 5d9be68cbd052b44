/**
 * Kafka 4 groups and the quorum on screen: the groups pane shows each group's type and a member count
 * that reads as one (never `848`), the group view its epochs, the broker view its place in the quorum,
 * and the rebalance pane a stuck member.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import { createModel } from '../../../source/model/index.js';
import type { ClusterModel } from '../../../source/model/types.js';
import type { ClusterSnapshot, GroupSnapshot, MemberSnapshot } from '../../../source/snapshot.js';
import { cluster, groupOf, step } from '../../fixtures/snapshots/builders.js';
import { KEYS, plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

const member = (id: string, epoch: number, current: number[], target: number[]): MemberSnapshot => ({
  memberId: id,
  clientId: `client-${id}`,
  host: '/127.0.0.1',
  memberEpoch: epoch,
  assignment: current.length ? [{ topic: 'orders', partitions: current }] : [],
  targetAssignment: target.length ? [{ topic: 'orders', partitions: target }] : [],
});

function kafka4(d: ClusterSnapshot): void {
  Object.assign(groupOf(d, 'cg'), {
    type: 'consumer',
    consumerProtocol: true,
    protocol: 'uniform',
    state: 'Reconciling',
    groupEpoch: 4,
    assignmentEpoch: 4,
    members: [member('A', 3, [3, 4, 5], [3, 4]), member('C', 4, [], [2, 5]), member('B', 4, [0, 1], [0, 1])],
  } satisfies Partial<GroupSnapshot>);
  Object.assign(groupOf(d, 'sg'), {
    type: 'share',
    protocolType: 'share',
    protocol: 'simple',
    groupEpoch: 7,
    assignmentEpoch: 7,
  });
  // A Kafka 4.1 broker: start offsets, no lag.
  const sg = groupOf(d, 'sg');
  for (const p of sg.partitions) Object.assign(p, { committedOffset: null, startOffset: 5, lag: null });
  sg.totalLag = 0;
  // A consumer-protocol group only DescribeGroups saw (a broker without ConsumerGroupDescribe).
  Object.assign(groupOf(d, 'old848'), {
    consumerProtocol: true,
    state: 'Unknown',
    protocol: '',
    members: [],
  });
  d.quorum = {
    leaderId: 0,
    leaderEpoch: 3,
    highWatermark: 900,
    voters: [{ id: 0, logEndOffset: 900, lag: 0, lastFetchTimestamp: null, lastCaughtUpTimestamp: null }],
    observers: [
      { id: 1, logEndOffset: 900, lag: 0, lastFetchTimestamp: 50_000, lastCaughtUpTimestamp: 50_000 },
      { id: 2, logEndOffset: 700, lag: 200, lastFetchTimestamp: 49_000, lastCaughtUpTimestamp: 20_000 },
    ],
  };
  d.controllerId = 0;
}

function models(): ClusterModel {
  const s0 = cluster({
    topics: { orders: 6 },
    groups: {
      cg: { topic: 'orders', members: 3 },
      sg: { topic: 'orders', members: 2 },
      old848: { topic: 'orders', members: 0 },
    },
  });
  const model = createModel({});
  let m = model.fold(step(s0, 0, kafka4));
  // The first A-behind-alone refresh, then 16 s later: A is stuck.
  for (let i = 0; i < 9; i++) m = model.fold(step(m.snapshot!, 2000, kafka4));
  return m;
}

describe('Kafka 4 groups on screen', () => {
  it('the groups pane shows the type and real member counts: 3, 2, and – for unknown (never ? or 848)', async () => {
    // Expanded (e): every column of the pane, MBR included.
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(models());
    await rendered.waitFor((f) => f.includes('[share]'));
    const frame = plain(await rendered.press('e'));
    const row = (id: string) => frame.split('\n').find((l) => new RegExp(`[●▲✖] \\w+ +${id} `).test(l))!;
    expect(row('cg')).toContain('cg [consumer] (Reconciling)');
    expect(row('sg')).toContain('sg [share]');
    // Its lag unknown (a 4.1 broker computes none): –, never 0.
    expect(row('sg')).toMatch(/sg \[share\] +– /);
    expect(row('cg')).toMatch(/\s3\s+\d+\s*│?\s*$/);
    expect(row('sg')).toMatch(/\s2\s+\d+\s*│?\s*$/);
    expect(row('old848')).toContain('old848 [consumer]');
    expect(row('old848')).toMatch(/\s–\s+\d+\s*│?\s*$/);
    expect(row('old848')).not.toMatch(/\s\?\s/);
    expect(frame).not.toMatch(/\s848\s/);
  });

  it('the group view shows the type, the epochs and partitions pending revocation', async () => {
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(models());
    await rendered.waitFor((f) => f.includes('[share]'));
    // Worst first: find cg's row and open it.
    let frame = plain(rendered.lastFrame());
    for (let i = 0; i < 5 && !/›.*\bcg\b|▶.*\bcg\b|>.*\bcg\b/.test(frame); i++)
      frame = plain(await rendered.press(KEYS.down));
    frame = plain(await rendered.press(KEYS.enter));
    frame = plain(await rendered.waitFor((f) => f.includes('epoch 4/4')));
    expect(frame).toContain('type consumer');
    expect(frame).toContain('1 partition(s) pending revocation'); // orders-5: C's target, A's current
    expect(frame).toContain('members 3');
  });

  it('the header names the quorum’s controller with its epoch; the brokers pane the voters and a broker behind', async () => {
    rendered = await renderApp({ columns: 160, rows: 40 });
    rendered.store.setModel(models());
    const frame = plain(await rendered.waitFor((f) => f.includes('[share]')));
    expect(frame.split('\n')[0]).toContain('controller 0 epoch 3');
    expect(frame).toContain('quorum (Q): voters 0, metadata behind on 2');
  });

  it('the broker view shows its place in the quorum: lag, last fetch, falling behind', async () => {
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(models());
    await rendered.waitFor((f) => f.includes('[share]'));
    await rendered.press(KEYS.tab); // the brokers pane
    let frame = plain(await rendered.press(KEYS.down, KEYS.enter));
    frame = plain(await rendered.waitFor((f) => f.includes('metadata observer')));
    expect(frame).toContain('broker 2');
    expect(frame).toContain('metadata observer: lag 200, fetched 1s ago');
    expect(frame).toContain('metadata falling behind');
  });

  it('the share group’s view says its offsets are start offsets, and its lag is unknown, not 0', async () => {
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(models());
    await rendered.waitFor((f) => f.includes('[share]'));
    let frame = plain(rendered.lastFrame());
    for (let i = 0; i < 3 && !/▶ ● \w+ +sg /.test(frame); i++) frame = plain(await rendered.press(KEYS.down));
    frame = plain(await rendered.press(KEYS.enter));
    frame = plain(await rendered.waitFor((f) => f.includes('group sg')));
    expect(frame).toContain('type share');
    expect(frame).toContain('committed = share-partition start offset');
    expect(frame).toContain('lag –');
    expect(frame).toMatch(/orders-0 +5 /);
  });
});
