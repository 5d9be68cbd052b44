/**
 * Advances the simulated cluster by one step and copies a `ClusterSnapshot` out of it.
 * Broker metrics are derived from the same partition state the metadata shows, so URP, under-min-ISR
 * and offline counts always agree with the topics in the same snapshot.
 */

import type {
  BrokerSnapshot,
  ClusterSnapshot,
  GroupPartitionSnapshot,
  GroupSnapshot,
  MemberSnapshot,
  TopicSnapshot,
} from '../snapshot.js';
import { lagOf, SNAPSHOT_SCHEMA_VERSION } from '../snapshot.js';
import { consumerGroupSnapshot, quorumSnapshot, shareGroupSnapshot } from './kafka4.js';
import { dailyFactor } from './layout.js';
import type { SimBatch, SimBroker, SimCluster, SimGroup, SimPartition, SimTopic } from './model.js';
import { partitionKey } from './model.js';
import type { Rng } from './rng.js';

const MIN_ISR = 2;

/** Current produce rate of a partition in messages per second (0 while it has no leader). */
export function partitionRate(topic: SimTopic, p: SimPartition, nowMs: number): number {
  if (p.leader < 0) return 0;
  return topic.baseRate * p.weight * dailyFactor(nowMs) * (1 + topic.noise);
}

/** Moves simulated time forward by `dtMs`: produce, replicate, consume, commit. */
export function advance(cluster: SimCluster, dtMs: number, rng: Rng): void {
  cluster.now += dtMs;
  const dt = dtMs / 1000;
  const rates = new Map<string, number>();
  for (const topic of cluster.topics) {
    topic.noise = Math.max(-0.4, Math.min(0.4, 0.85 * topic.noise + 0.04 * rng.normal()));
    for (const p of topic.partitions) {
      const rate = partitionRate(topic, p, cluster.now);
      rates.set(partitionKey(topic.name, p.partition), rate);
      p.logEnd += rate * dt;
      // Retention deletes whole segments: the log start jumps now and then instead of creeping.
      if (p.retained > 0 && p.logEnd - p.logStart > p.retained * 1.04) {
        p.logStart += Math.floor(p.retained * 0.04);
      }
      rejoinCaughtUpReplicas(cluster, p);
    }
  }
  for (const group of cluster.groups) consume(group, rates, dt, cluster.now, rng);
  for (const broker of cluster.brokers) {
    broker.idleNoise = Math.max(-0.06, Math.min(0.06, 0.8 * broker.idleNoise + 0.012 * rng.normal()));
  }
}

function rejoinCaughtUpReplicas(cluster: SimCluster, p: SimPartition): void {
  if (p.rejoining.length === 0) return;
  const still: SimPartition['rejoining'] = [];
  for (const r of p.rejoining) {
    const broker = cluster.brokers.find((b) => b.id === r.broker);
    if (!broker?.alive) continue;
    if (r.at > cluster.now) {
      still.push(r);
      continue;
    }
    if (!p.isr.includes(r.broker)) {
      // Kafka keeps the ISR in replica order when it writes it back.
      p.isr = p.replicas.filter((id) => id === r.broker || p.isr.includes(id));
      const leader = cluster.brokers.find((b) => b.id === p.leader);
      if (leader) leader.isrExpands++;
      if (p.leader < 0) p.leader = r.broker;
    }
  }
  p.rejoining = still;
}

/** Set by `attachLogEnds`: consumers need each partition's head without searching topics every step. */
const heads = new WeakMap<SimGroup, Map<string, SimPartition>>();

export function attachLogEnds(cluster: SimCluster): void {
  for (const group of cluster.groups) {
    const map = new Map<string, SimPartition>();
    for (const topic of cluster.topics) {
      if (!group.topics.includes(topic.name)) continue;
      for (const p of topic.partitions) map.set(partitionKey(topic.name, p.partition), p);
    }
    heads.set(group, map);
  }
}

