/**
 * Each listed group's type: named by ListGroups v5, inferred from the protocol type before it (brokers
 * before 3.8, ListGroups v2-v4), as Kafka's own tools do.
 */
import { describe, expect, it } from 'vitest';
import { createAnswerMemo } from '../../../source/kafka/answer-memo.js';
import { listTypedGroups } from '../../../source/kafka/group-listing.js';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';
import { captured, fakeBroker } from './kafka4-support.js';

/** A broker serving ListGroups v2 only, answering through kafkajs's own request (scripted). */
function v2Broker(groups: Array<{ groupId: string; protocolType: string }>): InternalBroker {
  const broker: InternalBroker = {
    nodeId: 1,
    versions: null,
    isConnected: () => broker.versions !== null,
    async connect() {
      broker.versions = { 16: { minVersion: 0, maxVersion: 2 } };
    },
    async disconnect() {},
    lookupRequest: () => () => ({
      request: { apiName: 'ListGroups', apiVersion: 2 },
      response: { decode: async () => ({ errorCode: 0, groups }), parse: async (d) => d },
    }),
    connectionPool: {
      host: '127.0.0.1',
      port: 9091,
      rack: null,
      async send({ response }) {
        return response.parse(await response.decode(Buffer.alloc(0)));
      },
    },
  };
  return broker;
}

describe('listTypedGroups', () => {
  it('ListGroups v4 (no types): inferred from the protocol type, never null', async () => {
    // Captured on 4.4.0 at v4: g-consumer is a consumer-protocol group, which v4 cannot tell (groups.ts can).
    const { broker, sent } = fakeBroker({ 16: 4 }, captured('list-groups-v4'));
    expect(await listTypedGroups(broker, createAnswerMemo())).toEqual([
      { groupId: 'g-classic', protocolType: 'consumer', type: 'classic' },
      { groupId: 'g-consumer', protocolType: 'consumer', type: 'classic' },
    ]);
    expect(sent[0]?.apiVersion).toBe(4);
  });

  it('ListGroups v2 (kafkajs): consumer, empty and connect are classic; share and streams say so', async () => {
    const groups = await listTypedGroups(
      v2Broker([
        { groupId: 'a', protocolType: 'consumer' },
        { groupId: 'b', protocolType: '' },
        { groupId: 'c', protocolType: 'connect' },
        { groupId: 'd', protocolType: 'share' },
        { groupId: 'e', protocolType: 'streams' },
      ]),
      createAnswerMemo(),
    );
    expect(groups.map((g) => [g.groupId, g.protocolType, g.type])).toEqual([
      ['a', 'consumer', 'classic'],
      ['b', '', 'classic'],
      ['c', 'connect', 'classic'],
      ['d', 'share', 'share'],
      ['e', 'streams', 'streams'],
    ]);
  });

  it('ListGroups v5 keeps the broker’s types', async () => {
    const { broker } = fakeBroker({ 16: 5 }, captured('list-groups-v5'));
    const groups = await listTypedGroups(broker, createAnswerMemo());
    expect(groups.map((g) => g.type)).toEqual(['classic', 'consumer']);
  });
});
