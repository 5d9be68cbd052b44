import { describe, expect, it } from 'vitest';
import {
  decodeStreamsGroupDescribeResponse,
  describeStreamsGroups,
  encodeStreamsGroupDescribeRequest,
  type StreamsAssignment,
  type StreamsGroupMember,
} from '../../../source/kafka/streams-group-describe.js';
import { captured, expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

/** Tasks as StreamsGroupCommand --members --verbose prints them: `0:[1,3,5]; 1:[1,3,5]`. */
const tasks = (a: StreamsAssignment) =>
  a.activeTasks.map((t) => `${t.subtopologyId}:[${t.partitions}]`).join('; ');
const row = (m: StreamsGroupMember) =>
  [m.memberId, m.memberEpoch, m.processId, m.clientId, tasks(m.assignment), tasks(m.targetAssignment)].join(
    ' | ',
  );

describe('encodeStreamsGroupDescribeRequest', () => {
  it('lays out v0 and v1 (StreamsGroupDescribeRequest.json): no operations, no topology description', () => {
    expect(encodeStreamsGroupDescribeRequest(1, ['g1']).toString('hex')).toBe(
      hex(`
        00          # request header v2: no tagged fields
        02 03 6731  # group_ids ["g1"]
        00          # include_authorized_operations: false
        00          # include_topology_description (v1+): false
        00          # tagged fields
      `),
    );
    expect(encodeStreamsGroupDescribeRequest(0, ['g1']).toString('hex')).toBe('0002036731' + '00' + '00');
  });
});

describe('decodeStreamsGroupDescribeResponse on answers captured from Kafka 4.4.0', () => {
  it('v1: state, epochs, topology and members as StreamsGroupCommand --describe printed them', () => {
    const { groups } = decodeStreamsGroupDescribeResponse(captured('streams-group-describe-v1'), 1);
    expect(groups.map((g) => [g.groupId, g.errorCode, g.errorMessage])).toEqual([
      ['streams-app', 0, null],
      ['no-such-group', 69, 'Group no-such-group not found.'],
    ]);
    const group = groups[0]!;
    // --state --verbose: ASSIGNOR sticky, STATE Stable, GROUP-EPOCH 4, TARGET-ASSIGNMENT-EPOCH 4, #MEMBERS 2
    expect(group).toMatchObject({
      groupState: 'Stable',
      groupEpoch: 4,
      assignmentEpoch: 4,
      assignorName: 'sticky',
    });
    // --members --verbose: MEMBER, MEMBER-EPOCH, PROCESS, CLIENT-ID, ACTIVE, TARGET-ACTIVE
    expect(group.members.map(row)).toEqual([
      'lWTzI3TWSQ2dJPsmu8V1dQ | 4 | daada93f-e20a-4d6c-9bb9-cb57375d33c1 | streams-member-1-StreamThread-1-consumer | 0:[1,3,5]; 1:[1,3,5] | 0:[1,3,5]; 1:[1,3,5]',
      'orSAgtQMSXaEBsgwQq0AvA | 4 | 611eed7c-ae8c-423e-9a97-697a48e030cb | streams-member-2-StreamThread-1-consumer | 0:[0,2,4]; 1:[0,2,4] | 0:[0,2,4]; 1:[0,2,4]',
    ]);
    expect(group.members[0]).toMatchObject({
      instanceId: null,
      rackId: null,
      clientHost: '/127.0.0.1',
      topologyEpoch: 0, // TOPOLOGY-EPOCH 0
      userEndpoint: { host: '127.0.0.1', port: 8081 }, // application.server
      clientTags: [],
      isClassic: false, // MEMBER-PROTOCOL streams
    });
    expect(group.members[0]!.assignment).toMatchObject({ standbyTasks: [], warmupTasks: [] });
    // groupBy().count(): subtopology 0 reads orders into the repartition topic, 1 counts into a changelog.
    expect(group.topology?.epoch).toBe(0);
    expect(
      group.topology?.subtopologies?.map((s) => [s.subtopologyId, s.sourceTopics, s.repartitionSinkTopics]),
    ).toEqual([
      ['0', ['orders'], ['streams-app-counts-repartition']],
      ['1', [], []],
    ]);
    const counting = group.topology!.subtopologies![1]!;
    expect(counting.stateChangelogTopics).toEqual([
      {
        name: 'streams-app-counts-changelog',
        partitions: 6,
        replicationFactor: -1,
        topicConfigs: [
          { key: 'cleanup.policy', value: 'compact' },
          { key: 'message.timestamp.type', value: 'CreateTime' },
        ],
      },
    ]);
    expect(
      counting.repartitionSourceTopics.map((t) => [t.name, t.partitions, t.topicConfigs.length]),
    ).toEqual([['streams-app-counts-repartition', 6, 4]]);
  });

  it('v0: the same group without an assignor name', () => {
    const [group] = decodeStreamsGroupDescribeResponse(captured('streams-group-describe-v0'), 0).groups;
    expect(group).toMatchObject({ groupState: 'Stable', groupEpoch: 4, assignorName: null });
    expect(group!.members).toHaveLength(2);
  });

  it('v1 mid-rebalance: a third member joined, one member behind still holds a task to give up', () => {
    const [group] = decodeStreamsGroupDescribeResponse(
      captured('streams-group-describe-v1-reconciling'),
      1,
    ).groups;
    expect(group).toMatchObject({ groupState: 'Reconciling', groupEpoch: 5, assignmentEpoch: 5 });
    expect(
      group!.members.map((m) => [m.memberEpoch, tasks(m.assignment), tasks(m.targetAssignment)]),
    ).toEqual([
      [4, '0:[1,3]; 1:[1,3]', '0:[1,3]; 1:[1,3]'],
      [5, '', '0:[4,5]; 1:[4,5]'],
      [4, '0:[0,2,4]; 1:[0,2,4]', '0:[0,2]; 1:[0,2]'],
    ]);
  });

  it('NOT_COORDINATOR from another broker: no topology, no members', () => {
    expect(
      decodeStreamsGroupDescribeResponse(captured('streams-group-describe-v1-not-coordinator'), 1).groups,
    ).toEqual([
      {
        errorCode: 16,
        errorMessage: null,
        groupId: 'streams-app',
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        topology: null,
        members: [],
        assignorName: null,
      },
    ]);
  });

  it('fails on a truncated answer, and on one read at the wrong version', () => {
    expectTruncationToFail(
      (body) => decodeStreamsGroupDescribeResponse(body, 1),
      captured('streams-group-describe-v1'),
      'StreamsGroupDescribe v1 response',
    );
    expectTruncationToFail(
      (body) => decodeStreamsGroupDescribeResponse(body, 0),
      captured('streams-group-describe-v0'),
      'StreamsGroupDescribe v0 response',
    );
    expect(() => decodeStreamsGroupDescribeResponse(captured('streams-group-describe-v0'), 1)).toThrow(
      /StreamsGroupDescribe v1 response/,
    );
  });
});

describe('describeStreamsGroups', () => {
  it('sends v1 where served (never above it), v0 where only v0 is, and nothing where none is', async () => {
    const v1 = fakeBroker({ 89: 2 }, captured('streams-group-describe-v1'));
    expect((await describeStreamsGroups(v1.broker, ['streams-app', 'no-such-group']))?.groups).toHaveLength(
      2,
    );
    expect(v1.sent).toEqual([
      {
        apiName: 'StreamsGroupDescribe',
        apiKey: 89,
        apiVersion: 1,
        body: encodeStreamsGroupDescribeRequest(1, ['streams-app', 'no-such-group']),
      },
    ]);
    const v0 = fakeBroker({ 89: 0 }, captured('streams-group-describe-v0'));
    expect((await describeStreamsGroups(v0.broker, ['streams-app']))?.groups[0]?.assignorName).toBeNull();
    expect(v0.sent[0]?.apiVersion).toBe(0);
    const none = fakeBroker({}, Buffer.alloc(0));
    expect(await describeStreamsGroups(none.broker, ['streams-app'])).toBeNull();
    expect(none.sent).toEqual([]);
  });
});
