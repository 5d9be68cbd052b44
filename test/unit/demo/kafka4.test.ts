/**
 * The kafka4 scenario gives the model what the live collector gives it for the same groups: the same fields
 * as assembleGroup builds from answers captured on a 4.4.0 broker, and epochs and assignments that move by the
 * coordinator's rules.
 */
import { describe, expect, it } from 'vitest';
import { assembleGroup } from '../../../source/kafka/assemble.js';
import type { CollectedGroup } from '../../../source/kafka/collected.js';
import { decodeConsumerGroupDescribeResponse } from '../../../source/kafka/consumer-group-describe.js';
import { decodeDescribeQuorumResponse } from '../../../source/kafka/describe-quorum.js';
import {
  describeConsumerGroup,
  describeShareGroup,
  shareOffsetsOf,
} from '../../../source/kafka/kafka4-descriptions.js';
import { quorumOf } from '../../../source/kafka/quorum.js';
import {
  decodeDescribeShareGroupOffsetsResponse,
  decodeShareGroupDescribeResponse,
} from '../../../source/kafka/share-groups.js';
import type { ClusterSnapshot, GroupSnapshot } from '../../../source/snapshot.js';
import { captured } from '../kafka/kafka4-support.js';
import { group, run } from './helpers.js';

function collectedGroup(type: 'consumer' | 'share'): CollectedGroup {
  return {
    groupId: 'g',
    listedProtocolType: type,
    type,
    description: null,
    consumerProtocol: false,
    committed: null,
    shareOffsets: null,
    error: null,
  };
}

/** What the collector builds from a 4.4.0 broker's answers. */
function live(): { consumer: GroupSnapshot; share: GroupSnapshot } {
  const cgd = decodeConsumerGroupDescribeResponse(captured('consumer-group-describe-v1-reconciling'), 1);
  const consumer = collectedGroup('consumer');
  consumer.description = describeConsumerGroup(cgd.groups[0]!);
  consumer.consumerProtocol = true;
  consumer.committed = new Map([['orders', new Map([[0, 10]])]]);
  const sgd = decodeShareGroupDescribeResponse(captured('share-group-describe-v1'), 1);
  const offsets = decodeDescribeShareGroupOffsetsResponse(captured('describe-share-group-offsets-v1'), 1);
  const share = collectedGroup('share');
  share.description = describeShareGroup(sgd.groups[0]!);
  share.shareOffsets = shareOffsetsOf(offsets.groups[0]!).offsets;
  const logEnd = new Map([['orders', new Map([[0, 20]])]]);
  return { consumer: assembleGroup(consumer, logEnd), share: assembleGroup(share, logEnd) };
}

const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();

async function kafka4(refreshes: number): Promise<ClusterSnapshot[]> {
  return run({ scenario: 'kafka4', seed: 1 }, refreshes);
}

describe('kafka4 scenario', () => {
  it('has the fields the collector builds from ConsumerGroupDescribe, the share-group APIs and DescribeQuorum', async () => {
    const expected = live();
    const last = (await kafka4(30)).at(-1)!;
    const consumer = group(last, 'search-indexer');
    const share = group(last, 'notification-workers');
    expect(keys(consumer)).toEqual(keys(expected.consumer));
    expect(keys(consumer.members[0])).toEqual(keys(expected.consumer.members[0]));
    expect(keys(consumer.partitions[0])).toEqual(keys(expected.consumer.partitions[0]));
    expect(keys(share)).toEqual(keys(expected.share));
    expect(keys(share.members[0])).toEqual(keys(expected.share.members[0]));
    expect(keys(share.partitions[0])).toEqual(keys(expected.share.partitions[0]));
    expect(share).toMatchObject({
      type: 'share',
      protocolType: 'share',
      protocol: 'simple',
      state: 'Stable',
    });
    expect(share.partitions.every((p) => p.committedOffset === null && p.startOffset !== null)).toBe(true);
    const quorum = quorumOf(decodeDescribeQuorumResponse(captured('describe-quorum-v2'), 2));
    expect(keys(last.quorum!)).toEqual(keys(quorum));
    expect(keys(last.quorum!.voters[1])).toEqual(keys(quorum.voters[0]));
    expect(last.controllerId).toBe(last.quorum!.leaderId);
    // ListGroups v5 types every group on a Kafka 4 cluster.
    expect(last.groups.filter((g) => g.type === undefined)).toEqual([]);
  });

  it('reconciles as the coordinator does: no partition owned twice, epochs only move up, Stable only when converged', async () => {
    const snapshots = await kafka4(80);
    const states = new Set<string>();
    let lastEpoch = 0;
    for (const s of snapshots) {
      const g = group(s, 'search-indexer');
      states.add(g.state);
      expect(g.groupEpoch!).toBeGreaterThanOrEqual(lastEpoch);
      expect(g.assignmentEpoch!).toBeLessThanOrEqual(g.groupEpoch!);
      lastEpoch = g.groupEpoch!;
      const owned = g.members.flatMap((m) =>
        m.assignment.flatMap((a) => a.partitions.map((p) => `${a.topic}:${p}`)),
      );
      expect(new Set(owned).size).toBe(owned.length);
      if (g.state === 'Assigning') expect(g.groupEpoch!).toBeGreaterThan(g.assignmentEpoch!);
      if (g.state === 'Stable') {
        for (const m of g.members) {
          expect(m.memberEpoch).toBe(g.assignmentEpoch);
          expect(m.assignment).toEqual(m.targetAssignment);
        }
        expect(owned).toHaveLength(14);
      }
    }
    expect([...states].sort()).toEqual(['Assigning', 'Reconciling', 'Stable']);
  });
});
