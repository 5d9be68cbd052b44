import { describe, expect, it } from 'vitest';
import {
  type ConsumerGroupMember,
  decodeConsumerGroupDescribeResponse,
  describeConsumerGroups,
  encodeGroupDescribeRequest,
} from '../../../source/kafka/consumer-group-describe.js';
import { captured, expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

const ORDERS = 'R1n9oruyQ6GwzC5Ie3gRPA'; // topic id of `orders` in the capture
const PAYMENTS = 'qod0KN4GQ4qY3J1_npsJrg';

/** A member as ConsumerGroupCommand --members --verbose prints it: assignments as `topic:p,p`. */
function row(m: ConsumerGroupMember): string {
  const of = (a: ConsumerGroupMember['assignment']) =>
    a.map((t) => `${t.topicName}:${t.partitions.join(',')}`).join(';');
  return [
    m.memberId,
    m.instanceId ?? '',
    m.clientHost,
    m.clientId,
    m.memberEpoch,
    of(m.assignment),
    of(m.targetAssignment),
  ].join(' ');
}

describe('encodeGroupDescribeRequest', () => {
  it('lays out the body (ConsumerGroupDescribeRequest.json; ShareGroupDescribe has the same fields)', () => {
    expect(encodeGroupDescribeRequest(['g1', 'ab']).toString('hex')).toBe(
      hex(`
        00           # request header v2: no tagged fields
        03 03 6731 03 6162 # group_ids ["g1", "ab"]
        00           # include_authorized_operations: false
        00           # tagged fields
      `),
    );
    expect(encodeGroupDescribeRequest([]).toString('hex')).toBe('00010000');
  });

  it('grows past its first guess for long ids, in UTF-8 bytes', () => {
    const long = 'g'.repeat(300); // compact length 301 = ad 02
    const body = encodeGroupDescribeRequest([long, 'é']);
    expect(body.subarray(0, 4).toString('hex')).toBe('0003ad02');
    expect(body.subarray(4, 304).toString('latin1')).toBe(long);
    expect(body.subarray(304).toString('hex')).toBe('03c3a90000');
  });
});

describe('decodeConsumerGroupDescribeResponse on answers captured from Kafka 4.4.0', () => {
  it('v0: the group and its members as ConsumerGroupCommand 4.4 printed them (member type unknown in v0)', () => {
    const { throttleTimeMs, groups } = decodeConsumerGroupDescribeResponse(
      captured('consumer-group-describe-v0'),
      0,
    );
    expect(throttleTimeMs).toBe(0);
    expect(groups).toHaveLength(1);
    const group = groups[0]!;
    // --state --verbose: ASSIGNMENT-STRATEGY uniform, STATE Stable, GROUP-EPOCH 3, TARGET-ASSIGNMENT-EPOCH 3, #MEMBERS 2
    expect(group).toMatchObject({
      errorCode: 0,
      errorMessage: null,
      groupId: 'g-consumer',
      groupState: 'Stable',
      groupEpoch: 3,
      assignmentEpoch: 3,
      assignorName: 'uniform',
    });
    // --members --verbose: CONSUMER-ID HOST CLIENT-ID CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-ASSIGNMENT
    expect(group.members.map(row)).toEqual([
      'XuTzbtjMRLe9Og1jOCI6IQ  /127.0.0.1 cg-member-1 3 orders:3,4,5 orders:3,4,5',
      'FkNA438ORkKjtSOpuyzNeQ  /127.0.0.1 cg-member-2 3 orders:0,1,2 orders:0,1,2',
    ]);
    expect(group.members[0]).toEqual({
      memberId: 'XuTzbtjMRLe9Og1jOCI6IQ',
      instanceId: null,
      rackId: null,
      memberEpoch: 3,
      clientId: 'cg-member-1',
      clientHost: '/127.0.0.1',
      subscribedTopicNames: ['orders'],
      subscribedTopicRegex: null, // the broker answers "" for a subscription by names
      assignment: [{ topicId: ORDERS, topicName: 'orders', partitions: [3, 4, 5] }],
      targetAssignment: [{ topicId: ORDERS, topicName: 'orders', partitions: [3, 4, 5] }],
      memberType: -1,
    });
  });

  it('v1 mid-rebalance: Reconciling, members behind the assignment epoch still hold partitions to revoke', () => {
    const [group] = decodeConsumerGroupDescribeResponse(
      captured('consumer-group-describe-v1-reconciling'),
      1,
    ).groups;
    expect(group).toMatchObject({ groupState: 'Reconciling', groupEpoch: 4, assignmentEpoch: 4 });
    expect(group!.members.map(row)).toEqual([
      'XuTzbtjMRLe9Og1jOCI6IQ  /127.0.0.1 cg-member-1 3 orders:3,4,5 orders:3,4',
      'UVBZ_Ny0QAmMrRxp10xiJA  /127.0.0.1 cg-member-3 4  orders:2,5',
      'FkNA438ORkKjtSOpuyzNeQ  /127.0.0.1 cg-member-2 3 orders:0,1,2 orders:0,1',
    ]);
    expect(group!.members.map((m) => m.memberType)).toEqual([1, 1, 1]); // consumer members
  });

  it('v1 converged: Stable, every member at epoch 4 with its target', () => {
    const [group] = decodeConsumerGroupDescribeResponse(
      captured('consumer-group-describe-v1-stable'),
      1,
    ).groups;
    expect(group).toMatchObject({ groupState: 'Stable', groupEpoch: 4, assignmentEpoch: 4 });
    for (const m of group!.members) {
      expect(m.memberEpoch).toBe(4);
      expect(m.assignment).toEqual(m.targetAssignment);
    }
    expect(group!.members.flatMap((m) => m.assignment[0]!.partitions).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('v1 with a static member; per-group errors: not found (69), NOT_COORDINATOR (16)', () => {
    const { groups } = decodeConsumerGroupDescribeResponse(
      captured('consumer-group-describe-v1-static-member'),
      1,
    );
    expect(groups.map((g) => [g.groupId, g.errorCode, g.errorMessage])).toEqual([
      ['g-classic', 16, null],
      ['g-regex', 0, null],
      ['no-such-group', 69, 'Group no-such-group not found.'],
      ['g-consumer', 16, null],
    ]);
    const regex = groups[1]!;
    expect(regex).toMatchObject({
      groupState: 'Stable',
      groupEpoch: 2,
      assignmentEpoch: 2,
      assignorName: 'uniform',
    });
    // --members --verbose: GROUP-INSTANCE-ID regex-static-1, payments:0,1,2 at epoch 2
    expect(regex.members.map(row)).toEqual([
      'svnk1So3R1WfydcetKw3tQ regex-static-1 /127.0.0.1 regex-member 2 payments:0,1,2 payments:0,1,2',
    ]);
    // --include 'pay.*' is a client-side Java Pattern: the broker sees the names it resolved to.
    expect(regex.members[0]).toMatchObject({
      subscribedTopicNames: ['payments'],
      subscribedTopicRegex: null,
    });
    expect(regex.members[0]!.assignment[0]!.topicId).toBe(PAYMENTS);
  });

  it('error 69 "not a consumer group" for a classic and for a share group: describe those another way', () => {
    const classic = decodeConsumerGroupDescribeResponse(
      captured('consumer-group-describe-v1-classic-group'),
      1,
    );
    expect(classic.groups.map((g) => [g.groupId, g.errorCode, g.errorMessage, g.groupState])).toEqual([
      ['g-classic', 69, 'Group g-classic is not a consumer group.', ''],
      ['g-consumer', 0, null, 'Empty'],
    ]);
    const share = decodeConsumerGroupDescribeResponse(captured('consumer-group-describe-v1-share-group'), 1);
    expect(share.groups.map((g) => [g.errorCode, g.errorMessage])).toEqual([
      [69, 'Group s-share is not a consumer group.'],
    ]);
  });

  it('Kafka 3.9.1 advertises v0 but answers UNSUPPORTED_VERSION (35) per group', () => {
    const { groups } = decodeConsumerGroupDescribeResponse(
      captured('consumer-group-describe-v0-kafka-3.9.1'),
      0,
    );
    expect(groups).toEqual([
      {
        errorCode: 35,
        errorMessage: null,
        groupId: 'g-classic',
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        assignorName: '',
        members: [],
      },
    ]);
  });

  it('fails on a truncated answer, and on one read at the wrong version', () => {
    expectTruncationToFail(
      (body) => decodeConsumerGroupDescribeResponse(body, 1),
      captured('consumer-group-describe-v1-reconciling'),
      'ConsumerGroupDescribe v1 response',
    );
    expectTruncationToFail(
      (body) => decodeConsumerGroupDescribeResponse(body, 0),
      captured('consumer-group-describe-v0'),
      'ConsumerGroupDescribe v0 response',
    );
    expect(() => decodeConsumerGroupDescribeResponse(captured('consumer-group-describe-v0'), 1)).toThrow(
      /ConsumerGroupDescribe v1 response/,
    );
  });
});

describe('describeConsumerGroups', () => {
  it('sends v1 where served (never above it) and decodes at that version', async () => {
    const { broker, sent } = fakeBroker({ 69: 3 }, captured('consumer-group-describe-v1-stable'));
    const answer = await describeConsumerGroups(broker, ['g-consumer']);
    expect(sent).toEqual([
      {
        apiName: 'ConsumerGroupDescribe',
        apiKey: 69,
        apiVersion: 1,
        body: encodeGroupDescribeRequest(['g-consumer']),
      },
    ]);
    expect(answer?.groups[0]?.members).toHaveLength(3);
  });

  it('sends v0 where only v0 is served', async () => {
    const { broker, sent } = fakeBroker({ 69: 0 }, captured('consumer-group-describe-v0'));
    expect((await describeConsumerGroups(broker, ['g-consumer']))?.groups[0]?.members[0]?.memberType).toBe(
      -1,
    );
    expect(sent[0]?.apiVersion).toBe(0);
  });

  it('gives null, sending nothing, where the API is not advertised', async () => {
    const { broker, sent } = fakeBroker({}, Buffer.alloc(0));
    expect(await describeConsumerGroups(broker, ['g'])).toBeNull();
    expect(sent).toEqual([]);
  });
});