function consume(
  group: SimGroup,
  rates: ReadonlyMap<string, number>,
  dt: number,
  now: number,
  rng: Rng,
): void {
  const jitter = rng.range(0.4, 1.6);
  if (!group.active) {
    if (group.batch) runBatch(group, group.batch, now, dt * 1000);
    return;
  }
  const stable = group.consumerProtocol || group.state === 'Stable';
  let commit = false;
  if (group.commits && now - group.lastCommitAt >= group.commitIntervalMs) {
    commit = true;
    const interval = Math.max(1, group.commitIntervalMs);
    group.lastCommitAt += Math.floor((now - group.lastCommitAt) / interval) * interval;
  }
  for (const gp of group.partitions) {
    const key = partitionKey(gp.topic, gp.partition);
    const owned = group.consumerProtocol || group.assignment.has(key);
    if (!group.paused && stable && owned) {
      const rate = rates.get(key) ?? 0;
      const head = heads.get(group)?.get(key)?.logEnd ?? gp.position;
      const reach = gp.position + group.capacity * rate * dt;
      // A consumer that keeps up often drains the partition before it commits: lag 0 at that commit,
      // which is what tells Burrow (and the model) that it is fine.
      const drained = reach >= head && rng.next() < 0.35;
      const target = drained ? head : Math.max(gp.position, head - rate * group.latencySeconds * jitter);
      gp.position = Math.min(reach, target);
    }
    if (commit && !gp.neverCommits) gp.committed = Math.floor(gp.position);
  }
}

/** Moves a batch job's run on by one step (see `SimBatch`): the share of its gap to the log end due by now. */
function runBatch(group: SimGroup, batch: SimBatch, now: number, dtMs: number): void {
  const from = Math.max(now - dtMs, batch.nextRunAt);
  if (now <= from) return;
  const end = batch.nextRunAt + batch.runMs;
  const share = now >= end ? 1 : (now - from) / (end - from);
  for (const gp of group.partitions) {
    const head = heads.get(group)?.get(partitionKey(gp.topic, gp.partition))?.logEnd ?? gp.position;
    gp.position += (head - gp.position) * share;
    if (!gp.neverCommits) gp.committed = Math.floor(gp.position);
  }
  while (now >= end && batch.nextRunAt <= now) batch.nextRunAt += batch.everyMs;
}

/** Removes a broker from the cluster: ISR shrinks on every partition it replicated, its leaderships move. */
export function killBroker(cluster: SimCluster, id: number): void {
  const broker = cluster.brokers.find((b) => b.id === id);
  if (!broker?.alive) return;
  broker.alive = false;
  for (const topic of cluster.topics) {
    for (const p of topic.partitions) {
      p.rejoining = p.rejoining.filter((r) => r.broker !== id);
      if (!p.isr.includes(id)) continue;
      p.isr = p.isr.filter((r) => r !== id);
      if (p.leader === id) p.leader = p.isr[0] ?? -1;
      const leader = cluster.brokers.find((b) => b.id === p.leader);
      if (leader) leader.isrShrinks++;
    }
  }
}

/** Drops a follower out of the ISR for a while (it fell behind), as happens under the extra load of a failure. */
export function laggingFollower(cluster: SimCluster, p: SimPartition, id: number, until: number): void {
  if (p.leader === id || !p.isr.includes(id)) return;
  p.isr = p.isr.filter((r) => r !== id);
  const leader = cluster.brokers.find((b) => b.id === p.leader);
  if (leader) leader.isrShrinks++;
  p.rejoining.push({ broker: id, at: until });
}

/** Brings a broker back with fresh counters; its replicas rejoin the ISR once they have caught up. */
export function restartBroker(cluster: SimCluster, id: number, rng: Rng, catchUpMs: [number, number]): void {
  const broker = cluster.brokers.find((b) => b.id === id);
  if (!broker || broker.alive) return;
  broker.alive = true;
  broker.isrShrinks = 0;
  broker.isrExpands = 0;
  for (const topic of cluster.topics) {
    for (const p of topic.partitions) {
      if (p.replicas.includes(id) && !p.isr.includes(id)) {
        p.rejoining.push({ broker: id, at: cluster.now + rng.range(catchUpMs[0], catchUpMs[1]) });
      }
    }
  }
}

