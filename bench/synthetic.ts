/**
 * Synthetic ClusterSnapshots at a chosen scale, for the model and UI benchmarks: `groups` consumer groups,
 * each reading one topic of `partitionsPerTopic` partitions, with offsets that move between refreshes the
 * way a live cluster's do (producers append at a per-partition rate, consumers commit in bursts so lag
 * rises and falls). Each `next()` builds fresh objects, as a live source does, so the model cannot keep
 * references across refreshes for free.
 */
import { type ClusterSnapshot, type GroupSnapshot, SNAPSHOT_SCHEMA_VERSION } from '../source/snapshot.js';

export interface SyntheticScale {
  groups: number;
  topics: number;
  partitionsPerTopic: number;
  /** Members per group (default 3). */
  members?: number;
  brokers?: number;
  /** Milliseconds between refreshes (default 2000). */
  intervalMs?: number;
  seed?: number;
}

export interface SyntheticCluster {
  readonly partitions: number;
  readonly groupPartitions: number;
  next(): ClusterSnapshot;
}

const START = Date.parse('2026-01-01T00:00:00.000Z');

/** A string as a protocol decoder returns it: a new, flat copy. */
function decoded(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createSyntheticCluster(scale: SyntheticScale): SyntheticCluster {
  const random = rng(scale.seed ?? 1);
  const brokerCount = scale.brokers ?? 3;
  const memberCount = scale.members ?? 3;
  const intervalMs = scale.intervalMs ?? 2000;
  const pc = scale.partitionsPerTopic;
  const topicNames = Array.from(
    { length: scale.topics },
    (_, t) => `bench.events-${String(t).padStart(4, '0')}`,
  );
  const groupIds = Array.from(
    { length: scale.groups },
    (_, g) => `bench-consumer-${String(g).padStart(4, '0')}`,
  );
  const total = scale.topics * pc;
  // Per topic-partition: log-end offset and append rate (records per refresh).
  const logEnd = new Float64Array(total);
  const rate = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    logEnd[i] = Math.floor(random() * 1_000_000);
    rate[i] = Math.floor(random() * 400);
  }
  // Per group-partition: committed offset; groups read topic g mod topics.
  const committed = scale.groups > 0 ? new Float64Array(scale.groups * pc) : new Float64Array(0);
  for (let g = 0; g < scale.groups; g++) {
    const t = g % scale.topics;
    for (let p = 0; p < pc; p++) committed[g * pc + p] = logEnd[t * pc + p]! - Math.floor(random() * 500);
  }
  let refresh = 0;

  function next(): ClusterSnapshot {
    refresh++;
    for (let i = 0; i < total; i++) logEnd[i] = logEnd[i]! + rate[i]!;
    const topics = topicNames.map((name, t) => ({
      name,
      internal: false,
      configs: {
        'min.insync.replicas': '2',
        'cleanup.policy': 'delete',
        'retention.ms': '604800000',
        'retention.bytes': '-1',
      },
      partitions: Array.from({ length: pc }, (_, p) => {
        const replicas = [0, 1, 2]
          .slice(0, Math.min(3, brokerCount))
          .map((r) => ((t + p + r) % brokerCount) + 1);
        return {
          partition: p,
          leader: replicas[0]!,
          replicas,
          isr: [...replicas],
          offlineReplicas: [],
          logStartOffset: Math.max(0, logEnd[t * pc + p]! - 5_000_000),
          logEndOffset: logEnd[t * pc + p]!,
        };
      }),
    }));
    const groups: GroupSnapshot[] = groupIds.map((groupId, g) => {
      const t = g % scale.topics;
      const topic = topicNames[t]!;
      // Fresh flat strings each refresh, as a live source decodes them from a response buffer
      // (a template literal would give V8 rope strings that cost a flattening on first compare).
      const memberIds = Array.from({ length: memberCount }, (_, m) =>
        decoded(`consumer-${groupId}-${m}-0f3c9a2e-5b1d-4c7e-9a8f-${String(m).padStart(12, '0')}`),
      );
      let totalLag = 0;
      const partitions = Array.from({ length: pc }, (_, p) => {
        const end = logEnd[t * pc + p]!;
        // Most groups keep up and commit in bursts; every tenth falls slowly behind.
        const slow = g % 10 === 9;
        const consumed = slow ? rate[t * pc + p]! * 0.8 : random() < 0.7 ? end - committed[g * pc + p]! : 0;
        committed[g * pc + p] = Math.min(end, committed[g * pc + p]! + consumed);
        const lag = end - committed[g * pc + p]!;
        totalLag += lag;
        return {
          topic,
          partition: p,
          committedOffset: committed[g * pc + p]!,
          logEndOffset: end,
          lag,
          memberId: memberIds[p % memberCount] ?? null,
        };
      });
      return {
        groupId,
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'range',
        members: memberIds.map((memberId, m) => ({
          memberId,
          clientId: decoded(`${groupId}-client`),
          host: decoded(`/10.0.${m}.${(g % 250) + 1}`),
          assignment: [
            { topic, partitions: partitions.filter((_, p) => p % memberCount === m).map((x) => x.partition) },
          ],
        })),
        totalLag,
        partitions,
      };
    });
    return {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      takenAt: new Date(START + refresh * intervalMs).toISOString(),
      durationMs: 120,
      clusterId: 'bench-cluster',
      controllerId: 0,
      brokers: Array.from({ length: brokerCount }, (_, b) => ({
        id: b + 1,
        host: '127.0.0.1',
        port: 9092 + b,
        rack: null,
        error: null,
        metrics: {
          requestHandlerIdle: 0.8 + random() * 0.15,
          networkProcessorIdle: 0.9 + random() * 0.05,
          underReplicatedPartitions: 0,
          underMinIsrPartitions: 0,
          offlinePartitions: 0,
          isrShrinks: 0,
          isrExpands: 0,
          activeControllerCount: 0,
        },
      })),
      topics,
      groups,
      errors: [],
      stats: { kafkaRequests: 0, kafkaBytesIn: 0, metricsRequests: 0 },
    };
  }

  return { partitions: total, groupPartitions: scale.groups * pc, next };
}
