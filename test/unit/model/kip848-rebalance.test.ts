/**
 * Consumer-protocol (KIP-848) groups as ConsumerGroupDescribe shows them: member join/leave by member id,
 * a rebalance from the group-epoch bump to every member converged, partitions moved, and a member stuck
 * on an old epoch after the others converged. The epochs and assignments follow the capture of a third
 * member joining a 4.4.0 group (test/fixtures/kafka4: consumer-group-describe-v1-reconciling / -stable).
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../source/model/index.js';
import { kip848Phase, pendingRevocations, STUCK_AFTER_MS } from '../../../source/model/kip848-rebalance.js';
import type { ClusterSnapshot, GroupSnapshot, MemberSnapshot } from '../../../source/snapshot.js';
import { cluster, groupOf, step } from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

const orders = (...partitions: number[]) => (partitions.length ? [{ topic: 'orders', partitions }] : []);

function member(id: string, epoch: number, current: number[], target: number[]): MemberSnapshot {
  return {
    memberId: id,
    clientId: `client-${id}`,
    host: '/127.0.0.1',
    memberEpoch: epoch,
    assignment: orders(...current),
    targetAssignment: orders(...target),
  };
}

/** The group `g` with these epochs and members (the state as the broker would name it). */
function describeAs(
  d: ClusterSnapshot,
  groupEpoch: number,
  assignmentEpoch: number,
  members: MemberSnapshot[],
) {
  const g = groupOf(d, 'g');
  Object.assign(g, {
    type: 'consumer',
    consumerProtocol: true,
    protocol: 'uniform',
    groupEpoch,
    assignmentEpoch,
    members,
  });
  g.state = kip848Phase(g);
}

const s0 = step(cluster({ topics: { orders: 6 }, groups: { g: { topic: 'orders', members: 2 } } }), 0, (d) =>
  describeAs(d, 3, 3, [member('A', 3, [3, 4, 5], [3, 4, 5]), member('B', 3, [0, 1, 2], [0, 1, 2])]),
);

describe('the broker’s state rule', () => {
  it('Assigning while the group epoch is ahead, Reconciling while a member has not converged, else Stable', () => {
    const g = (groupEpoch: number, members: MemberSnapshot[]) =>
      ({ ...groupOf(s0, 'g'), groupEpoch, assignmentEpoch: 4, members }) as GroupSnapshot;
    expect(kip848Phase(g(5, [member('A', 4, [0], [0])]))).toBe('Assigning');
    expect(kip848Phase(g(4, [member('A', 3, [0], [0])]))).toBe('Reconciling');
    expect(kip848Phase(g(4, [member('A', 4, [0, 1], [0])]))).toBe('Reconciling');
    expect(kip848Phase(g(4, [member('A', 4, [0], [0])]))).toBe('Stable');
    expect(kip848Phase(g(4, []))).toBe('Empty');
  });

  it('counts partitions pending revocation: in one member’s target, still in another’s current', () => {
    const g = {
      ...groupOf(s0, 'g'),
      members: [
        member('A', 3, [3, 4, 5], [3, 4]),
        member('C', 4, [], [2, 5]),
        member('B', 3, [0, 1, 2], [0, 1]),
      ],
    };
    expect(pendingRevocations(g)).toBe(2); // 2 (B) and 5 (A), both waited for by C
  });
});

describe('the group’s epochs in the model', () => {
  it('are the same object while they hold still, and a new one when they move', () => {
    const m = createModel({});
    const a = m.fold(s0).groups[0]!.epochs;
    const b = m.fold(step(s0, 2000)).groups[0]!.epochs;
    expect(a).toEqual({ group: 3, assignment: 3, pendingRevocations: 0 });
    expect(b).toBe(a);
    const bumped = step(s0, 4000, (d) =>
      describeAs(d, 4, 4, [
        member('A', 3, [3, 4, 5], [3, 4]),
        member('C', 4, [], [2, 5]),
        member('B', 3, [0, 1, 2], [0, 1]),
      ]),
    );
    expect(m.fold(bumped).groups[0]!.epochs).toEqual({ group: 4, assignment: 4, pendingRevocations: 2 });
  });
});