/** A preferred-replica election: leadership goes back to the first replica wherever it is in the ISR. */
export function electPreferredLeaders(cluster: SimCluster): void {
  for (const topic of cluster.topics) {
    for (const p of topic.partitions) {
      const preferred = p.replicas[0] as number;
      if (p.leader !== preferred && p.isr.includes(preferred)) p.leader = preferred;
    }
  }
}

export interface SnapshotExtras {
  durationMs: number;
}

export function takeSnapshot(cluster: SimCluster, extras: SnapshotExtras): ClusterSnapshot {
  const alive = new Set(cluster.brokers.filter((b) => b.alive).map((b) => b.id));
  const perBroker = new Map<number, { urp: number; underMin: number; leads: number; load: number }>();
  for (const id of alive) perBroker.set(id, { urp: 0, underMin: 0, leads: 0, load: 0 });
  let offline = 0;
  let totalRate = 0;

  const topics: TopicSnapshot[] = cluster.topics.map((topic) => ({
    name: topic.name,
    internal: topic.internal,
    configs: { ...topic.configs },
    partitions: topic.partitions.map((p) => {
      const stats = perBroker.get(p.leader);
      const rate = partitionRate(topic, p, cluster.now);
      totalRate += rate;
      if (p.leader < 0) offline++;
      if (stats) {
        stats.leads++;
        stats.load += rate;
        if (p.isr.length < p.replicas.length) stats.urp++;
        if (p.isr.length < MIN_ISR) stats.underMin++;
      }
      return {
        partition: p.partition,
        leader: p.leader,
        replicas: [...p.replicas],
        isr: [...p.isr],
        offlineReplicas: p.replicas.filter((id) => !alive.has(id)),
        logStartOffset: p.logStart,
        logEndOffset: Math.floor(p.logEnd),
        // The demo writes no transactions: a read_committed consumer reads to the log end.
        lastStableOffset: Math.floor(p.logEnd),
      };
    }),
  }));

  const fairShare = totalRate / Math.max(1, alive.size);
  const brokers: BrokerSnapshot[] = cluster.brokers
    .filter((b) => b.alive)
    .map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: b.rack,
      error: null,
      metrics: brokerMetrics(cluster, b, perBroker.get(b.id), fairShare, offline),
    }));

  const logEnds = new Map<string, number>();
  for (const t of topics) {
    for (const p of t.partitions) logEnds.set(partitionKey(t.name, p.partition), p.logEndOffset ?? 0);
  }
  const typed = cluster.quorum !== undefined;
  const groups = cluster.groups.map((g) => {
    if (g.k4) return consumerGroupSnapshot(g, g.k4, logEnds);
    if (g.shareEpoch !== undefined) return shareGroupSnapshot(g, g.shareEpoch, logEnds);
    const snapshot = groupSnapshot(g, logEnds);
    // A Kafka 4 cluster answers ListGroups v5, which names every group's type.
    if (typed) snapshot.type = g.consumerProtocol ? 'consumer' : 'classic';
    return snapshot;
  });
  const quorum = cluster.quorum ? quorumSnapshot(cluster.quorum, cluster) : undefined;

  const errors = cluster.errors.map((e) => ({ ...e }));
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    takenAt: new Date(cluster.now).toISOString(),
    durationMs: extras.durationMs,
    clusterId: cluster.clusterId,
    // Under KRaft the quorum's leader is the active controller, a controller node outside the broker list.
    controllerId: quorum ? quorum.leaderId : alive.has(cluster.controllerId) ? cluster.controllerId : null,
    ...(quorum ? { quorum } : {}),
    brokers,
    topics,
    groups,
    errors,
    stats: {
      // What the live collector would have sent: metadata, offsets per leader, one describe and one
      // offset fetch per group coordinator round, a scrape per broker.
      // Kafka 4: DescribeQuorum, and ConsumerGroupDescribe, ShareGroupDescribe and DescribeShareGroupOffsets
      // to the coordinators of its one consumer-protocol and one share group.
      kafkaRequests: 2 + alive.size * 2 + Math.ceil(groups.length / 4) + groups.length + (quorum ? 4 : 0),
      metricsRequests: alive.size,
    },
  };
}

