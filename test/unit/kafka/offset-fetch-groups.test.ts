/**
 * fetchCommittedOffsets against scripted coordinators that speak bytes: every request is encoded by the
 * real encoders (ours for v8, kafkajs's for v4 and FindCoordinator), read back by the fake coordinator,
 * and answered with wire bytes that go through the real decoders. What is scripted is only what a
 * coordinator answers per group, to reach the error paths a healthy test cluster never takes.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type CollectedGroup, emptyCollected } from '../../../source/kafka/collected.js';
import { fetchCommittedOffsets, GROUPS_PER_OFFSET_FETCH } from '../../../source/kafka/committed-offsets.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import { createGroupCache } from '../../../source/kafka/groups.js';
import type { InternalBroker, ProtocolResponse } from '../../../source/kafka/kafkajs-internals.js';
import { createLimit } from '../../../source/kafka/limit.js';

const require = createRequire(import.meta.url);
interface Enc {
  writeInt16(v: number): Enc;
  writeInt32(v: number): Enc;
  writeInt64(v: string): Enc;
  writeString(v: string | null): Enc;
  writeUVarInt(v: number): Enc;
  writeUVarIntString(v: string | null): Enc;
  buffer: Buffer;
}
interface Dec {
  readInt32(): number;
  readString(): string;
  readUVarInt(): number;
  readUVarIntString(): string;
}
const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => Enc;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => Dec;
const { lookup } = require('kafkajs/src/protocol/requests/index.js') as {
  lookup: (versions: object) => InternalBroker['lookupRequest'];
};

const OFFSET_FETCH = 9;
const FIND_COORDINATOR = 10;

/** One group's answer: its error code, or its committed offsets on topic `t`. */
type Answer = { errorCode: number } | { offsets: number[] };

interface Sent {
  node: number;
  api: string;
  version: number;
  groups: string[];
}

interface FakeCluster {
  ctx: StageContext;
  sent: Sent[];
  groups: Map<string, CollectedGroup>;
}

/**
 * Coordinators `nodes` (node id -> highest OffsetFetch version), `answer(node, group, attempt)` scripting
 * each group's OffsetFetch answer, and `coordinatorOf` what FindCoordinator answers.
 */
function fakeCluster(options: {
  nodes: Record<number, number>;
  groups: Record<string, number>;
  answer: (node: number, groupId: string, attempt: number) => Answer;
  coordinatorOf?: (groupId: string) => number;
  failRequests?: (node: number) => boolean;
}): FakeCluster & { cache: ReturnType<typeof createGroupCache> } {
  const sent: Sent[] = [];
  const attempts = new Map<string, number>();
  const brokers = new Map<number, InternalBroker>();
  for (const [id, offsetFetchMax] of Object.entries(options.nodes)) {
    const node = Number(id);
    const versions = {
      [OFFSET_FETCH]: { minVersion: 0, maxVersion: offsetFetchMax },
      [FIND_COORDINATOR]: { minVersion: 0, maxVersion: 0 },
    };
    const broker: InternalBroker = {
      nodeId: node,
      versions: null,
      isConnected: () => broker.versions !== null,
      async connect() {
        broker.versions = versions;
      },
      async disconnect() {},
      lookupRequest: lookup(versions),
      connectionPool: {
        host: '127.0.0.1',
        port: 9000 + node,
        rack: null,
        async send({ request, response }) {
          const r = request as { apiName: string; apiVersion: number; encode(): Promise<{ buffer: Buffer }> };
          const body = (await r.encode()).buffer;
          const answered = answerRequest(node, r.apiName, r.apiVersion, body);
          if (options.failRequests?.(node)) throw new Error('Connection timeout');
          return respond(response, answered);
        },
      },
    };
    brokers.set(node, broker);
  }

  function answerRequest(node: number, api: string, version: number, body: Buffer): Buffer {
    const d = new Decoder(body);
    if (api === 'GroupCoordinator') {
      const groupId = d.readString();
      sent.push({ node, api, version, groups: [groupId] });
      const coordinator = options.coordinatorOf!(groupId);
      return new Encoder().writeInt16(0).writeInt32(coordinator).writeString('127.0.0.1').writeInt32(9000)
        .buffer;
    }
    if (api === 'OffsetFetch' && version === 8) {
      expect(d.readUVarInt()).toBe(0); // request header v2 tagged fields
      const groups = Array.from({ length: d.readUVarInt() - 1 }, () => {
        const groupId = d.readUVarIntString();
        expect(d.readUVarInt()).toBe(0); // topics: null
        d.readUVarInt();
        return groupId;
      });
      sent.push({ node, api, version, groups });
      const e = new Encoder()
        .writeUVarInt(0)
        .writeInt32(0)
        .writeUVarInt(groups.length + 1);
      for (const groupId of groups) {
        const answer = next(node, groupId);
        e.writeUVarIntString(groupId);
        const offsets = 'offsets' in answer ? answer.offsets : [];
        e.writeUVarInt(offsets.length > 0 ? 2 : 1);
        if (offsets.length > 0) {
          e.writeUVarIntString('t').writeUVarInt(offsets.length + 1);
          offsets.forEach((offset, partition) => {
            e.writeInt32(partition).writeInt64(String(offset)).writeInt32(-1).writeUVarIntString('');
            e.writeInt16(0).writeUVarInt(0);
          });
          e.writeUVarInt(0);
        }
        e.writeInt16('errorCode' in answer ? answer.errorCode : 0).writeUVarInt(0);
      }
      return e.writeUVarInt(0).buffer;
    }
    if (api === 'OffsetFetch' && version === 4) {
      const groupId = d.readString();
      expect(d.readInt32()).toBe(-1); // topics: null
      sent.push({ node, api, version, groups: [groupId] });
      const answer = next(node, groupId);
      const offsets = 'offsets' in answer ? answer.offsets : [];
      const e = new Encoder().writeInt32(0).writeInt32(offsets.length > 0 ? 1 : 0);
      if (offsets.length > 0) {
        e.writeString('t').writeInt32(offsets.length);
        offsets.forEach((offset, partition) => {
          e.writeInt32(partition).writeInt64(String(offset)).writeString('').writeInt16(0);
        });
      }
      return e.writeInt16('errorCode' in answer ? answer.errorCode : 0).buffer;
    }
    throw new Error(`unexpected ${api} v${version}`);
  }

  function next(node: number, groupId: string): Answer {
    const attempt = attempts.get(groupId) ?? 0;
    attempts.set(groupId, attempt + 1);
    return options.answer(node, groupId, attempt);
  }

  const connections: Connections = {
    get: (nodeId) => brokers.get(nodeId),
    nodeIds: () => [...brokers.keys()],
    async sync() {},
    async anyBroker(send) {
      const [nodeId, broker] = [...brokers][0]!;
      return { result: await send(broker), nodeId };
    },
    async close() {},
  };
  const collected = emptyCollected();
  const cache = createGroupCache();
  for (const [groupId, coordinator] of Object.entries(options.groups)) {
    collected.groups.set(groupId, {
      groupId,
      listedProtocolType: 'consumer',
      type: null,
      description: null,
      consumerProtocol: false,
      committed: null,
      shareOffsets: null,
      error: null,
    });
    cache.coordinators.set(groupId, coordinator);
  }
  const ctx: StageContext = { connections, limit: createLimit(4), clean: (s) => s, collected };
  return { ctx, sent, groups: collected.groups, cache };
}

