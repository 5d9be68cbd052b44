import { describe, expect, it } from 'vitest';
import { type Collected, emptyCollected, setOffset } from '../../../source/kafka/collected.js';
import { partitionsByLeader } from '../../../source/kafka/offsets.js';
import { createSlowlyChanging, type SlowlyChanging } from '../../../source/kafka/slowly-changing.js';

/** What the cluster holds now: per topic, its partitions' log start and end, leader and configs. */
interface Cluster {
  topics: Record<
    string,
    {
      partitions: Array<{ logStart: number; logEnd: number; leader?: number }>;
      configs: Record<string, string>;
    }
  >;
  /** Reads that fail this refresh ("topic/partition" for log start, "topic" for configs). */
  failing?: string[];
}

interface Refresh {
  collected: Collected;
  full: boolean;
  /** "topic/partition" of every log start read, "topic" of every config read. */
  logStartReads: string[];
  configReads: string[];
}

/** One refresh as the collector runs it: metadata, begin, the reads it asks for, log end, end. */
function refresh(slow: SlowlyChanging, cluster: Cluster, nowMs: number): Refresh {
  const collected = emptyCollected();
  collected.metadata = {
    brokers: [{ nodeId: 1, host: 'h', port: 1, rack: null }],
    topicMetadata: Object.entries(cluster.topics).map(([topic, t]) => ({
      topicErrorCode: 0,
      topic,
      partitionMetadata: t.partitions.map((p, partitionId) => ({
        partitionErrorCode: 0,
        partitionId,
        leader: p.leader ?? 1,
        replicas: [1],
        isr: [1],
      })),
    })),
  };
  const failing = new Set(cluster.failing ?? []);
  const read = slow.begin(collected, nowMs);
  // What the collector asks the leaders for: every partition but the carried ones.
  const logStartReads: string[] = [];
  for (const topics of partitionsByLeader(collected.metadata, read.carriedLogStart).values()) {
    for (const [topic, partitions] of topics) {
      for (const partition of partitions) {
        logStartReads.push(`${topic}/${partition}`);
        const p = cluster.topics[topic]!.partitions[partition]!;
        if (!failing.has(`${topic}/${partition}`))
          setOffset(collected.logStart, topic, partition, p.logStart);
      }
    }
  }
  logStartReads.sort();
  for (const topic of read.configTopics) {
    if (!failing.has(topic)) collected.configs.set(topic, { ...cluster.topics[topic]!.configs });
  }
  for (const [topic, t] of Object.entries(cluster.topics)) {
    t.partitions.forEach((p, partition) => {
      if ((p.leader ?? 1) >= 0) setOffset(collected.logEnd, topic, partition, p.logEnd);
    });
  }
  slow.end(collected, read);
  return { collected, full: read.full, logStartReads, configReads: read.configTopics };
}

const logStarts = (c: Collected) =>
  Object.fromEntries([...c.logStart].map(([topic, ps]) => [topic, Object.fromEntries(ps)]));
const configsOf = (c: Collected) => Object.fromEntries(c.configs);

function twoTopics(): Cluster {
  return {
    topics: {
      orders: {
        partitions: [
          { logStart: 10, logEnd: 100 },
          { logStart: 20, logEnd: 200 },
        ],
        configs: { 'min.insync.replicas': '2' },
      },
      payments: { partitions: [{ logStart: 0, logEnd: 5 }], configs: { 'retention.ms': '1000' } },
    },
  };
}

