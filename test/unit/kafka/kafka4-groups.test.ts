/**
 * The Kafka 4 group describes wired into a refresh: coordinators that answer with bodies captured from real
 * 4.4.0 and 3.9.1 brokers (test/fixtures/kafka4/README.md), through the real encoders, decoders and
 * describeKafka4Groups / assembleGroup. The classic DescribeGroups a group falls back to is scripted.
 */
import { describe, expect, it } from 'vitest';
import { assembleGroup, assembleSnapshot } from '../../../source/kafka/assemble.js';
import { type CollectedGroup, emptyCollected } from '../../../source/kafka/collected.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import { decodeDescribeQuorumResponse } from '../../../source/kafka/describe-quorum.js';
import { createGroupCache, describeGroups, type GroupCache } from '../../../source/kafka/groups.js';
import { describeKafka4Groups } from '../../../source/kafka/kafka4-groups.js';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';
import { createLimit } from '../../../source/kafka/limit.js';
import { quorumOf } from '../../../source/kafka/quorum.js';
import type { GroupType } from '../../../source/snapshot.js';
import { captured } from './kafka4-support.js';

const KAFKA_44 = { 69: 1, 77: 1, 89: 1, 90: 1 };
const KAFKA_391 = { 69: 0 };

interface Sent {
  api: string;
  version: number;
  groups: string[];
}

/** Node 1, advertising `versions`, answering each api with a captured body (by api name). */
function cluster(
  versions: Record<number, number>,
  answers: Record<string, string>,
  groups: Record<string, GroupType | null>,
  classicAnswer: (groupIds: string[]) => object = (ids) => ({ groups: ids.map(classicGroup) }),
): { ctx: StageContext; sent: Sent[]; cache: GroupCache } {
  const sent: Sent[] = [];
  const advertised = Object.fromEntries(
    Object.entries(versions).map(([key, maxVersion]) => [key, { minVersion: 0, maxVersion }]),
  );
  const broker: InternalBroker = {
    nodeId: 1,
    versions: null,
    isConnected: () => broker.versions !== null,
    async connect() {
      broker.versions = advertised;
    },
    async disconnect() {},
    // kafkajs's DescribeGroups, scripted: the classic describe a group falls back to.
    lookupRequest: () => (args) => ({
      request: {
        apiName: 'DescribeGroups',
        apiVersion: 2,
        groupIds: (args as { groupIds: string[] }).groupIds,
      },
      response: {
        decode: async () => classicAnswer((args as { groupIds: string[] }).groupIds),
        parse: async (d) => d,
      },
    }),
    connectionPool: {
      host: '127.0.0.1',
      port: 9091,
      rack: null,
      async send({ request, response }) {
        const r = request as { apiName: string; apiVersion: number; groupIds?: string[]; encode?(): unknown };
        if (r.apiName === 'DescribeGroups') {
          sent.push({ api: r.apiName, version: r.apiVersion, groups: r.groupIds! });
          return response.parse(await response.decode(Buffer.alloc(0)));
        }
        sent.push({ api: r.apiName, version: r.apiVersion, groups: [] });
        const answer = answers[r.apiName];
        if (!answer) throw new Error(`unexpected ${r.apiName}`);
        return response.parse(await response.decode(captured(answer)));
      },
    },
  };
  const connections: Connections = {
    get: (id) => (id === 1 ? broker : undefined),
    nodeIds: () => [1],
    async sync() {},
    async anyBroker(send) {
      return { result: await send(broker), nodeId: 1 };
    },
    async close() {},
  };
  const collected = emptyCollected();
  const cache = createGroupCache();
  for (const [groupId, type] of Object.entries(groups)) {
    collected.groups.set(groupId, newGroup(groupId, type));
    cache.coordinators.set(groupId, 1);
  }
  return { ctx: { connections, limit: createLimit(4), clean: (s) => s, collected }, sent, cache };
}

