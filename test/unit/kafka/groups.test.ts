import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, describe as describeGroup } from '../../../source/kafka/groups.js';

describe('decodeAssignment', () => {
  it('decodes a consumer assignment, sorted by topic and partition', () => {
    const buffer = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { payments: [3, 1], orders: [0] },
      userData: Buffer.alloc(0),
    });
    expect(decodeAssignment(buffer)).toEqual([
      { topic: 'orders', partitions: [0] },
      { topic: 'payments', partitions: [1, 3] },
    ]);
  });

  it('is empty for an empty buffer (rebalancing), null, or garbage', () => {
    expect(decodeAssignment(Buffer.alloc(0))).toEqual([]);
    expect(decodeAssignment(null)).toEqual([]);
    expect(decodeAssignment(Buffer.from([0, 0, 0, 0, 0, 9, 1]))).toEqual([]);
  });
});

describe('describe', () => {
  it('decodes assignments only for protocol type consumer', () => {
    const assignment = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { t: [0] },
      userData: Buffer.alloc(0),
    });
    const member = { memberId: 'm', clientId: 'c', clientHost: '/10.0.0.1', memberAssignment: assignment };
    const base = { errorCode: 0, groupId: 'g', state: 'Stable', protocol: 'range', members: [member] };
    expect(describeGroup({ ...base, protocolType: 'consumer' }).members[0]!.assignment).toEqual([
      { topic: 't', partitions: [0] },
    ]);
    expect(describeGroup({ ...base, protocolType: 'connect' }).members[0]!.assignment).toEqual([]);
    expect(describeGroup({ ...base, protocolType: 'consumer' }).members[0]!.host).toBe('/10.0.0.1');
  });
});
