/**
 * OffsetFetch v8 on the real cluster: committed offsets of many groups read with one request per
 * coordinator equal what was committed and what the per-group OffsetFetch v4 path reads, and the
 * collector's requests per refresh do not grow with the number of groups.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCollected } from '../../source/kafka/collected.js';
import { createKafkaCollector } from '../../source/kafka/collector.js';
import { fetchCommittedOffsets, GROUPS_PER_OFFSET_FETCH } from '../../source/kafka/committed-offsets.js';
import { type Connections, createConnections } from '../../source/kafka/connections.js';
import type { StageContext } from '../../source/kafka/context.js';
import { createGroupCache, type GroupCache, listGroups } from '../../source/kafka/groups.js';
import { createInternalCluster } from '../../source/kafka/kafkajs-internals.js';
import { createLimit } from '../../source/kafka/limit.js';
import { collectMetadata } from '../../source/kafka/metadata.js';
import { sendRaw } from '../../source/kafka/wire.js';
import { testCluster } from '../cluster/test-cluster.js';
import { commitOffsets, createTopic } from '../cluster/workload.js';

const cluster = testCluster();
const id = randomUUID().slice(0, 8);
const orders = `offset-fetch-${id}-orders`;
const payments = `offset-fetch-${id}-payments`;
const GROUPS = 50;
const groupIds = Array.from(
  { length: GROUPS },
  (_, i) => `offset-fetch-${id}-g${String(i).padStart(2, '0')}`,
);

/** What group i commits: every orders partition; payments 0 and 1 for even i (payments 2 never). */
function commitsOf(i: number): Record<string, Record<number, number>> {
  const commits: Record<string, Record<number, number>> = {
    // Offset 0 is a commit too (group 0, 5, ...: partition 0), not "no commit".
    [orders]: Object.fromEntries(
      [0, 1, 2, 3].map((p) => [p, p === 0 && i % 5 === 0 ? 0 : ((i + p) % 40) + 1]),
    ),
  };
  if (i % 2 === 0) commits[payments] = { 0: 100 + i, 1: 7 };
  return commits;
}

/** Raw commits (generation -1): 50 consumer joins would take minutes. */
async function commitAll(): Promise<void> {
  await commitOffsets(
    cluster.bootstrap,
    groupIds.map((groupId, i) => ({ groupId, offsets: commitsOf(i) })),
    1,
  );
}

interface Sent {
  apiName: string;
  apiVersion: number;
}

