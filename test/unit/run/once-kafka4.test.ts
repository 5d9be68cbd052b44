import { describe, expect, it } from 'vitest';
import { formatOnce } from '../../../source/run/once-format.js';
import type { ClusterSnapshot, GroupSnapshot } from '../../../source/snapshot.js';

function snapshot(groups: GroupSnapshot[], extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    schemaVersion: 2,
    takenAt: '2026-12-07T01:00:10.000Z',
    clusterId: 'c',
    controllerId: 0,
    brokers: [],
    topics: [],
    groups,
    errors: [],
    ...extra,
  };
}

const reconciling: GroupSnapshot = {
  groupId: 'g-consumer',
  type: 'consumer',
  state: 'Reconciling',
  protocolType: 'consumer',
  protocol: 'uniform',
  consumerProtocol: true,
  groupEpoch: 4,
  assignmentEpoch: 4,
  members: [
    {
      memberId: 'XuTzbtjMRLe9Og1jOCI6IQ',
      clientId: 'cg-member-1',
      host: '/127.0.0.1',
      memberEpoch: 3,
      assignment: [{ topic: 'orders', partitions: [3, 4, 5] }],
      targetAssignment: [{ topic: 'orders', partitions: [3, 4] }],
    },
    {
      memberId: 'UVBZ_Ny0QAmMrRxp10xiJA',
      clientId: 'cg-member-3',
      host: '/127.0.0.1',
      memberEpoch: 4,
      assignment: [],
      targetAssignment: [{ topic: 'orders', partitions: [2, 5] }],
    },
  ],
  totalLag: 0,
  partitions: [],
  error: null,
};

describe('--once for Kafka 4 groups', () => {
  it('prints a consumer-protocol group with its type, epochs and members as ConsumerGroupCommand --members --verbose', () => {
    const text = formatOnce(snapshot([reconciling]));
    expect(text).toContain(
      'GROUP g-consumer  type consumer  group-epoch 4  assignment-epoch 4  state Reconciling  assignor uniform  members 2',
    );
    expect(text).not.toContain('(consumer protocol)');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('CONSUMER-ID'));
    expect(lines[header]!.split(/\s{2,}/)).toEqual([
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
      '#PARTITIONS',
      'CURRENT-EPOCH',
      'CURRENT-ASSIGNMENT',
      'TARGET-EPOCH',
      'TARGET-ASSIGNMENT',
    ]);
    expect(lines[header + 1]!.split(/\s+/)).toEqual([
      'XuTzbtjMRLe9Og1jOCI6IQ',
      '/127.0.0.1',
      'cg-member-1',
      '3',
      '3',
      'orders:3,4,5',
      '4',
      'orders:3,4',
    ]);
    expect(lines[header + 2]!.split(/\s+/)).toEqual([
      'UVBZ_Ny0QAmMrRxp10xiJA',
      '/127.0.0.1',
      'cg-member-3',
      '0',
      '4',
      '-',
      '4',
      'orders:2,5',
    ]);
  });

  it('prints a share group as ShareGroupCommand --describe: start offset and lag, "-" where the broker gives none', () => {
    const share: GroupSnapshot = {
      groupId: 's-share',
      type: 'share',
      state: 'Stable',
      protocolType: 'share',
      protocol: 'simple',
      groupEpoch: 7,
      assignmentEpoch: 7,
      members: [],
      totalLag: 227,
      partitions: [
        {
          topic: 'orders',
          partition: 0,
          committedOffset: null,
          logEndOffset: 296,
          lag: 0,
          memberId: null,
          startOffset: 296,
        },
        {
          topic: 'orders',
          partition: 1,
          committedOffset: null,
          logEndOffset: 612,
          lag: 227,
          memberId: null,
          startOffset: 385,
        },
        {
          topic: 'orders',
          partition: 2,
          committedOffset: null,
          logEndOffset: 200,
          lag: null,
          memberId: null,
          startOffset: null,
        },
      ],
      error: null,
    };
    const lines = formatOnce(snapshot([share])).split('\n');
    const header = lines.findIndex((l) => l.startsWith('TOPIC'));
    expect(lines[header]!.split(/\s+/)).toEqual(['TOPIC', 'PARTITION', 'START-OFFSET', 'LAG']);
    expect(lines.slice(header + 1, header + 4).map((l) => l.split(/\s+/))).toEqual([
      ['orders', '0', '296', '0'],
      ['orders', '1', '385', '227'],
      ['orders', '2', '-', '-'],
    ]);
    expect(lines.join('\n')).not.toContain('no commit');
    expect(lines.join('\n')).toContain('total lag 227');
    const unknown = { ...share, partitions: share.partitions.map((p) => ({ ...p, lag: null })), totalLag: 0 };
    expect(formatOnce(snapshot([unknown]))).toContain('members 0  total lag -\n');
  });

  it('prints a streams group’s members with their tasks, current -> target while they move', () => {
    const streams: GroupSnapshot = {
      groupId: 'streams-app',
      type: 'streams',
      state: 'Reconciling',
      protocolType: 'streams',
      protocol: 'sticky',
      groupEpoch: 5,
      assignmentEpoch: 5,
      topologyEpoch: 0,
      members: [
        {
          memberId: 'm1',
          clientId: 'streams-member-1',
          host: '/127.0.0.1',
          memberEpoch: 4,
          processId: 'p1',
          assignment: [],
          tasks: {
            active: ['0_1', '0_4'],
            standby: [],
            warmup: [],
            targetActive: ['0_1'],
            targetStandby: [],
            targetWarmup: [],
          },
        },
      ],
      totalLag: 0,
      partitions: [],
      error: null,
    };
    const text = formatOnce(snapshot([streams]));
    expect(text).toContain('type streams  group-epoch 5  assignment-epoch 5  topology-epoch 0');
    expect(text).toMatch(/m1 +p1 +streams-member-1 +\/127\.0\.0\.1 +4 +0_1,0_4 -> 0_1 +- +-/);
  });

  it('prints the quorum: leader, epoch, voters and observers with their lag and last fetch', () => {
    const text = formatOnce(
      snapshot([], {
        quorum: {
          leaderId: 0,
          leaderEpoch: 1,
          highWatermark: 500,
          voters: [
            { id: 0, logEndOffset: 500, lag: 0, lastFetchTimestamp: null, lastCaughtUpTimestamp: null },
          ],
          observers: [
            {
              id: 1,
              logEndOffset: 490,
              lag: 10,
              lastFetchTimestamp: 1_796_605_209_500,
              lastCaughtUpTimestamp: 1_796_605_209_000,
            },
          ],
        },
      }),
    );
    expect(text).toContain('controller 0');
    expect(text).toContain('QUORUM  leader 0  leader-epoch 1  high-watermark 500  voters [0]  observers [1]');
    expect(text).toMatch(/\n *0 +500 +0 +- +- +Leader\n/);
    expect(text).toMatch(/\n *1 +490 +10 +\d+ ms ago +\d+ ms ago +Observer\n/);
  });

  it('sanitizes member ids and client ids from the cluster', () => {
    const hostile = {
      ...reconciling,
      members: [{ ...reconciling.members[0]!, clientId: 'x\u001b]0;pwned\u0007', memberId: 'm\r\nY' }],
    };
    expect(formatOnce(snapshot([hostile]))).not.toMatch(/[\u001b\u0007\r]/);
  });
});