function newGroup(groupId: string, type: GroupType | null): CollectedGroup {
  return {
    groupId,
    listedProtocolType: type === 'share' || type === 'streams' ? type : 'consumer',
    type,
    description: null,
    consumerProtocol: false,
    committed: null,
    shareOffsets: null,
    error: null,
  };
}

function classicGroup(groupId: string) {
  return { errorCode: 0, groupId, state: 'Stable', protocolType: 'consumer', protocol: 'range', members: [] };
}

describe('consumer-protocol groups', () => {
  it('are described by ConsumerGroupDescribe: state, epochs, members with current and target assignment', async () => {
    const { ctx, sent, cache } = cluster(
      KAFKA_44,
      { ConsumerGroupDescribe: 'consumer-group-describe-v1-reconciling' },
      { 'g-consumer': 'consumer' },
    );
    await describeKafka4Groups(ctx, cache);
    expect(sent.map((s) => s.api)).toEqual(['ConsumerGroupDescribe']);
    const group = assembleGroup(ctx.collected.groups.get('g-consumer')!, new Map());
    // ConsumerGroupCommand --describe --members --verbose, just after cg-member-3 joined:
    //   CONSUMER-ID             CLIENT-ID    CURRENT-EPOCH  CURRENT-ASSIGNMENT  TARGET-EPOCH  TARGET-ASSIGNMENT
    //   XuTzbtjMRLe9Og1jOCI6IQ  cg-member-1  3              orders:3,4,5        4             orders:3,4
    expect(group).toMatchObject({
      type: 'consumer',
      state: 'Reconciling',
      protocol: 'uniform',
      consumerProtocol: true,
      groupEpoch: 4,
      assignmentEpoch: 4,
    });
    const member = group.members.find((m) => m.clientId === 'cg-member-1')!;
    expect(member).toMatchObject({
      memberId: 'XuTzbtjMRLe9Og1jOCI6IQ',
      host: '/127.0.0.1',
      memberEpoch: 3,
      assignment: [{ topic: 'orders', partitions: [3, 4, 5] }],
      targetAssignment: [{ topic: 'orders', partitions: [3, 4] }],
    });
    // Owners come from the current assignment.
    expect(group.partitions.find((p) => p.partition === 5)?.memberId).toBe('XuTzbtjMRLe9Og1jOCI6IQ');
    expect(ctx.collected.errors).toEqual([]);
  });

  it('asks once per coordinator however many groups, and describes error 69 groups the classic way', async () => {
    const { ctx, sent, cache } = cluster(
      KAFKA_44,
      { ConsumerGroupDescribe: 'consumer-group-describe-v1-classic-group' },
      { 'g-classic': 'consumer', 'g-consumer': 'consumer' },
    );
    await describeKafka4Groups(ctx, cache);
    expect(sent).toEqual([
      { api: 'ConsumerGroupDescribe', version: 1, groups: [] },
      { api: 'DescribeGroups', version: 2, groups: ['g-classic'] },
    ]);
    expect(assembleGroup(ctx.collected.groups.get('g-classic')!, new Map())).toMatchObject({
      state: 'Stable',
      protocol: 'range',
      consumerProtocol: false,
    });
    expect(assembleGroup(ctx.collected.groups.get('g-consumer')!, new Map()).state).toBe('Empty');
    expect(ctx.collected.errors).toEqual([]);
  });

  it('on Kafka 3.9.1 (error 35: the consumer protocol is off) are described as before, with no error', async () => {
    const { ctx, sent, cache } = cluster(
      KAFKA_391,
      { ConsumerGroupDescribe: 'consumer-group-describe-v0-kafka-3.9.1' },
      { 'g-classic': 'consumer' },
    );
    await describeKafka4Groups(ctx, cache);
    expect(sent.map((s) => s.api)).toEqual(['ConsumerGroupDescribe', 'DescribeGroups']);
    const group = assembleGroup(ctx.collected.groups.get('g-classic')!, new Map());
    expect(group.state).toBe('Stable');
    expect(group.error).toBeNull();
    expect(ctx.collected.errors).toEqual([]);
  });

  it('on a broker before 3.8 (type inferred classic), one DescribeGroups cannot see is typed consumer', async () => {
    const invisible = (ids: string[]) => ({
      groups: ids.map((groupId) => ({
        ...classicGroup(groupId),
        state: 'Dead',
        protocolType: '',
        protocol: '',
      })),
    });
    const { ctx, cache } = cluster(KAFKA_391, {}, { 'g-848': 'classic' }, invisible);
    await describeGroups(ctx, cache);
    const group = assembleGroup(ctx.collected.groups.get('g-848')!, new Map());
    expect(group).toMatchObject({ type: 'consumer', consumerProtocol: true });
    expect(group.error).toBeNull();
  });

  it('untyped and classic groups are left to DescribeGroups: nothing is sent', async () => {
    const { ctx, sent, cache } = cluster(KAFKA_44, {}, { a: null, b: 'classic' });
    await describeKafka4Groups(ctx, cache);
    expect(sent).toEqual([]);
  });
});

