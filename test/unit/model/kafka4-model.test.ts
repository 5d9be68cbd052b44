/** The quorum and share groups in the model: the controller from the quorum, its moves, and share lag. */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, QuorumSnapshot } from '../../../source/snapshot.js';
import { cluster, groupOf, step } from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

const base = cluster({ topics: { orders: 2 }, groups: { s: { topic: 'orders', members: 1 } } });

function quorum(leaderId: number, leaderEpoch: number, observerCaughtUpAgo = 0): QuorumSnapshot {
  const now = 1_000_000;
  return {
    leaderId,
    leaderEpoch,
    highWatermark: 500,
    voters: [
      { id: leaderId, logEndOffset: 500, lag: 0, lastFetchTimestamp: null, lastCaughtUpTimestamp: null },
    ],
    observers: [
      { id: 1, logEndOffset: 500, lag: 0, lastFetchTimestamp: now, lastCaughtUpTimestamp: now },
      {
        id: 2,
        logEndOffset: 420,
        lag: 80,
        lastFetchTimestamp: now - 300,
        lastCaughtUpTimestamp: now - observerCaughtUpAgo,
      },
    ],
  };
}

const withQuorum = (s: ClusterSnapshot, q: QuorumSnapshot | null) =>
  step(s, 2000, (d) => {
    d.quorum = q;
    d.controllerId = q ? q.leaderId : null;
  });

describe('the quorum in the model', () => {
  it('names the controller, each replica’s lag and fetch age, and flags one falling behind', () => {
    const { model } = foldAll([withQuorum(base, quorum(0, 1, 25_000))]);
    expect(model.controllerId).toBe(0);
    expect(model.quorum).toEqual({
      leaderId: 0,
      leaderEpoch: 1,
      highWatermark: 500,
      replicas: [
        {
          id: 0,
          role: 'leader',
          logEndOffset: 500,
          lag: 0,
          lastFetchAgeMs: null,
          lastCaughtUpAgeMs: null,
          behind: false,
        },
        {
          id: 1,
          role: 'observer',
          logEndOffset: 500,
          lag: 0,
          lastFetchAgeMs: 0,
          lastCaughtUpAgeMs: 0,
          behind: false,
        },
        {
          id: 2,
          role: 'observer',
          logEndOffset: 420,
          lag: 80,
          lastFetchAgeMs: 300,
          lastCaughtUpAgeMs: 25_000,
          behind: true,
        },
      ],
    });
    expect(foldAll([withQuorum(base, quorum(0, 1, 2_000))]).model.quorum!.replicas[2]!.behind).toBe(false);
  });

  it('reports leadership moving, and nothing when a refresh could not read the quorum', () => {
    const s1 = withQuorum(base, quorum(0, 1));
    const s2 = withQuorum(s1, quorum(4, 2));
    const s3 = withQuorum(s2, null);
    const s4 = withQuorum(s3, quorum(4, 2));
    const s5 = withQuorum(s4, quorum(-1, 3));
    const { events, model } = foldAll([s1, s2, s3, s4, s5]);
    expect(ofKind(events, 'controller-change')).toMatchObject([
      { from: 0, to: 4, leaderEpoch: 2, broker: 4, at: s2.takenAt },
      { from: 4, to: null, leaderEpoch: 3, at: s5.takenAt },
    ]);
    expect(model.quorum?.leaderId).toBe(-1);
  });
});

describe('share groups in the model', () => {
  const share = (s: ClusterSnapshot, start: number) =>
    step(s, 2000, (d) => {
      const g = groupOf(d, 's');
      Object.assign(g, { type: 'share', protocolType: 'share', protocol: 'simple' });
      for (const p of g.partitions) Object.assign(p, { committedOffset: null, startOffset: start });
      // consistent() recomputes lag from committed offsets: a share group's is the broker's, set after.
    });
  const brokerLag = (s: ClusterSnapshot, lag: number | null) => {
    const g = groupOf(s, 's');
    for (const p of g.partitions) p.lag = lag;
    g.totalLag = g.partitions.reduce((n, p) => n + (p.lag ?? 0), 0);
    return s;
  };

  it('get a status from their start offsets, not "no commit"', () => {
    const snaps = [brokerLag(share(base, 10), 0)];
    for (let i = 0; i < 3; i++) snaps.push(brokerLag(share(snaps.at(-1)!, 10 + i), 0));
    const g = foldAll(snaps).model.groups[0]!;
    expect(g.status).toBe('OK');
  });

  it('leave a gap in the lag history where the broker computes no lag (Kafka 4.1), never 0', () => {
    const s1 = brokerLag(share(base, 10), 5);
    const s2 = brokerLag(share(s1, 10), null);
    const values = foldAll([s1, s2]).model.groups[0]!.lagHistory.values();
    expect(values[0]).toBe(10);
    expect(values[1]).toBeNaN();
  });
});
