/**
 * The demo cluster's shape: brokers across racks, topics with rack-spread replicas, and the consumer
 * groups an ordinary company runs. Drawn from the seed only (not the scenario), so every scenario of one
 * seed shows the same cluster.
 */

import { assign } from './assignors.js';
import type { AssignorName, SimBroker, SimCluster, SimGroup, SimMember, SimTopic } from './model.js';
import { partitionKey } from './model.js';
import { createRng, deriveSeed, type Rng, uuidish } from './rng.js';

const RACKS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const DAY_MS = 86_400_000;

interface TopicSpec {
  name: string;
  internal?: boolean;
  partitions: number;
  rate: number;
  compact?: boolean;
  retentionHours?: number;
}

const TOPICS: TopicSpec[] = [
  { name: '__consumer_offsets', internal: true, partitions: 24, rate: 40, compact: true },
  { name: '__transaction_state', internal: true, partitions: 12, rate: 4, compact: true },
  { name: 'orders', partitions: 12, rate: 420, retentionHours: 168 },
  { name: 'payments', partitions: 12, rate: 260, retentionHours: 168 },
  { name: 'clickstream', partitions: 24, rate: 3200, retentionHours: 24 },
  { name: 'inventory-updates', partitions: 6, rate: 90, retentionHours: 72 },
  { name: 'notifications', partitions: 6, rate: 150, retentionHours: 48 },
  { name: 'audit-log', partitions: 6, rate: 35, retentionHours: 720 },
  { name: 'user-profiles', partitions: 8, rate: 12, compact: true },
];

interface GroupSpec {
  groupId: string;
  topics: string[];
  assignor: AssignorName;
  members: number;
  consumerProtocol?: boolean;
  /** Stopped consumers: state Empty with the offsets they committed. */
  empty?: boolean;
  /** An Empty group's batch job: runs every `everyMs`, each run reading to the log end in `runMs`. */
  batch?: { everyMs: number; runMs: number };
  subnet: string;
}

const MINUTE = 60_000;

/** The group the rolling-deploy scenario restarts; big enough that the restarts are visible. */
export const DEPLOY_GROUP = 'billing';
/** The group the slow-consumer scenario slows down and then hangs. */
export const SLOW_GROUP = 'analytics-etl';
/** The group that never committed on one partition (an idle partition with auto.offset.reset=latest). */
export const NO_COMMIT_GROUP = 'profile-cache';
export const NO_COMMIT_PARTITION = { topic: 'user-profiles', partition: 7 };

const GROUPS: GroupSpec[] = [
  { groupId: 'billing', topics: ['payments'], assignor: 'range', members: 6, subnet: '10.0.3.' },
  { groupId: 'order-service', topics: ['orders'], assignor: 'roundrobin', members: 4, subnet: '10.0.4.' },
  {
    groupId: 'analytics-etl',
    topics: ['clickstream'],
    assignor: 'cooperative-sticky',
    members: 4,
    subnet: '10.0.7.',
  },
  {
    groupId: 'fraud-detector',
    topics: ['payments'],
    assignor: 'cooperative-sticky',
    members: 3,
    subnet: '10.0.5.',
  },
  {
    groupId: 'inventory-sync',
    topics: ['orders', 'inventory-updates'],
    assignor: 'range',
    members: 3,
    subnet: '10.0.6.',
  },
  {
    groupId: 'notification-dispatcher',
    topics: ['notifications'],
    assignor: 'roundrobin',
    members: 2,
    subnet: '10.0.8.',
  },
  {
    groupId: 'search-indexer',
    topics: ['inventory-updates', 'user-profiles'],
    assignor: 'uniform',
    members: 2,
    consumerProtocol: true,
    subnet: '10.0.9.',
  },
  {
    groupId: 'audit-archiver',
    topics: ['audit-log'],
    assignor: 'range',
    members: 0,
    empty: true,
    // Every 15 minutes: its backlog (audit-log at 35 msg/s, under 80 msg/s at the daily peak with noise)
    // stays under 75k messages, below ConsumerGroupLagHigh's 100k, as a healthy batch job's should.
    batch: { everyMs: 15 * MINUTE, runMs: 5 * MINUTE },
    subnet: '',
  },
  {
    groupId: 'clickstream-sessionizer',
    topics: ['clickstream'],
    assignor: 'cooperative-sticky',
    members: 3,
    subnet: '10.0.7.',
  },
  { groupId: 'profile-cache', topics: ['user-profiles'], assignor: 'range', members: 2, subnet: '10.0.10.' },
  { groupId: 'email-sender', topics: ['notifications'], assignor: 'range', members: 2, subnet: '10.0.8.' },
  {
    groupId: 'payments-ledger',
    topics: ['payments', 'orders'],
    assignor: 'roundrobin',
    members: 3,
    subnet: '10.0.3.',
  },
];