describe('share groups', () => {
  it('carry members, and per partition the start offset and the broker lag, not a committed offset', async () => {
    const { ctx, sent, cache } = cluster(
      KAFKA_44,
      {
        ShareGroupDescribe: 'share-group-describe-v1-empty',
        DescribeShareGroupOffsets: 'describe-share-group-offsets-v1',
      },
      { 's-share': 'share' },
    );
    await describeKafka4Groups(ctx, cache);
    expect(sent.map((s) => s.api).sort()).toEqual(['DescribeShareGroupOffsets', 'ShareGroupDescribe']);
    const logEnd = new Map([['orders', new Map([[1, 612]])]]);
    const group = assembleGroup(ctx.collected.groups.get('s-share')!, logEnd);
    expect(group).toMatchObject({ type: 'share', state: 'Empty', protocolType: 'share', groupEpoch: 5 });
    // ShareGroupCommand --describe: START-OFFSET 385 LAG 227 on orders-1, 487 / 73 on orders-4.
    expect(group.partitions.map((p) => [p.partition, p.startOffset, p.lag, p.committedOffset])).toEqual([
      [0, 296, 0, null],
      [1, 385, 227, null],
      [2, 195, 0, null],
      [3, 485, 0, null],
      [4, 487, 73, null],
      [5, 391, 0, null],
    ]);
    expect(group.partitions[1]!.logEndOffset).toBe(612);
    expect(group.totalLag).toBe(300);
    expect(ctx.collected.errors).toEqual([]);
  });

  it('Kafka 4.1 (DescribeShareGroupOffsets v0) gives no lag: null, never 0', async () => {
    const { ctx, cache } = cluster(
      { 77: 1, 90: 0 },
      {
        ShareGroupDescribe: 'share-group-describe-v1',
        DescribeShareGroupOffsets: 'describe-share-group-offsets-v0',
      },
      { 's-share': 'share' },
    );
    await describeKafka4Groups(ctx, cache);
    const group = assembleGroup(ctx.collected.groups.get('s-share')!, new Map());
    expect(group.members).toHaveLength(2);
    expect(group.partitions.map((p) => p.lag)).toEqual([null, null, null, null, null, null]);
    expect(group.partitions.every((p) => p.memberId !== null)).toBe(true);
  });
});

