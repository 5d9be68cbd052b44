import { describe, expect, it } from 'vitest';
import { assembleGroup, assembleSnapshot, CONSUMER_PROTOCOL_STATE } from '../../../source/kafka/assemble.js';
import { type CollectedGroup, emptyCollected, setOffset } from '../../../source/kafka/collected.js';
import { lagOf, unreadableOf } from '../../../source/snapshot.js';

const stats = { kafkaRequests: 7, kafkaBytesIn: 1000, metricsRequests: 0 };

function group(overrides: Partial<CollectedGroup> = {}): CollectedGroup {
  return {
    groupId: 'billing',
    listedProtocolType: 'consumer',
    type: null,
    description: null,
    consumerProtocol: false,
    committed: null,
    shareOffsets: null,
    error: null,
    ...overrides,
  };
}

function offsets(entries: Array<[string, number, number]>) {
  const table = new Map<string, Map<number, number>>();
  for (const [topic, partition, offset] of entries) setOffset(table, topic, partition, offset);
  return table;
}

describe('lagOf', () => {
  it('is log end minus committed, clamped at zero, null when either is unknown', () => {
    expect(lagOf(80, 100)).toBe(20);
    expect(lagOf(120, 100)).toBe(0);
    expect(lagOf(null, 100)).toBeNull();
    expect(lagOf(5, null)).toBeNull();
  });
});

describe('unreadableOf', () => {
  it('is the part of the lag past the last stable offset, 0 when nothing is pending or it is unknown', () => {
    // Measured: one transaction held open, HW 205, LSO 0; a read_committed consumer at 0 can read nothing.
    expect(unreadableOf(205, 205, 0)).toBe(205);
    expect(unreadableOf(15, 205, 200)).toBe(5);
    // A consumer already past the LSO (read_uncommitted): all of its lag is past it.
    expect(unreadableOf(3, 205, 200)).toBe(3);
    expect(unreadableOf(10, 205, 205)).toBe(0);
    expect(unreadableOf(10, 205, null)).toBe(0);
    expect(unreadableOf(10, 205, undefined)).toBe(0);
    expect(unreadableOf(null, 205, 0)).toBe(0);
  });
});

describe('assembleGroup', () => {
  it('gives each group-partition the last stable offset, never above the log end', () => {
    const snapshot = assembleGroup(
      group({
        committed: offsets([
          ['t', 0, 0],
          ['t', 1, 7],
          ['t', 2, 3],
        ]),
      }),
      offsets([
        ['t', 0, 205],
        ['t', 1, 10],
        ['t', 2, 9],
      ]),
      // Partition 1's LSO read a moment after its log end, past it; partition 2's unknown.
      offsets([
        ['t', 0, 0],
        ['t', 1, 12],
      ]),
    );
    expect(snapshot.partitions.map((p) => [p.partition, p.lag, p.lastStableOffset])).toEqual([
      [0, 205, 0],
      [1, 3, 10],
      [2, 6, null],
    ]);
  });

  it('shows committed partitions and assigned partitions without a commit as "no commit"', () => {
    const snapshot = assembleGroup(
      group({
        committed: offsets([['orders', 0, 90]]),
        description: {
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'range',
          members: [
            {
              memberId: 'm-1',
              clientId: 'c',
              host: '/127.0.0.1',
              assignment: [{ topic: 'orders', partitions: [0, 1] }],
            },
          ],
        },
      }),
      offsets([
        ['orders', 0, 100],
        ['orders', 1, 50],
      ]),
    );
    expect(snapshot.partitions).toEqual([
      {
        topic: 'orders',
        partition: 0,
        committedOffset: 90,
        logEndOffset: 100,
        lag: 10,
        lastStableOffset: null,
        memberId: 'm-1',
      },
      {
        topic: 'orders',
        partition: 1,
        committedOffset: null,
        logEndOffset: 50,
        lag: null,
        lastStableOffset: null,
        memberId: 'm-1',
      },
    ]);
    expect(snapshot.totalLag).toBe(10);
    expect(snapshot.state).toBe('Stable');
    expect(snapshot.protocol).toBe('range');
  });

  it('keeps an empty group with its lag', () => {
    const snapshot = assembleGroup(
      group({
        committed: offsets([['orders', 2, 3]]),
        description: { state: 'Empty', protocolType: 'consumer', protocol: '', members: [] },
      }),
      offsets([['orders', 2, 10]]),
    );
    expect(snapshot.state).toBe('Empty');
    expect(snapshot.members).toEqual([]);
    expect(snapshot.totalLag).toBe(7);
    expect(snapshot.partitions[0]!.memberId).toBeNull();
  });

  it('labels a KIP-848 group as consumer protocol, not Dead, and keeps its lag', () => {
    const snapshot = assembleGroup(
      group({ consumerProtocol: true, committed: offsets([['orders', 0, 4]]) }),
      offsets([['orders', 0, 9]]),
    );
    expect(snapshot.state).toBe(CONSUMER_PROTOCOL_STATE);
    expect(snapshot.state).not.toBe('Dead');
    expect(snapshot.consumerProtocol).toBe(true);
    expect(snapshot.protocolType).toBe('consumer');
    expect(snapshot.totalLag).toBe(5);
  });

  it('never reports negative lag when the committed offset is past the fetched log end', () => {
    const snapshot = assembleGroup(group({ committed: offsets([['t', 0, 12]]) }), offsets([['t', 0, 10]]));
    expect(snapshot.partitions[0]!.lag).toBe(0);
  });
});