describe('slowly changing data (log-start offsets, topic configs)', () => {
  it('reads everything on the first refresh, then nothing until the period is over, carrying the values', () => {
    const slow = createSlowlyChanging(30_000);
    const cluster = twoTopics();
    const first = refresh(slow, cluster, 1000);
    expect(first.full).toBe(true);
    expect(first.logStartReads).toEqual(['orders/0', 'orders/1', 'payments/0']);
    expect(first.configReads).toEqual(['orders', 'payments']);

    // Retention moved a log start and an operator changed a config: not seen before the next full read.
    cluster.topics.orders!.partitions[0]!.logStart = 50;
    cluster.topics.orders!.configs['min.insync.replicas'] = '3';
    const between = refresh(slow, cluster, 30_999);
    expect(between.full).toBe(false);
    expect(between.logStartReads).toEqual([]);
    expect(between.configReads).toEqual([]);
    expect(logStarts(between.collected)).toEqual({ orders: { 0: 10, 1: 20 }, payments: { 0: 0 } });
    expect(configsOf(between.collected)).toEqual({
      orders: { 'min.insync.replicas': '2' },
      payments: { 'retention.ms': '1000' },
    });

    const next = refresh(slow, cluster, 31_000);
    expect(next.full).toBe(true);
    expect(logStarts(next.collected)).toEqual({ orders: { 0: 50, 1: 20 }, payments: { 0: 0 } });
    expect(next.collected.configs.get('orders')).toEqual({ 'min.insync.replicas': '3' });
  });

  it('reads a new topic and a new partition in the refresh that first sees them', () => {
    const slow = createSlowlyChanging(30_000);
    const cluster = twoTopics();
    refresh(slow, cluster, 0);
    cluster.topics.orders!.partitions.push({ logStart: 7, logEnd: 9 });
    cluster.topics.audit = {
      partitions: [{ logStart: 3, logEnd: 4 }],
      configs: { 'cleanup.policy': 'compact' },
    };
    const r = refresh(slow, cluster, 1000);
    expect(r.full).toBe(false);
    expect(r.logStartReads).toEqual(['audit/0', 'orders/2']);
    expect(r.configReads).toEqual(['audit']);
    expect(logStarts(r.collected)).toEqual({
      orders: { 0: 10, 1: 20, 2: 7 },
      payments: { 0: 0 },
      audit: { 0: 3 },
    });
    expect(r.collected.configs.get('audit')).toEqual({ 'cleanup.policy': 'compact' });
    // Carried from then on.
    expect(refresh(slow, cluster, 2000).logStartReads).toEqual([]);
  });

  it('reads again at the next refresh what failed, showing nothing for it meanwhile', () => {
    const slow = createSlowlyChanging(30_000);
    const cluster = { ...twoTopics(), failing: ['orders/1', 'payments'] };
    const first = refresh(slow, cluster, 0);
    expect(logStarts(first.collected)).toEqual({ orders: { 0: 10 }, payments: { 0: 0 } });
    expect(first.collected.configs.has('payments')).toBe(false);

    cluster.failing = [];
    const second = refresh(slow, cluster, 1000);
    expect(second.full).toBe(false);
    expect(second.logStartReads).toEqual(['orders/1']);
    expect(second.configReads).toEqual(['payments']);
    expect(logStarts(second.collected)).toEqual({ orders: { 0: 10, 1: 20 }, payments: { 0: 0 } });
    expect(second.collected.configs.get('payments')).toEqual({ 'retention.ms': '1000' });
  });

  it('forgets deleted topics at the next full read and shows nothing for offline partitions', () => {
    const slow = createSlowlyChanging(30_000);
    const cluster = twoTopics();
    refresh(slow, cluster, 0);
    delete cluster.topics.payments;
    cluster.topics.orders!.partitions[1]!.leader = -1;
    const between = refresh(slow, cluster, 1000);
    expect(logStarts(between.collected)).toEqual({ orders: { 0: 10 } });
    expect(Object.keys(configsOf(between.collected))).toEqual(['orders']);

    // Re-created under the same name after the next full read: read as new, not carried.
    refresh(slow, cluster, 40_000);
    cluster.topics.payments = { partitions: [{ logStart: 0, logEnd: 1 }], configs: {} };
    const recreated = refresh(slow, cluster, 41_000);
    expect(recreated.logStartReads).toEqual(['payments/0']);
    expect(recreated.configReads).toEqual(['payments']);
  });

  it('drops a carried log start above the log end (topic re-created between full reads) and reads it again', () => {
    const slow = createSlowlyChanging(30_000);
    const cluster = twoTopics();
    refresh(slow, cluster, 0);
    cluster.topics.orders!.partitions[1] = { logStart: 0, logEnd: 3 };
    const seen = refresh(slow, cluster, 1000);
    // Never a log start above the log end in a snapshot: it would read as data lost.
    expect(logStarts(seen.collected).orders).toEqual({ 0: 10 });
    const next = refresh(slow, cluster, 2000);
    expect(next.logStartReads).toEqual(['orders/1']);
    expect(logStarts(next.collected).orders).toEqual({ 0: 10, 1: 0 });
  });

  it('reads everything every refresh with a period of 0', () => {
    const slow = createSlowlyChanging(0);
    const cluster = twoTopics();
    refresh(slow, cluster, 0);
    const again = refresh(slow, cluster, 0);
    expect(again.full).toBe(true);
    expect(again.logStartReads).toHaveLength(3);
  });
});