describe('early-access share groups (Kafka 4.0: ShareGroupDescribe v0 only)', () => {
  it('are noted once as not served, not an error per group', async () => {
    const { ctx, sent, cache } = cluster(
      { 69: 1, 77: 0, 90: 0 },
      { DescribeShareGroupOffsets: 'describe-share-group-offsets-v0' },
      { 's-one': 'share', 's-two': 'share' },
    );
    await describeKafka4Groups(ctx, cache);
    expect(sent.map((s) => s.api)).toEqual(['DescribeShareGroupOffsets']);
    expect(ctx.collected.errors).toEqual([]);
    for (const id of ['s-one', 's-two']) {
      const group = assembleGroup(ctx.collected.groups.get(id)!, new Map());
      expect(group.error).toBeNull();
      expect(group.type).toBe('share');
    }
    const snapshot = assembleSnapshot({
      collected: ctx.collected,
      takenAt: 'x',
      durationMs: 1,
      stats: { kafkaRequests: 0, metricsRequests: 0 },
    });
    expect(snapshot.notes).toEqual([
      'share groups: ShareGroupDescribe v1 not served by this broker (Kafka 4.1+)',
    ]);
    expect(snapshot.errors).toEqual([]);
  });

  it('a Kafka 4.4 cluster has no notes', async () => {
    const { ctx, cache } = cluster(
      KAFKA_44,
      {
        ShareGroupDescribe: 'share-group-describe-v1-empty',
        DescribeShareGroupOffsets: 'describe-share-group-offsets-v1',
      },
      { 's-share': 'share' },
    );
    await describeKafka4Groups(ctx, cache);
    expect(ctx.collected.notes).toEqual([]);
  });
});

describe('streams groups', () => {
  it('carry members with their tasks and the topology epoch', async () => {
    const { ctx, cache } = cluster(
      KAFKA_44,
      { StreamsGroupDescribe: 'streams-group-describe-v1' },
      { 'streams-app': 'streams', 'no-such-group': 'streams' },
    );
    await describeKafka4Groups(ctx, cache);
    const group = assembleGroup(ctx.collected.groups.get('streams-app')!, new Map());
    expect(group).toMatchObject({
      type: 'streams',
      state: 'Stable',
      groupEpoch: 4,
      assignmentEpoch: 4,
      topologyEpoch: 0,
      protocol: 'sticky',
    });
    expect(group.members).toHaveLength(2);
    const tasks = group.members.flatMap((m) => m.tasks!.active).sort();
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => /^\d+_\d+$/.test(t))).toBe(true);
    // An active task of the source subtopology owns that partition of orders.
    expect(group.members.some((m) => m.assignment.some((a) => a.topic === 'orders'))).toBe(true);
    // A streams group that is gone since it was listed is named, not shown dead.
    expect(ctx.collected.groups.get('no-such-group')!.error).toMatch(/StreamsGroupDescribe/);
  });
});

describe('the quorum', () => {
  it('names the active controller and its epoch, with voters and observers and their lag', () => {
    const quorum = quorumOf(decodeDescribeQuorumResponse(captured('describe-quorum-v2'), 2));
    // MetadataQuorumCommand describe --status: LeaderId 0, LeaderEpoch 1, CurrentVoters [0], observers 1-3.
    expect(quorum).toMatchObject({ leaderId: 0, leaderEpoch: 1 });
    expect(quorum.voters.map((v) => v.id)).toEqual([0]);
    expect(quorum.observers.map((o) => o.id)).toEqual([1, 2, 3]);
    for (const r of [...quorum.voters, ...quorum.observers]) {
      expect(r.lag).toBe(Math.max(0, quorum.highWatermark - r.logEndOffset));
    }
    const collected = emptyCollected();
    collected.quorum = quorum;
    const snapshot = assembleSnapshot({
      collected,
      takenAt: 'x',
      durationMs: 1,
      stats: { kafkaRequests: 0, metricsRequests: 0 },
    });
    expect(snapshot.controllerId).toBe(0);
    expect(snapshot.quorum).toBe(quorum);
  });

  it('leaves the controller unknown without a quorum (today’s behaviour: the metric may fill it)', () => {
    const snapshot = assembleSnapshot({
      collected: emptyCollected(),
      takenAt: 'x',
      durationMs: 1,
      stats: { kafkaRequests: 0, metricsRequests: 0 },
    });
    expect(snapshot.controllerId).toBeNull();
    expect(snapshot.quorum).toBeNull();
  });
});