describe('assembleSnapshot', () => {
  it('flags internal topics, attaches configs and offsets, and names brokers missing from metadata', () => {
    const collected = emptyCollected();
    collected.metadata = {
      clusterId: 'abc',
      brokers: [
        { nodeId: 2, host: '127.0.0.1', port: 9093, rack: null },
        { nodeId: 1, host: '127.0.0.1', port: 9092, rack: 'r1' },
      ],
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'orders',
          isInternal: false,
          partitionMetadata: [
            {
              partitionErrorCode: 0,
              partitionId: 0,
              leader: 1,
              replicas: [1, 2, 3],
              isr: [1, 2],
              offlineReplicas: [3],
            },
          ],
        },
        { topicErrorCode: 0, topic: '__consumer_offsets', isInternal: true, partitionMetadata: [] },
        { topicErrorCode: 0, topic: '__strimzi_store', isInternal: false, partitionMetadata: [] },
      ],
    };
    collected.configs.set('orders', { 'min.insync.replicas': '2' });
    setOffset(collected.logStart, 'orders', 0, 5);
    setOffset(collected.logEnd, 'orders', 0, 1200);
    setOffset(collected.lastStable, 'orders', 0, 1100);
    collected.reassignments.set('orders', new Map([[0, { adding: [3], removing: [2] }]]));
    setOffset(collected.copied, 'orders', 0, 4096);
    collected.brokerErrors.set(2, 'ListGroups: Connection error');

    const snapshot = assembleSnapshot({
      collected,
      takenAt: '2026-01-01T00:00:00.000Z',
      durationMs: 12,
      stats,
    });

    expect(snapshot.schemaVersion).toBe(2);
    expect(snapshot.clusterId).toBe('abc');
    expect(snapshot.controllerId).toBeNull();
    expect(snapshot.brokers.map((b) => [b.id, b.rack, b.error, b.metrics])).toEqual([
      [1, 'r1', null, null],
      [2, null, 'ListGroups: Connection error', null],
    ]);
    expect(snapshot.topics.map((t) => [t.name, t.internal])).toEqual([
      ['__consumer_offsets', true],
      ['__strimzi_store', true],
      ['orders', false],
    ]);
    const orders = snapshot.topics.find((t) => t.name === 'orders')!;
    expect(orders.configs).toEqual({ 'min.insync.replicas': '2' });
    expect(orders.partitions[0]).toMatchObject({
      logStartOffset: 5,
      logEndOffset: 1200,
      lastStableOffset: 1100,
      reassignment: { adding: [3], removing: [2], copiedBytes: 4096 },
      offlineReplicas: [3],
    });
    expect(snapshot.errors.map((e) => e.source)).toEqual(['broker:2', 'broker:3']);
    expect(snapshot.errors[1]!.message).toMatch(/not in cluster metadata/);
    expect(snapshot.stats).toEqual(stats);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('orders topics, partitions, groups and group partitions, short lists and long ones alike', () => {
    // Brokers answer partitions out of order; a seeded shuffle of 0..n-1.
    const shuffled = (n: number, seed: number) => {
      const list = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const j = seed % (i + 1);
        [list[i], list[j]] = [list[j]!, list[i]!];
      }
      return list;
    };
    const sizes: Record<string, number> = { zeta: 10, alpha: 50, mid: 16, one: 1, none: 0, next: 17 };
    const collected = emptyCollected();
    collected.metadata = {
      brokers: [{ nodeId: 1, host: 'h', port: 1, rack: null }],
      topicMetadata: Object.entries(sizes).map(([topic, n], t) => ({
        topicErrorCode: 0,
        topic,
        partitionMetadata: shuffled(n, t + 1).map((partitionId) => ({
          partitionErrorCode: 0,
          partitionId,
          leader: 1,
          replicas: [1],
          isr: [1],
        })),
      })),
    };
    for (const id of ['g3', 'g1', 'g2']) {
      const committed = new Map<string, Map<number, number>>();
      for (const topic of ['zeta', 'alpha']) {
        const byPartition = new Map<number, number>();
        for (const p of shuffled(sizes[topic]! / 2, id.charCodeAt(1))) byPartition.set(p, p);
        committed.set(topic, byPartition);
      }
      collected.groups.set(id, group({ groupId: id, committed }));
    }
    const snapshot = assembleSnapshot({
      collected,
      takenAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1,
      stats,
    });

    expect(snapshot.topics.map((t) => t.name)).toEqual(['alpha', 'mid', 'next', 'none', 'one', 'zeta']);
    for (const t of snapshot.topics) {
      expect(t.partitions.map((p) => p.partition)).toEqual(
        Array.from({ length: sizes[t.name]! }, (_, i) => i),
      );
    }
    expect(snapshot.groups.map((g) => g.groupId)).toEqual(['g1', 'g2', 'g3']);
    for (const g of snapshot.groups) {
      expect(g.partitions.map((p) => `${p.topic}/${p.partition}`)).toEqual([
        ...Array.from({ length: 25 }, (_, i) => `alpha/${i}`),
        ...Array.from({ length: 5 }, (_, i) => `zeta/${i}`),
      ]);
    }
  });

  it('gives an empty but valid snapshot when nothing could be collected', () => {
    const collected = emptyCollected();
    collected.errors.push({ source: 'cluster', message: 'no broker reachable' });
    const snapshot = assembleSnapshot({ collected, takenAt: 't', durationMs: 1, stats });
    expect(snapshot).toMatchObject({ clusterId: null, brokers: [], topics: [], groups: [] });
    expect(snapshot.errors).toEqual([{ source: 'cluster', message: 'no broker reachable' }]);
  });
});
