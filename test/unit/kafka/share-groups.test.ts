import { describe, expect, it } from 'vitest';
import { encodeGroupDescribeRequest } from '../../../source/kafka/consumer-group-describe.js';
import {
  decodeDescribeShareGroupOffsetsResponse,
  decodeShareGroupDescribeResponse,
  describeShareGroupOffsets,
  describeShareGroups,
  encodeDescribeShareGroupOffsetsRequest,
} from '../../../source/kafka/share-groups.js';
import { captured, expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

const ORDERS = 'R1n9oruyQ6GwzC5Ie3gRPA'; // topic id of `orders` in the capture

describe('decodeShareGroupDescribeResponse on answers captured from Kafka 4.4.0', () => {
  it('v1: the group and its members as ShareGroupCommand --members --verbose / --state --verbose printed them', () => {
    const { throttleTimeMs, groups } = decodeShareGroupDescribeResponse(
      captured('share-group-describe-v1'),
      1,
    );
    expect(throttleTimeMs).toBe(0);
    // --state --verbose: STATE Stable, GROUP-EPOCH 7, ASSIGNMENT-EPOCH 7, #MEMBERS 2
    expect(groups[0]).toMatchObject({
      errorCode: 0,
      errorMessage: null,
      groupId: 's-share',
      groupState: 'Stable',
      groupEpoch: 7,
      assignmentEpoch: 7,
      assignorName: 'simple',
    });
    // --members --verbose: CONSUMER-ID HOST CLIENT-ID MEMBER-EPOCH ASSIGNMENT
    expect(groups[0]!.members).toEqual([
      {
        memberId: 'jUr74m2wRMKzhtTnkCLeAg',
        rackId: null,
        memberEpoch: 7,
        clientId: 'share-member-2',
        clientHost: '/127.0.0.1',
        subscribedTopicNames: ['orders'],
        assignment: [{ topicId: ORDERS, topicName: 'orders', partitions: [3, 4, 5] }],
      },
      {
        memberId: 'gDrYjSPbRdufXVQ0taM3Zw',
        rackId: null,
        memberEpoch: 7,
        clientId: 'share-member-1',
        clientHost: '/127.0.0.1',
        subscribedTopicNames: ['orders'],
        assignment: [{ topicId: ORDERS, topicName: 'orders', partitions: [0, 1, 2] }],
      },
    ]);
    expect(groups[1]).toMatchObject({
      groupId: 'g-consumer',
      errorCode: 16,
      errorMessage: 'This is not the correct coordinator.',
      members: [],
    });
  });

  it('an Empty group, and error 69 "not a share group" for consumer-protocol and classic groups', () => {
    const empty = decodeShareGroupDescribeResponse(captured('share-group-describe-v1-empty'), 1).groups;
    expect(empty).toEqual([
      {
        errorCode: 0,
        errorMessage: null,
        groupId: 's-share',
        groupState: 'Empty',
        groupEpoch: 5,
        assignmentEpoch: 5,
        assignorName: 'simple',
        members: [],
      },
    ]);
    const other = decodeShareGroupDescribeResponse(captured('share-group-describe-v1-not-share'), 1).groups;
    expect(other.map((g) => [g.groupId, g.errorCode, g.errorMessage])).toEqual([
      ['g-classic', 69, 'Group g-classic is not a share group.'],
      ['g-consumer', 69, 'Group g-consumer is not a share group.'],
    ]);
  });

  it('fails on a truncated answer', () => {
    expectTruncationToFail(
      (body) => decodeShareGroupDescribeResponse(body, 1),
      captured('share-group-describe-v1'),
      'ShareGroupDescribe v1 response',
    );
  });
});

describe('encodeDescribeShareGroupOffsetsRequest', () => {
  it('asks for every topic-partition of each group (DescribeShareGroupOffsetsRequest.json)', () => {
    expect(encodeDescribeShareGroupOffsetsRequest(['s1', 'ab']).toString('hex')).toBe(
      hex(`
        00          # request header v2: no tagged fields
        03          # groups: 2
        03 7331 00 00  # "s1", topics: null, tagged fields
        03 6162 00 00  # "ab"
        00          # tagged fields
      `),
    );
  });
});

describe('decodeDescribeShareGroupOffsetsResponse on answers captured from Kafka 4.4.0', () => {
  // ShareGroupCommand --describe, share consumers stopped after 300 more records:
  //   GROUP    TOPIC   PARTITION  START-OFFSET  LAG
  //   s-share  orders  0          296           0
  //   s-share  orders  1          385           227
  //   s-share  orders  2          195           0
  //   s-share  orders  3          485           0
  //   s-share  orders  4          487           73
  //   s-share  orders  5          391           0
  const tool = [
    [0, 296, 0],
    [1, 385, 227],
    [2, 195, 0],
    [3, 485, 0],
    [4, 487, 73],
    [5, 391, 0],
  ];

  it('v1: start offset and broker-computed lag per share-partition, equal to ShareGroupCommand’s', () => {
    const { groups } = decodeDescribeShareGroupOffsetsResponse(
      captured('describe-share-group-offsets-v1'),
      1,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ groupId: 's-share', errorCode: 0, errorMessage: null });
    expect(groups[0]!.topics.map((t) => [t.topicName, t.topicId])).toEqual([['orders', ORDERS]]);
    const partitions = groups[0]!.topics[0]!.partitions;
    expect(partitions.map((p) => [p.partitionIndex, p.startOffset, p.lag])).toEqual(tool);
    expect(partitions[1]).toEqual({
      partitionIndex: 1,
      startOffset: 385,
      leaderEpoch: 0,
      lag: 227,
      errorCode: 0,
      errorMessage: null,
    });
  });

  it('v0 (Kafka 4.1) has no lag: null, never 0', () => {
    const { groups } = decodeDescribeShareGroupOffsetsResponse(
      captured('describe-share-group-offsets-v0'),
      0,
    );
    const partitions = groups[0]!.topics[0]!.partitions;
    expect(partitions.map((p) => [p.partitionIndex, p.startOffset, p.lag])).toEqual(
      tool.map(([partition, start]) => [partition, start, null]),
    );
  });

  it('reads -1 (no start offset yet; lag unknown) as null', () => {
    const body = Buffer.from(captured('describe-share-group-offsets-v1'));
    // Partition 0's start_offset: after header tags (1), throttle (4), groups (1), "s-share" (8), topics (1),
    // "orders" (7), topic id (16), partitions (1), index (4).
    const at = 1 + 4 + 1 + 8 + 1 + 7 + 16 + 1 + 4;
    expect(body.readBigInt64BE(at)).toBe(296n);
    body.writeBigInt64BE(-1n, at);
    body.writeBigInt64BE(-1n, at + 8 + 4); // its lag, after the leader epoch
    const [partition] = decodeDescribeShareGroupOffsetsResponse(body, 1).groups[0]!.topics[0]!.partitions;
    expect(partition).toMatchObject({ partitionIndex: 0, startOffset: null, lag: null });
  });

  it('fails on a truncated answer, and on one read at the wrong version', () => {
    for (const version of [0, 1]) {
      expectTruncationToFail(
        (body) => decodeDescribeShareGroupOffsetsResponse(body, version),
        captured(`describe-share-group-offsets-v${version}`),
        `DescribeShareGroupOffsets v${version} response`,
      );
    }
    expect(() =>
      decodeDescribeShareGroupOffsetsResponse(captured('describe-share-group-offsets-v1'), 0),
    ).toThrow(/DescribeShareGroupOffsets v0 response/);
  });
});