async function respond(response: ProtocolResponse, payload: Buffer): Promise<unknown> {
  return response.parse(await response.decode(payload));
}

const committed = (g: CollectedGroup | undefined) =>
  g?.committed ? Object.fromEntries([...g.committed].map(([t, ps]) => [t, Object.fromEntries(ps)])) : null;

function groupsOn(nodes: number[], count: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`g${i}`, nodes[i % nodes.length]!]));
}

describe('fetchCommittedOffsets with OffsetFetch v8', () => {
  it('sends one request per coordinator per chunk of groups, and reads every group’s offsets', async () => {
    const groups = groupsOn([1, 2, 1], 450); // node 1: 300 groups, node 2: 150
    const cluster = fakeCluster({
      nodes: { 1: 8, 2: 9 },
      groups,
      answer: (_node, groupId) => ({ offsets: [Number(groupId.slice(1)), -1, 5] }),
    });
    await fetchCommittedOffsets(cluster.ctx, cluster.cache);

    const byNode = (node: number) => cluster.sent.filter((s) => s.node === node);
    expect(cluster.sent.every((s) => s.api === 'OffsetFetch' && s.version === 8)).toBe(true);
    expect(byNode(1).map((s) => s.groups.length)).toEqual([
      GROUPS_PER_OFFSET_FETCH,
      300 - GROUPS_PER_OFFSET_FETCH,
    ]);
    expect(byNode(2).map((s) => s.groups.length)).toEqual([150]);
    expect(new Set(cluster.sent.flatMap((s) => s.groups)).size).toBe(450);
    for (const s of cluster.sent) expect(s.groups.every((g) => groups[g] === s.node)).toBe(true);

    // -1 is "no commit": left out, never lag 0.
    expect(committed(cluster.groups.get('g7'))).toEqual({ t: { 0: 7, 2: 5 } });
    expect([...cluster.groups.values()].every((g) => g.error === null && g.committed !== null)).toBe(true);
    expect(cluster.ctx.collected.errors).toEqual([]);
  });

  it('reports a group-level error as that group’s error, after one retry, leaving the others alone', async () => {
    const cluster = fakeCluster({
      nodes: { 1: 8 },
      groups: groupsOn([1], 3),
      coordinatorOf: () => 1,
      answer: (_node, groupId) => (groupId === 'g1' ? { errorCode: 30 } : { offsets: [3] }),
    });
    await fetchCommittedOffsets(cluster.ctx, cluster.cache);

    expect(cluster.groups.get('g1')!.error).toBe('OffsetFetch: GROUP_AUTHORIZATION_FAILED');
    expect(cluster.groups.get('g1')!.committed).toBeNull();
    expect(cluster.ctx.collected.errors).toEqual([
      { source: 'group:g1', message: 'OffsetFetch: GROUP_AUTHORIZATION_FAILED' },
    ]);
    expect(committed(cluster.groups.get('g0'))).toEqual({ t: { 0: 3 } });
    expect(committed(cluster.groups.get('g2'))).toEqual({ t: { 0: 3 } });
    // Round 2 asks FindCoordinator for g1 alone, then OffsetFetch for g1 alone.
    expect(cluster.sent.map((s) => [s.api, s.groups])).toEqual([
      ['OffsetFetch', ['g0', 'g1', 'g2']],
      ['GroupCoordinator', ['g1']],
      ['OffsetFetch', ['g1']],
    ]);
  });

  it('follows a group whose coordinator moved (NOT_COORDINATOR) or was loading, with no error left', async () => {
    const cluster = fakeCluster({
      nodes: { 1: 8, 2: 8 },
      groups: { moved: 1, loading: 1, stays: 1 },
      coordinatorOf: (groupId) => (groupId === 'moved' ? 2 : 1),
      answer: (node, groupId, attempt) => {
        if (groupId === 'moved') return node === 1 ? { errorCode: 16 } : { offsets: [20] };
        if (groupId === 'loading' && attempt === 0) return { errorCode: 14 };
        return { offsets: [10] };
      },
    });
    await fetchCommittedOffsets(cluster.ctx, cluster.cache);

    expect(committed(cluster.groups.get('moved'))).toEqual({ t: { 0: 20 } });
    expect(committed(cluster.groups.get('loading'))).toEqual({ t: { 0: 10 } });
    expect(committed(cluster.groups.get('stays'))).toEqual({ t: { 0: 10 } });
    expect(cluster.ctx.collected.errors).toEqual([]);
    expect(cluster.cache.coordinators.get('moved')).toBe(2);
  });

  it('names the request failure on every group of a coordinator that keeps failing', async () => {
    const cluster = fakeCluster({
      nodes: { 1: 8, 2: 8 },
      groups: { a: 1, b: 1, c: 2 },
      coordinatorOf: (groupId) => (groupId === 'c' ? 2 : 1),
      failRequests: (node) => node === 1,
      answer: () => ({ offsets: [1] }),
    });
    // FindCoordinator goes to node 1 too in this fake: let it through, fail only OffsetFetch there.
    const get = cluster.ctx.connections.get;
    cluster.ctx.connections.anyBroker = async (send) => ({ result: await send(get(2)!), nodeId: 2 });
    await fetchCommittedOffsets(cluster.ctx, cluster.cache);

    expect(cluster.groups.get('a')!.error).toBe('OffsetFetch: Connection timeout');
    expect(cluster.groups.get('b')!.error).toBe('OffsetFetch: Connection timeout');
    expect(committed(cluster.groups.get('c'))).toEqual({ t: { 0: 1 } });
    expect(cluster.ctx.collected.errors.map((e) => e.source).sort()).toEqual(['group:a', 'group:b']);
  });
});

