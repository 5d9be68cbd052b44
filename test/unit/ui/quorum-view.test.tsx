/**
 * The quorum view (Q): every voter and observer as `kafka-metadata-quorum.sh describe --replication` prints
 * them, dedicated controllers included; a voter behind flagged; the majority judged; enter opens a broker;
 * a cluster without DescribeQuorum says so.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import { createModel } from '../../../source/model/index.js';
import type { ClusterModel } from '../../../source/model/types.js';
import type { ClusterSnapshot, QuorumReplicaSnapshot } from '../../../source/snapshot.js';
import { KEYMAP } from '../../../source/ui/keymap.js';
import { QUORUM_KEY } from '../../../source/ui/view-models/kafka4.js';
import { QUORUM_NOT_SERVED } from '../../../source/ui/views/quorum.js';
import { cluster, step } from '../../fixtures/snapshots/builders.js';
import { demoModel } from './fixtures.js';
import { KEYS, plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

const NOW = 1_000_000;
const replica = (id: number, logEndOffset: number, fetchedAgo: number | null, caughtUpAgo: number | null) =>
  ({
    id,
    logEndOffset,
    lag: Math.max(0, 950 - logEndOffset),
    lastFetchTimestamp: fetchedAgo === null ? null : NOW - fetchedAgo,
    lastCaughtUpTimestamp: caughtUpAgo === null ? null : NOW - caughtUpAgo,
  }) satisfies QuorumReplicaSnapshot;

/**
 * Dedicated controllers 3001-3003 (3001 leads, its log end 1,000 past the high watermark 950), 3003 a
 * voter 30 s behind; brokers 1-3 observe, broker 2 behind.
 */
function withQuorum(voterBehind: 'one' | 'two'): (d: ClusterSnapshot) => void {
  return (d) => {
    d.quorum = {
      leaderId: 3001,
      leaderEpoch: 7,
      highWatermark: 950,
      voters: [
        replica(3001, 1_000, null, null),
        voterBehind === 'two' ? replica(3002, 400, 200, 20_000) : replica(3002, 1_000, 120, 120),
        replica(3003, 300, 250, 30_000),
      ],
      observers: [replica(1, 1_000, 0, 0), replica(2, 600, 90, 25_000), replica(3, 990, 300, 2_000)],
    };
    d.controllerId = 3001;
  };
}

function quorumModel(voterBehind: 'one' | 'two' = 'one'): ClusterModel {
  const s0 = cluster({ topics: { orders: 3 } });
  return createModel({}).fold(step(s0, 2000, withQuorum(voterBehind)));
}

const rowOf = (frame: string, node: number) =>
  frame.split('\n').find((l) => new RegExp(`^\\W*${node} +(Leader|Follower|Observer)`).test(l)) ?? '';

async function openQuorum(model: ClusterModel, columns: number, rows: number): Promise<string> {
  rendered = await renderApp({ columns, rows });
  rendered.store.setModel(model);
  await rendered.waitFor((f) => /brokers [1-9]/.test(f));
  await rendered.press(QUORUM_KEY);
  return plain(await rendered.waitFor((f) => /› quorum|quorum\s*$/m.test(plain(f)) && f.includes('NODE')));
}