describe('a member joining a consumer-protocol group', () => {
  // C joins: epoch 4, A and B still at 3 holding what C will get (Reconciling); then all at 4 (Stable).
  const s1 = step(s0, 2000, (d) =>
    describeAs(d, 4, 4, [
      member('A', 3, [3, 4, 5], [3, 4]),
      member('C', 4, [], [2, 5]),
      member('B', 3, [0, 1, 2], [0, 1]),
    ]),
  );
  const s2 = step(s1, 2000, (d) =>
    describeAs(d, 4, 4, [
      member('A', 4, [3, 4], [3, 4]),
      member('C', 4, [], [2, 5]),
      member('B', 4, [0, 1], [0, 1]),
    ]),
  );
  const s3 = step(s2, 2000, (d) =>
    describeAs(d, 4, 4, [
      member('A', 4, [3, 4], [3, 4]),
      member('C', 4, [2, 5], [2, 5]),
      member('B', 4, [0, 1], [0, 1]),
    ]),
  );

  it('is a join by member id, a rebalance from the epoch bump until every member converged, and moves', () => {
    const { events, model } = foldAll([s0, s1, s2, s3]);
    expect(ofKind(events, 'member-join')).toMatchObject([
      { group: 'g', memberId: 'C', clientId: 'client-C', at: s1.takenAt },
    ]);
    expect(ofKind(events, 'rebalance-start')).toMatchObject([
      { group: 'g', fromState: 'Stable', state: 'Reconciling', at: s1.takenAt },
    ]);
    expect(ofKind(events, 'rebalance-end')).toMatchObject([
      {
        group: 'g',
        states: ['Stable', 'Reconciling', 'Stable'],
        durationMs: 4000,
        observed: true,
        at: s3.takenAt,
      },
    ]);
    expect(ofKind(events, 'assignment-move').map((e) => [e.partition, e.fromMember, e.toMember])).toEqual([
      [2, 'B', 'C'],
      [5, 'A', 'C'],
    ]);
    expect(model.groups[0]!.rebalancing).toBe(false);
    expect(model.groups[0]!.members.map((m) => m.memberId)).toEqual(['A', 'C', 'B']);
  });

  it('a rebalance both started and finished between two refreshes is inferred from the epoch bump', () => {
    // A subscription change: same members, same partitions, epoch 3 -> 4, converged by the next refresh.
    const bumped = step(s0, 2000, (d) =>
      describeAs(d, 4, 4, [member('A', 4, [3, 4, 5], [3, 4, 5]), member('B', 4, [0, 1, 2], [0, 1, 2])]),
    );
    const { events } = foldAll([s0, bumped]);
    expect(ofKind(events, 'rebalance-end')).toMatchObject([
      { group: 'g', durationMs: null, observed: false },
    ]);
    expect(ofKind(events, 'member-join')).toEqual([]);
  });
});

describe('a member-by-member restart', () => {
  it('yields a leave and a join per member and a rebalance end with its duration each time', () => {
    // B restarts with a new member id B2: B leaves (epoch 4), B2 joins (epoch 5) and converges.
    const s1 = step(s0, 2000, (d) =>
      describeAs(d, 4, 4, [member('A', 4, [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5])]),
    );
    const s2 = step(s1, 2000, (d) =>
      describeAs(d, 5, 5, [member('A', 4, [0, 1, 2, 3, 4, 5], [3, 4, 5]), member('B2', 5, [], [0, 1, 2])]),
    );
    const s3 = step(s2, 2000, (d) =>
      describeAs(d, 5, 5, [member('A', 5, [3, 4, 5], [3, 4, 5]), member('B2', 5, [0, 1, 2], [0, 1, 2])]),
    );
    const { events } = foldAll([s0, s1, s2, s3]);
    expect(ofKind(events, 'member-leave').map((e) => e.memberId)).toEqual(['B']);
    expect(ofKind(events, 'member-join').map((e) => e.memberId)).toEqual(['B2']);
    const ends = ofKind(events, 'rebalance-end');
    expect(ends.at(-1)).toMatchObject({ observed: true, durationMs: 2000, at: s3.takenAt });
  });
});

describe('a member stuck on an old epoch', () => {
  it('is reported once, three heartbeats after the others reached the assignment epoch', () => {
    const behind = (d: ClusterSnapshot) =>
      describeAs(d, 4, 4, [
        member('A', 3, [3, 4, 5], [3, 4]),
        member('C', 4, [], [2, 5]),
        member('B', 4, [0, 1], [0, 1]),
      ]);
    const snaps = [s0];
    for (let t = 0; t <= STUCK_AFTER_MS + 4000; t += 2000) snaps.push(step(snaps.at(-1)!, 2000, behind));
    const { events } = foldAll(snaps);
    const stuck = ofKind(events, 'member-stuck');
    expect(stuck).toMatchObject([
      {
        group: 'g',
        memberId: 'A',
        clientId: 'client-A',
        memberEpoch: 3,
        assignmentEpoch: 4,
        behindForMs: 16_000,
      },
    ]);
    // First seen behind alone at snaps[1]; reported at the first refresh 15 s or more later.
    expect(stuck[0]!.at).toBe(snaps[9]!.takenAt);
  });

  it('is not reported while every member is behind (that is the rebalance itself)', () => {
    const allBehind = (d: ClusterSnapshot) =>
      describeAs(d, 4, 4, [member('A', 3, [3, 4, 5], [3, 4]), member('B', 3, [0, 1, 2], [0, 1, 2, 5])]);
    const snaps = [s0];
    for (let i = 0; i < 12; i++) snaps.push(step(snaps.at(-1)!, 2000, allBehind));
    expect(ofKind(foldAll(snaps).events, 'member-stuck')).toEqual([]);
  });
});

describe('a consumer-protocol group that DescribeGroups alone saw (no ConsumerGroupDescribe)', () => {
  it('has no member events, as before', () => {
    const blind = (d: ClusterSnapshot, ids: string[]) => {
      const g = groupOf(d, 'g');
      Object.assign(g, {
        consumerProtocol: true,
        state: 'Unknown',
        protocol: '',
        groupEpoch: undefined,
        assignmentEpoch: undefined,
      });
      g.members = ids.map((id) => member(id, 0, [], []));
    };
    const a = step(s0, 0, (d) => blind(d, []));
    const b = step(a, 2000, (d) => blind(d, []));
    expect(foldAll([a, b]).events).toEqual([]);
  });
});