describe('fetchCommittedOffsets on a coordinator older than Kafka 3.0 (OffsetFetch max < 8)', () => {
  it('falls back to one OffsetFetch v4 per group there, v8 elsewhere, with the same results', async () => {
    const cluster = fakeCluster({
      nodes: { 1: 7, 2: 8 },
      groups: groupsOn([1, 2], 6),
      coordinatorOf: () => 1,
      answer: (_node, groupId) => (groupId === 'g2' ? { errorCode: 30 } : { offsets: [4, 8] }),
    });
    await fetchCommittedOffsets(cluster.ctx, cluster.cache);

    const first = cluster.sent.filter((s) => s.api === 'OffsetFetch').slice(0, 4);
    const v4 = first.filter((s) => s.node === 1);
    expect(v4.map((s) => [s.version, s.groups.length])).toEqual([
      [4, 1],
      [4, 1],
      [4, 1],
    ]);
    expect(first.filter((s) => s.node === 2).map((s) => [s.version, s.groups])).toEqual([
      [8, ['g1', 'g3', 'g5']],
    ]);
    for (const g of ['g0', 'g1', 'g3', 'g4', 'g5']) {
      expect(committed(cluster.groups.get(g))).toEqual({ t: { 0: 4, 1: 8 } });
    }
    expect(cluster.groups.get('g2')!.error).toBe('OffsetFetch: GROUP_AUTHORIZATION_FAILED');
  });
});