describe('describeShareGroups and describeShareGroupOffsets', () => {
  it('send ShareGroupDescribe v1 and the highest DescribeShareGroupOffsets version up to v1', async () => {
    const describe = fakeBroker({ 77: 1 }, captured('share-group-describe-v1'));
    expect((await describeShareGroups(describe.broker, ['s-share']))?.groups[0]?.members).toHaveLength(2);
    expect(describe.sent).toEqual([
      {
        apiName: 'ShareGroupDescribe',
        apiKey: 77,
        apiVersion: 1,
        body: encodeGroupDescribeRequest(['s-share']),
      },
    ]);
    const offsets = fakeBroker({ 90: 4 }, captured('describe-share-group-offsets-v1'));
    const answer = await describeShareGroupOffsets(offsets.broker, ['s-share']);
    expect(answer?.groups[0]?.topics[0]?.partitions[1]?.lag).toBe(227);
    expect(offsets.sent).toEqual([
      {
        apiName: 'DescribeShareGroupOffsets',
        apiKey: 90,
        apiVersion: 1,
        body: encodeDescribeShareGroupOffsetsRequest(['s-share']),
      },
    ]);
  });

  it('read v0 offsets without lag from a Kafka 4.1 broker', async () => {
    const { broker, sent } = fakeBroker({ 90: 0 }, captured('describe-share-group-offsets-v0'));
    expect(
      (await describeShareGroupOffsets(broker, ['s-share']))?.groups[0]?.topics[0]?.partitions[1]?.lag,
    ).toBeNull();
    expect(sent[0]?.apiVersion).toBe(0);
  });

  it('give null, sending nothing, where not served: Kafka 3.9 (neither), 4.0 (ShareGroupDescribe v0 only)', async () => {
    const kafka39 = fakeBroker({}, Buffer.alloc(0));
    expect(await describeShareGroups(kafka39.broker, ['s'])).toBeNull();
    expect(await describeShareGroupOffsets(kafka39.broker, ['s'])).toBeNull();
    const kafka40 = fakeBroker({ 77: 0 }, Buffer.alloc(0));
    expect(await describeShareGroups(kafka40.broker, ['s'])).toBeNull();
    expect([...kafka39.sent, ...kafka40.sent]).toEqual([]);
  });
});
