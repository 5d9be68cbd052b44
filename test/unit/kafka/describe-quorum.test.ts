import { describe, expect, it } from 'vitest';
import {
  decodeDescribeQuorumResponse,
  describeQuorum,
  encodeDescribeQuorumRequest,
} from '../../../source/kafka/describe-quorum.js';
import { captured, expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

describe('encodeDescribeQuorumRequest', () => {
  it('asks for partition 0 of __cluster_metadata (DescribeQuorumRequest.json, every version)', () => {
    expect(encodeDescribeQuorumRequest().toString('hex')).toBe(
      hex(`
        00                               # request header v2: no tagged fields
        02                               # topics: 1
        13 5f5f636c75737465725f6d65746164617461 # "__cluster_metadata"
        02 00000000 00                   # partitions: [0], its tagged fields
        00                               # topic's tagged fields
        00                               # tagged fields
      `),
    );
  });
});

describe('decodeDescribeQuorumResponse on answers captured from Kafka 4.4.0', () => {
  it('v2: leader, voters and observers as MetadataQuorumCommand describe --status/--replication printed them', () => {
    const answer = decodeDescribeQuorumResponse(captured('describe-quorum-v2'), 2);
    expect(answer.errorCode).toBe(0);
    expect(answer.errorMessage).toBe(''); // "" rather than null from 4.4
    expect(answer.nodes).toEqual([
      { nodeId: 0, listeners: [{ name: 'CONTROLLER', host: '127.0.0.1', port: 39090 }] },
    ]);
    expect(answer.topics).toHaveLength(1);
    expect(answer.topics[0]!.topicName).toBe('__cluster_metadata');
    const [partition] = answer.topics[0]!.partitions;
    // --status: LeaderId 0, LeaderEpoch 1 (HighWatermark moved between the capture and the tool's run)
    expect(partition).toMatchObject({
      partitionIndex: 0,
      errorCode: 0,
      leaderId: 0,
      leaderEpoch: 1,
      highWatermark: 597,
    });
    expect(partition!.currentVoters).toEqual([
      {
        replicaId: 0,
        replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA', // --replication prints the same for node 0
        logEndOffset: 597,
        lastFetchTimestamp: 1796606316814,
        lastCaughtUpTimestamp: 1796606316814,
      },
    ]);
    // --status CurrentObservers: ids and directory ids in this order
    expect(partition!.observers.map((o) => [o.replicaId, o.replicaDirectoryId, o.logEndOffset])).toEqual([
      [2, 'F0p5AzvUwsyPjvERfKpxZQ', 597],
      [1, 'oGlArTbLdu1i0oQIB7VkDg', 597],
      [3, 'MtW0K33doxt6HeRqSBaDNg', 597],
    ]);
    expect(partition!.observers[0]).toMatchObject({
      lastFetchTimestamp: 1796606316446,
      lastCaughtUpTimestamp: 1796606316446,
    });
  });

  it('v1: no directory ids, messages or nodes; v0: no timestamps either (null, never 0)', () => {
    const v1 = decodeDescribeQuorumResponse(captured('describe-quorum-v1'), 1);
    expect(v1.errorMessage).toBeNull();
    expect(v1.nodes).toEqual([]);
    const p1 = v1.topics[0]!.partitions[0]!;
    expect(p1).toMatchObject({ leaderId: 0, leaderEpoch: 1, highWatermark: 602, errorMessage: null });
    expect(p1.observers[1]).toEqual({
      replicaId: 1,
      replicaDirectoryId: null,
      logEndOffset: 602,
      lastFetchTimestamp: 1796606318966,
      lastCaughtUpTimestamp: 1796606318966,
    });
    const p0 = decodeDescribeQuorumResponse(captured('describe-quorum-v0'), 0).topics[0]!.partitions[0]!;
    expect(p0).toMatchObject({ leaderId: 0, leaderEpoch: 1, highWatermark: 603 });
    expect(p0.currentVoters).toEqual([
      {
        replicaId: 0,
        replicaDirectoryId: null,
        logEndOffset: 603,
        lastFetchTimestamp: null,
        lastCaughtUpTimestamp: null,
      },
    ]);
  });

  it('reads Kafka 3.9.1’s v2 answer', () => {
    const answer = decodeDescribeQuorumResponse(captured('describe-quorum-v2-kafka-3.9.1'), 2);
    const partition = answer.topics[0]!.partitions[0]!;
    expect(partition).toMatchObject({ leaderId: 0, leaderEpoch: 1, highWatermark: 103 });
    expect(partition.observers.map((o) => o.replicaId)).toEqual([2, 1, 3]);
    expect(answer.nodes[0]?.listeners[0]?.port).toBe(39090);
  });

  it('reads -1 timestamps as unknown (the leader’s own last fetch, a voter not heard from)', () => {
    const body = Buffer.from(captured('describe-quorum-v1'));
    // The voter's last_fetch_timestamp: after header tags (1), error (2), topics (1), name (1 + 18),
    // partitions (1), index (4), error (2), leader (4), epoch (4), high watermark (8), voters (1), id (4),
    // log end offset (8).
    const at = 1 + 2 + 1 + 19 + 1 + 4 + 2 + 4 + 4 + 8 + 1 + 4 + 8;
    expect(body.readBigInt64BE(at)).toBe(1796606319045n);
    body.writeBigInt64BE(-1n, at);
    const voter = decodeDescribeQuorumResponse(body, 1).topics[0]!.partitions[0]!.currentVoters[0]!;
    expect(voter.lastFetchTimestamp).toBeNull();
    expect(voter.lastCaughtUpTimestamp).toBe(1796606319045);
  });

  it('fails on a truncated answer, and on one read at the wrong version', () => {
    for (const version of [0, 1, 2]) {
      expectTruncationToFail(
        (body) => decodeDescribeQuorumResponse(body, version),
        captured(`describe-quorum-v${version}`),
        `DescribeQuorum v${version} response`,
      );
    }
    expect(() => decodeDescribeQuorumResponse(captured('describe-quorum-v2'), 1)).toThrow(
      /DescribeQuorum v1 response/,
    );
  });
});

describe('describeQuorum', () => {
  it('sends v2 where served (never above it)', async () => {
    const { broker, sent } = fakeBroker({ 55: 7 }, captured('describe-quorum-v2'));
    expect((await describeQuorum(broker))?.topics[0]?.partitions[0]?.leaderId).toBe(0);
    expect(sent).toEqual([
      { apiName: 'DescribeQuorum', apiKey: 55, apiVersion: 2, body: encodeDescribeQuorumRequest() },
    ]);
  });

  it('sends v0 to a broker serving only v0, and gives null, sending nothing, where it is not served', async () => {
    const old = fakeBroker({ 55: 0 }, captured('describe-quorum-v0'));
    expect((await describeQuorum(old.broker))?.topics[0]?.partitions[0]?.highWatermark).toBe(603);
    expect(old.sent[0]?.apiVersion).toBe(0);
    const none = fakeBroker({}, Buffer.alloc(0));
    expect(await describeQuorum(none.broker)).toBeNull();
    expect(none.sent).toEqual([]);
  });
});