function brokerMetrics(
  cluster: SimCluster,
  b: SimBroker,
  stats: { urp: number; underMin: number; leads: number; load: number } | undefined,
  fairShare: number,
  offline: number,
): BrokerSnapshot['metrics'] {
  const share = stats && fairShare > 0 ? stats.load / fairShare : 1;
  const daily = dailyFactor(cluster.now);
  // Idle falls with the traffic this broker leads; healthy brokers stay within 0.6..0.95.
  const base = 0.93 - 0.1 * daily * Math.min(2, share) + b.idleNoise;
  const healthy = Math.max(0.6, Math.min(0.95, base));
  // A saturated broker's handlers hover around 10-15% idle, whatever its share of the traffic.
  const requestHandlerIdle = round3(lerp(healthy, 0.12 + b.idleNoise, b.heat));
  const network = Math.max(0.7, Math.min(0.98, 0.97 - 0.07 * daily * share + b.idleNoise / 2));
  const networkProcessorIdle = round3(lerp(network, 0.45 + b.idleNoise, b.heat));
  const isController = b.id === cluster.controllerId;
  return {
    requestHandlerIdle,
    networkProcessorIdle,
    underReplicatedPartitions: stats?.urp ?? 0,
    underMinIsrPartitions: stats?.underMin ?? 0,
    // Only the active controller reports offline partitions, as in Kafka.
    offlinePartitions: isController ? offline : 0,
    isrShrinks: b.isrShrinks,
    isrExpands: b.isrExpands,
    activeControllerCount: isController ? 1 : 0,
  };
}

function lerp(from: number, to: number, t: number): number {
  return from + (to - from) * Math.max(0, Math.min(1, t));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function groupSnapshot(g: SimGroup, logEnds: ReadonlyMap<string, number>): GroupSnapshot {
  // Members and assignments are only visible the way DescribeGroups shows them: KIP-848 groups answer
  // Dead with no members, and assignments are empty until the group is Stable again.
  const showMembers = g.active && !g.consumerProtocol;
  const stable = g.state === 'Stable';
  const members: MemberSnapshot[] = showMembers
    ? g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.host,
        assignment: stable ? assignmentOf(g, m.memberId) : [],
      }))
    : [];
  let totalLag = 0;
  const partitions: GroupPartitionSnapshot[] = g.partitions.map((gp) => {
    const key = partitionKey(gp.topic, gp.partition);
    const logEndOffset = logEnds.get(key) ?? null;
    const lag = lagOf(gp.committed, logEndOffset);
    if (lag !== null) totalLag += lag;
    return {
      topic: gp.topic,
      partition: gp.partition,
      committedOffset: gp.committed,
      logEndOffset,
      lastStableOffset: logEndOffset,
      lag,
      memberId: showMembers && stable ? (g.assignment.get(key) ?? null) : null,
    };
  });
  return {
    groupId: g.groupId,
    state: g.state,
    protocolType: g.protocolType,
    protocol: showMembers ? g.assignor : '',
    ...(g.consumerProtocol ? { consumerProtocol: true } : {}),
    members,
    totalLag,
    partitions,
    error: null,
  };
}

function assignmentOf(g: SimGroup, memberId: string): MemberSnapshot['assignment'] {
  const byTopic = new Map<string, number[]>();
  for (const [key, owner] of g.assignment) {
    if (owner !== memberId) continue;
    const cut = key.lastIndexOf(':');
    const topic = key.slice(0, cut);
    const list = byTopic.get(topic) ?? [];
    list.push(Number(key.slice(cut + 1)));
    byTopic.set(topic, list);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}