describe('the quorum view', () => {
  it('at 120x40: the leader line, every replica voters first, lag against the leader’s log end, ages, status', async () => {
    const frame = await openQuorum(quorumModel(), 120, 40);
    expect(frame).toContain('leader 3001');
    expect(frame).toContain('epoch 7');
    expect(frame).toContain('high watermark 950');
    expect(frame).toContain('voters 3: majority caught up (2/3)');
    expect(frame).toContain('observers 3');
    for (const title of ['NODE', 'ROLE', 'LOG END OFFSET', 'LAG', 'LAST FETCH', 'LAST CAUGHT UP', 'STATUS'])
      expect(frame).toContain(title);
    const lines = frame.split('\n');
    const order = [3001, 3002, 3003, 1, 2, 3].map((id) => lines.indexOf(rowOf(frame, id)));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(rowOf(frame, 3001)).toMatch(/3001 +Leader +1,000 +0 +– +– +● OK/);
    expect(rowOf(frame, 3002)).toMatch(/3002 +Follower \(voter\) +1,000 +0 +120ms ago +120ms ago +● OK/);
    // A dedicated controller behind: its lag is the leader's log end minus its own (1,000 − 300), as the tool prints it.
    expect(rowOf(frame, 3003)).toMatch(/3003 +Follower \(voter\) +300 +700 +250ms ago +30s ago +▲ behind/);
    expect(rowOf(frame, 2)).toMatch(/2 +Observer +600 +400 +90ms ago +25s ago +▲ behind/);
    expect(rowOf(frame, 3)).toMatch(/3 +Observer +990 +10 +300ms ago +2s ago +● OK/);
  });

  it('at 80x24: every row and the status whole, the header line flowed within the width', async () => {
    const frame = await openQuorum(quorumModel(), 80, 24);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('leader 3001');
    expect(frame).toContain('majority caught up (2/3)');
    for (const id of [3001, 3002, 3003, 1, 2, 3]) expect(rowOf(frame, id)).not.toBe('');
    expect(rowOf(frame, 3003)).toContain('▲ behind');
    expect(rowOf(frame, 3003)).toContain('700');
    expect(rowOf(frame, 1)).toContain('● OK');
  });

  it('says so when a majority of the voters is behind', async () => {
    const frame = await openQuorum(quorumModel('two'), 120, 40);
    expect(frame).toContain('✖ voters 3: no majority caught up (1/3)');
    expect(rowOf(frame, 3002)).toContain('▲ behind');
  });

  it('without a leader (an election in progress) says so, and the lag is the high watermark’s', async () => {
    const s0 = cluster({ topics: { orders: 3 } });
    const model = createModel({}).fold(
      step(s0, 2000, (d) => {
        withQuorum('one')(d);
        d.quorum!.leaderId = -1;
        d.controllerId = null;
      }),
    );
    const frame = await openQuorum(model, 120, 40);
    expect(frame).toContain('✖ no leader');
    expect(rowOf(frame, 3001)).toMatch(/3001 +Follower \(voter\) +1,000 +0 /);
    expect(rowOf(frame, 3003)).toMatch(/3003 +Follower \(voter\) +300 +650 /);
  });

  it('enter on a broker opens it; on a dedicated controller (no broker view) stays', async () => {
    let frame = await openQuorum(quorumModel(), 120, 40);
    frame = plain(await rendered!.press(KEYS.enter)); // 3001, the leader: a controller
    expect(frame).toContain('NODE');
    expect(frame).not.toMatch(/› broker/);
    frame = plain(await rendered!.press(KEYS.down, KEYS.down, KEYS.down, KEYS.down, KEYS.enter)); // broker 2
    frame = plain(await rendered!.waitFor((f) => plain(f).includes('quorum › broker 2')));
    expect(frame).toContain('metadata observer: lag 400');
  });

  it('is reached from the broker view too, and esc goes back to it', async () => {
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(quorumModel());
    await rendered.waitFor((f) => /brokers [1-9]/.test(f));
    await rendered.press(KEYS.tab, KEYS.enter);
    await rendered.waitFor((f) => plain(f).includes('overview › broker'));
    const frame = plain(await rendered.press(QUORUM_KEY));
    expect(frame).toContain('overview › broker 1 › quorum');
    expect(rowOf(frame, 3003)).toContain('▲ behind');
    expect(plain(await rendered.press(KEYS.escape))).toContain('overview › broker 1');
  });

  it('the kafka4 demo at 80x24: the three controllers vote, the brokers observe', async () => {
    const frame = await openQuorum(await demoModel('kafka4', 10), 80, 24);
    expect(frame).toContain('leader 3001');
    expect(rowOf(frame, 3001)).toContain('Leader');
    expect(rowOf(frame, 3002)).toContain('Follower (voter)');
    expect(rowOf(frame, 3003)).toContain('Follower (voter)');
    expect(rowOf(frame, 1)).toContain('Observer');
    expect(frame).toContain('voters 3: majority caught up (3/3)');
  });

  it('on a cluster without DescribeQuorum says the quorum is not available', async () => {
    const model = await demoModel('steady', 5);
    expect(model.quorum ?? null).toBeNull();
    rendered = await renderApp({ columns: 80, rows: 24 });
    rendered.store.setModel(model);
    await rendered.waitFor((f) => /brokers [1-9]/.test(f));
    const frame = plain(await rendered.press(QUORUM_KEY));
    expect(frame).toContain('› quorum');
    expect(frame).toContain(QUORUM_NOT_SERVED);
  });

  it('the brokers pane names the key that opens it, the key the keymap binds', async () => {
    const binding = KEYMAP.find((b) => b.command === 'quorum');
    expect(binding?.keys).toEqual([QUORUM_KEY]);
    expect(binding?.views).toEqual(['overview', 'broker']);
    rendered = await renderApp({ columns: 80, rows: 24 });
    rendered.store.setModel(quorumModel());
    const frame = plain(await rendered.waitFor((f) => f.includes('quorum (Q)')));
    expect(frame).toContain('quorum (Q): voters 3001,3002,3003, metadata behind on 3003,2');
  });
});