/** The collector's group stages on their own kafkajs cluster, counting every request by api. */
function stages(): {
  ctx: () => StageContext;
  connections: Connections;
  sent: Sent[];
  close(): Promise<void>;
} {
  const sent: Sent[] = [];
  const kafka = new Kafka({
    clientId: 'offset-fetch-test',
    brokers: cluster.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const internal = createInternalCluster(kafka, {
    emit(name, payload) {
      if (name === 'network.request') sent.push(payload as Sent);
    },
  });
  const connections = createConnections(internal, cluster.bootstrap.split(',').length);
  return {
    ctx: () => ({ connections, limit: createLimit(12), clean: (s) => s, collected: emptyCollected() }),
    connections,
    sent,
    close: () => connections.close(),
  };
}

const asObject = (committed: Map<string, Map<number, number>> | null) =>
  committed && Object.fromEntries([...committed].map(([t, ps]) => [t, Object.fromEntries(ps)]));

beforeAll(async () => {
  await createTopic(cluster.bootstrap, { topic: orders, partitions: 4 });
  await createTopic(cluster.bootstrap, { topic: payments, partitions: 3 });
  await commitAll();
});

describe(`OffsetFetch v8 (Kafka ${cluster.version})`, () => {
  const s = stages();
  let cache: GroupCache;
  let ctx: StageContext;
  afterAll(() => s.close());

  beforeAll(async () => {
    cache = createGroupCache();
    ctx = s.ctx();
    expect(await collectMetadata(ctx)).toBe(true);
    await listGroups(ctx, cache);
    for (const groupId of groupIds) expect(ctx.collected.groups.has(groupId), groupId).toBe(true);
    s.sent.length = 0;
    await fetchCommittedOffsets(ctx, cache);
  });

  it('sends one OffsetFetch v8 per coordinator (per chunk of groups), not one per group', () => {
    const offsetFetches = s.sent.filter((r) => r.apiName === 'OffsetFetch');
    const perCoordinator = new Map<number, number>();
    for (const [groupId, group] of ctx.collected.groups) {
      // Share groups commit nothing and are not asked (an earlier file may have left one).
      if (group.type === 'share') continue;
      const node = cache.coordinators.get(groupId)!;
      perCoordinator.set(node, (perCoordinator.get(node) ?? 0) + 1);
    }
    const expected = [...perCoordinator.values()].reduce(
      (n, groups) => n + Math.ceil(groups / GROUPS_PER_OFFSET_FETCH),
      0,
    );
    expect(ctx.collected.groups.size).toBeGreaterThanOrEqual(GROUPS);
    // However many coordinators there are (after a whole-cluster restart in an earlier file one broker can
    // lead every __consumer_offsets partition), far fewer requests than groups.
    expect(expected).toBeLessThan(ctx.collected.groups.size);
    expect(offsetFetches).toHaveLength(expected);
    expect(offsetFetches.every((r) => r.apiVersion === 8)).toBe(true);
    // No coordinator had moved: nothing had to be looked up again.
    expect(s.sent.filter((r) => r.apiName === 'GroupCoordinator')).toEqual([]);
  });

  it('reads exactly the offsets each group committed, 0 included, uncommitted partitions left out', () => {
    for (const [i, groupId] of groupIds.entries()) {
      const group = ctx.collected.groups.get(groupId)!;
      expect(group.error, groupId).toBeNull();
      expect(asObject(group.committed), groupId).toEqual(commitsOf(i));
    }
    expect(ctx.collected.errors.filter((e) => e.source.includes(id))).toEqual([]);
  });

  it('equals what the per-group OffsetFetch v4 path reads, for every group on the cluster', async () => {
    for (const [groupId, group] of ctx.collected.groups) {
      // A share group commits nothing: it is not sent OffsetFetch (its start offsets come from
      // DescribeShareGroupOffsets), and an earlier file may have left one on the cluster.
      if (group.type === 'share') {
        expect(group.committed, groupId).toBeNull();
        continue;
      }
      const broker = s.connections.get(cache.coordinators.get(groupId)!)!;
      const v4 = await sendRaw<{
        errorCode: number;
        responses: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
      }>(broker, 'OffsetFetch', { groupId, topics: [] });
      expect(v4.errorCode, groupId).toBe(0);
      const committed = Object.fromEntries(
        v4.responses
          .map(({ topic, partitions }) => [
            topic,
            Object.fromEntries(
              partitions.filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]),
            ),
          ])
          .filter(([, partitions]) => Object.keys(partitions as object).length > 0),
      );
      expect(asObject(group.committed), groupId).toEqual(committed);
    }
    const versions = new Set(s.sent.filter((r) => r.apiName === 'OffsetFetch').map((r) => r.apiVersion));
    expect(versions).toEqual(new Set([4, 8]));
  });
});

describe(`The collector with ${GROUPS}+ groups (Kafka ${cluster.version})`, () => {
  it('sends requests per broker, not per group, and shows every committed offset', async () => {
    const collector = createKafkaCollector({
      brokers: cluster.bootstrap.split(','),
      refreshTimeoutMs: 60_000,
    });
    try {
      await collector.collect(); // connects: ApiVersions and SASL rounds are not part of a steady refresh
      const snapshot = await collector.collect();
      const brokers = snapshot.brokers.length;
      // Metadata 1 + ListGroups per broker + ListOffsets three times per leader (earliest, latest, last
      // stable) + DescribeConfigs 1 + DescribeGroups per coordinator + OffsetFetch per coordinator.
      expect(snapshot.stats!.kafkaRequests).toBeLessThanOrEqual(2 + 7 * brokers);
      expect(snapshot.groups.length).toBeGreaterThan(2 + 7 * brokers);
      for (const [i, groupId] of groupIds.entries()) {
        const group = snapshot.groups.find((g) => g.groupId === groupId)!;
        const shown: Record<string, Record<number, number>> = {};
        for (const p of group.partitions) {
          if (p.committedOffset === null) continue;
          shown[p.topic] = { ...shown[p.topic], [p.partition]: p.committedOffset };
        }
        expect(shown, groupId).toEqual(commitsOf(i));
      }
      expect(snapshot.errors).toEqual([]);
    } finally {
      await collector.close();
    }
  });
});