/** The produce rate's daily swing: quiet at night, busy in the afternoon (UTC). */
export function dailyFactor(nowMs: number): number {
  const dayFraction = (((nowMs % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
  return 1 + 0.55 * Math.sin(2 * Math.PI * (dayFraction - 10 / 24));
}

export function newMember(group: SimGroup, rng: Rng, clientIndex?: number): SimMember {
  const index = clientIndex ?? group.nextClientIndex++;
  const clientId = `consumer-${group.groupId}-${index}`;
  return { memberId: `${clientId}-${uuidish(rng)}`, clientId, host: `/${group.subnet}${rng.int(10, 250)}` };
}

export function reassign(group: SimGroup, cluster: SimCluster): void {
  const counts = group.topics.map((topic) => ({
    topic,
    partitions: cluster.topics.find((t) => t.name === topic)?.partitions.length ?? 0,
  }));
  group.assignment = assign(
    group.assignor,
    group.members.map((m) => m.memberId),
    counts,
    group.assignment,
  );
}

function clusterIdFrom(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (let i = 0; i < 22; i++) id += alphabet[rng.int(0, alphabet.length - 1)];
  return id;
}

export function createCluster(seed: number, startMs: number): SimCluster {
  const rng = createRng(deriveSeed(seed, 'layout'));
  const brokerCount = rng.int(3, 5);
  const brokers: SimBroker[] = [];
  for (let id = 1; id <= brokerCount; id++) {
    brokers.push({
      id,
      host: `kafka-${id}.kafka.demo.internal`,
      port: 9092,
      rack: RACKS[(id - 1) % RACKS.length] as string,
      alive: true,
      isrShrinks: rng.int(0, 6),
      isrExpands: 0,
      heat: 0,
      idleNoise: 0,
    });
  }
  for (const b of brokers) b.isrExpands = b.isrShrinks;
  const ids = brokers.map((b) => b.id);
  const factor = dailyFactor(startMs);

  const topics: SimTopic[] = TOPICS.map((spec) => {
    const start = rng.int(0, ids.length - 1);
    const weights = Array.from({ length: spec.partitions }, () => 0.5 + rng.next());
    // One hot key: a partition that gets far more than its share, as in most real topics.
    const hot = rng.int(0, spec.partitions - 1);
    weights[hot] = (weights[hot] ?? 1) * 2.5;
    if (spec.name === NO_COMMIT_PARTITION.topic) weights[NO_COMMIT_PARTITION.partition] = 0;
    const sum = weights.reduce((a, b) => a + b, 0);
    const retentionMs = spec.compact ? -1 : (spec.retentionHours ?? 168) * 3_600_000;
    const configs: Record<string, string> = {
      'min.insync.replicas': '2',
      'cleanup.policy': spec.compact ? 'compact' : 'delete',
      'retention.ms': String(retentionMs),
      'retention.bytes': '-1',
    };
    return {
      name: spec.name,
      internal: spec.internal ?? false,
      configs,
      baseRate: spec.rate,
      noise: 0,
      partitions: weights.map((w, partition) => {
        const replicas = [0, 1, 2].map((k) => ids[(start + partition + k) % ids.length] as number);
        const weight = w / sum;
        // Days of history already on disk, so offsets look like a cluster that has been running.
        const history = spec.rate * weight * factor * (spec.retentionHours ?? 72) * 3600;
        const logEnd = Math.floor(history * (3 + rng.next()));
        return {
          topic: spec.name,
          partition,
          replicas,
          isr: [...replicas],
          leader: replicas[0] as number,
          logStart: spec.compact ? 0 : Math.max(0, Math.floor(logEnd - history)),
          retained: spec.compact ? 0 : Math.floor(history),
          logEnd,
          weight,
          rejoining: [],
        };
      }),
    };
  });

  const cluster: SimCluster = {
    clusterId: clusterIdFrom(rng),
    controllerId: ids[0] as number,
    brokers,
    topics,
    groups: [],
    now: startMs,
    errors: [],
  };

  for (const spec of GROUPS) {
    const group: SimGroup = {
      groupId: spec.groupId,
      protocolType: 'consumer',
      assignor: spec.assignor,
      consumerProtocol: spec.consumerProtocol ?? false,
      active: !spec.empty,
      state: spec.empty ? 'Empty' : spec.consumerProtocol ? 'Dead' : 'Stable',
      members: [],
      topics: spec.topics,
      assignment: new Map(),
      partitions: [],
      capacity: rng.range(1.6, 2.6),
      latencySeconds: rng.range(0.05, 0.6),
      commits: !spec.empty,
      commitIntervalMs: spec.groupId === SLOW_GROUP ? 0 : 5000,
      // Staggered, as consumers started at different times.
      lastCommitAt: startMs - rng.range(0, 5000),
      paused: false,
      nextClientIndex: 1,
      subnet: spec.subnet,
      // Its last run ended 2–4 minutes ago (how far behind its partitions start, below).
      ...(spec.batch
        ? { batch: { ...spec.batch, nextRunAt: startMs + spec.batch.everyMs - 3 * MINUTE } }
        : {}),
    };
    for (let i = 0; i < spec.members; i++) group.members.push(newMember(group, rng));
    for (const topicName of spec.topics) {
      const topic = topics.find((t) => t.name === topicName);
      if (!topic) continue;
      for (const p of topic.partitions) {
        const rate = topic.baseRate * p.weight * factor;
        // A stopped group fell behind when it stopped; a running one sits just behind the head.
        const behind = spec.empty ? rate * rng.range(120, 240) : rate * group.latencySeconds;
        const position = Math.max(p.logStart, p.logEnd - behind);
        const neverCommits =
          spec.groupId === NO_COMMIT_GROUP &&
          topicName === NO_COMMIT_PARTITION.topic &&
          p.partition === NO_COMMIT_PARTITION.partition;
        group.partitions.push({
          topic: topicName,
          partition: p.partition,
          position,
          committed: neverCommits ? null : Math.floor(position),
          neverCommits,
        });
      }
    }
    if (group.active && !group.consumerProtocol) reassign(group, cluster);
    cluster.groups.push(group);
  }
  return cluster;
}

export { partitionKey };
