/**
 * Requests per refresh do not grow with the number of groups: the group requests of a refresh, for 100, 250,
 * 500 and 1,000 groups of mixed types (classic, consumer, share, streams) spread over 3 coordinators, through
 * the real describeGroups / describeKafka4Groups / fetchCommittedOffsets, their encoders and decoders
 * (coordinators answer the Kafka 4 APIs with bodies captured from a 4.4.0 broker and OffsetFetch v8 with
 * wire bytes; kafkajs's DescribeGroups is scripted). Counted by API.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { emptyCollected } from '../../../source/kafka/collected.js';
import { fetchCommittedOffsets } from '../../../source/kafka/committed-offsets.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import { createGroupCache, describeGroups } from '../../../source/kafka/groups.js';
import { describeKafka4Groups } from '../../../source/kafka/kafka4-groups.js';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';
import { createLimit } from '../../../source/kafka/limit.js';
import type { GroupType } from '../../../source/snapshot.js';
import { captured } from './kafka4-support.js';

const KAFKA_44 = { 9: 8, 69: 1, 77: 1, 89: 1, 90: 1 };

interface Enc {
  writeInt16(v: number): Enc;
  writeInt32(v: number): Enc;
  writeUVarInt(v: number): Enc;
  writeUVarIntString(v: string | null): Enc;
  buffer: Buffer;
}
interface Dec {
  readUVarInt(): number;
  readUVarIntString(): string;
}
const require = createRequire(import.meta.url);
const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => Enc;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => Dec;

/** OffsetFetch v8's answer: each group asked, no commits (the count, not the offsets, is under test). */
function offsetFetchAnswer(body: Buffer): Buffer {
  const d = new Decoder(body);
  d.readUVarInt(); // request header tagged fields
  const groups = Array.from({ length: d.readUVarInt() - 1 }, () => {
    const groupId = d.readUVarIntString();
    d.readUVarInt(); // topics: null
    d.readUVarInt(); // tagged fields
    return groupId;
  });
  const e = new Encoder()
    .writeUVarInt(0)
    .writeInt32(0)
    .writeUVarInt(groups.length + 1);
  for (const groupId of groups) e.writeUVarIntString(groupId).writeUVarInt(1).writeInt16(0).writeUVarInt(0);
  return e.writeUVarInt(0).buffer;
}
const ANSWERS: Record<string, string> = {
  ConsumerGroupDescribe: 'consumer-group-describe-v1-stable',
  ShareGroupDescribe: 'share-group-describe-v1',
  DescribeShareGroupOffsets: 'describe-share-group-offsets-v1',
  StreamsGroupDescribe: 'streams-group-describe-v1',
};
const TYPES: GroupType[] = ['classic', 'consumer', 'share', 'streams'];
const BROKERS = [1, 2, 3];

function coordinator(nodeId: number, sent: Map<string, number>): InternalBroker {
  const count = (api: string) => sent.set(api, (sent.get(api) ?? 0) + 1);
  const advertised = Object.fromEntries(
    Object.entries(KAFKA_44).map(([key, maxVersion]) => [key, { minVersion: 0, maxVersion }]),
  );
  const broker: InternalBroker = {
    nodeId,
    versions: null,
    isConnected: () => broker.versions !== null,
    async connect() {
      broker.versions = advertised;
    },
    async disconnect() {},
    lookupRequest: () => (args) => ({
      request: { apiName: 'DescribeGroups', apiVersion: 2 },
      response: {
        decode: async () => ({
          groups: (args as { groupIds: string[] }).groupIds.map((groupId) => ({
            errorCode: 0,
            groupId,
            state: 'Stable',
            protocolType: 'consumer',
            protocol: 'range',
            members: [],
          })),
        }),
        parse: async (d) => d,
      },
    }),
    connectionPool: {
      host: '127.0.0.1',
      port: 9090 + nodeId,
      rack: null,
      async send({ request, response }) {
        const { apiName, apiVersion, encode } = request as {
          apiName: string;
          apiVersion: number;
          encode(): Promise<{ buffer: Buffer }>;
        };
        count(apiName);
        if (apiName === 'OffsetFetch') {
          expect(apiVersion).toBe(8);
          return response.parse(await response.decode(offsetFetchAnswer((await encode()).buffer)));
        }
        const answer = ANSWERS[apiName];
        return response.parse(await response.decode(answer ? captured(answer) : Buffer.alloc(0)));
      },
    },
  };
  return broker;
}

/** The group describes one refresh sends for `groups` groups of mixed types, by API. */
async function describesFor(groups: number): Promise<Record<string, number>> {
  const sent = new Map<string, number>();
  const brokers = new Map(BROKERS.map((id) => [id, coordinator(id, sent)]));
  const connections: Connections = {
    get: (id) => brokers.get(id),
    nodeIds: () => BROKERS,
    async sync() {},
    async anyBroker(send) {
      return { result: await send(brokers.get(1)!), nodeId: 1 };
    },
    async close() {},
  };
  const collected = emptyCollected();
  const cache = createGroupCache();
  for (let i = 0; i < groups; i++) {
    const groupId = `group-${i}`;
    const type = TYPES[i % TYPES.length]!;
    collected.groups.set(groupId, {
      groupId,
      listedProtocolType: type === 'share' || type === 'streams' ? type : 'consumer',
      type,
      description: null,
      consumerProtocol: false,
      committed: null,
      shareOffsets: null,
      error: null,
    });
    // ListGroups to every broker names each group's coordinator: no FindCoordinator.
    cache.coordinators.set(groupId, BROKERS[i % BROKERS.length]!);
  }
  const ctx: StageContext = { connections, limit: createLimit(12), clean: (s) => s, collected };
  await Promise.all([describeGroups(ctx, cache), describeKafka4Groups(ctx, cache)]);
  await fetchCommittedOffsets(ctx, cache);
  expect(collected.errors).toEqual([]);
  expect([...collected.groups.values()].filter((g) => g.error !== null)).toEqual([]);
  return Object.fromEntries([...sent].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('requests per refresh at 100, 250, 500 and 1,000 groups of mixed types', () => {
  it('one request per coordinator per API, whatever the number of groups; OffsetFetch one per 200 groups', async () => {
    const at100 = await describesFor(100);
    expect(at100).toEqual({
      ConsumerGroupDescribe: 3,
      DescribeGroups: 3,
      DescribeShareGroupOffsets: 3,
      OffsetFetch: 3,
      ShareGroupDescribe: 3,
      StreamsGroupDescribe: 3,
    });
    expect(await describesFor(250)).toEqual(at100);
    expect(await describesFor(500)).toEqual(at100);
    // 750 groups that commit, 250 per coordinator: OffsetFetch v8 carries 200 groups, so two per coordinator.
    expect(await describesFor(1000)).toEqual({ ...at100, OffsetFetch: 6 });
  });
});
