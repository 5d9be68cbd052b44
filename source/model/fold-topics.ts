/**
 * Topics and partitions: log-end history, write rates, ISR / leader / min-ISR / offline flags and
 * the events their changes imply, plus per-broker leadership counts for the broker fold.
 */

import type { PartitionSnapshot, TopicSnapshot } from '../snapshot.js';
import { replicationFactorOf, topicConfigInsights } from './config-insights.js';
import type { EventCollector } from './events.js';
import { numericConfig } from './kafka-facts.js';
import type { ResolvedOptions } from './model.js';
import type { PartitionTable } from './partition-table.js';
import { policyDeletes } from './retention.js';
import { RingSeries, type TimeAxis } from './series.js';
import { sortedBy } from './sorted.js';
import { DEFAULT_STUCK_LSO_MS, foldPartitionLso, type LsoTrack } from './stuck-lso.js';
import { ratePerSecond } from './time-lag.js';
import type { TopicPartitionState, TopicState } from './types.js';

export interface PartitionTrack {
  readonly topic: string;
  readonly partition: number;
  readonly logEnd: RingSeries;
  /** Last metadata seen for it, null when only known from a group's offsets. */
  prev: PartitionSnapshot | null;
  /** axis.seq of the last fold that saw it. */
  seenSeq: number;
  writeRate: number | null;
  /** This fold's metadata state, null when the topic was not in the snapshot. */
  meta: TopicPartitionState | null;
  /** Its last stable offset's history (stuck-lso.ts); created when first below the log end. */
  lso?: LsoTrack;
}

export interface BrokerCounts {
  leaders: number;
  replicas: number;
  ledNotPreferred: number;
  preferredNotLed: number;
  /** URP among partitions it leads, for brokers whose metrics are missing. */
  urpLed: number;
}

export interface TopicFold {
  readonly topics: readonly TopicState[];
  readonly topicsByName: ReadonlyMap<string, TopicState>;
  readonly brokerCounts: ReadonlyMap<number, BrokerCounts>;
  readonly underMinIsrTotal: number;
  readonly offlineTotal: number;
  /** Partitions whose last stable offset is stuck (stuck-lso.ts). */
  readonly stuckLsoTotal: number;
  /** Brokers involved (as leader or removed replica) in an isr-shrink seen this fold. */
  readonly shrinkBrokers: ReadonlySet<number>;
}

function sameConfigs(a: Readonly<Record<string, string>>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function minus(a: readonly number[], b: readonly number[]): number[] {
  return a.filter((x) => !b.includes(x));
}

/**
 * Whether the ISR lacks a replica that is not being added by a reassignment. A replica being added is out
 * of the ISR until it catches up: that partition is moving, not failing (Kafka's own UnderReplicatedPartitions
 * metric counts the same way: its replication factor excludes adding replicas).
 */
export function underReplicatedOf(p: PartitionSnapshot): boolean {
  if (p.isr.length >= p.replicas.length) return false;
  const adding = p.reassignment?.adding;
  if (!adding || adding.length === 0) return true;
  for (const r of p.replicas) if (!p.isr.includes(r) && !adding.includes(r)) return true;
  return false;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Record a log-end offset; a log end that went backwards means the partition was recreated. Compared
 * with the newest known one, even across refreshes that did not know it, so known log ends never
 * decrease (time lag bisects them).
 */
export function recordLogEnd(track: PartitionTrack, logEnd: number | null, rateWindow: number, seq: number) {
  const last = track.logEnd.lastKnown();
  if (logEnd !== null && last !== null && logEnd < last) track.logEnd.reset();
  track.logEnd.push(logEnd);
  track.seenSeq = seq;
  track.writeRate = ratePerSecond(track.logEnd, rateWindow);
}

// Module-level, not closures made per fold (docs/performance.md, "Closures on hot paths").
function countsOf(brokerCounts: Map<number, BrokerCounts>, id: number): BrokerCounts {
  let c = brokerCounts.get(id);
  if (!c) {
    c = { leaders: 0, replicas: 0, ledNotPreferred: 0, preferredNotLed: 0, urpLed: 0 };
    brokerCounts.set(id, c);
  }
  return c;
}

function byTopicName(a: TopicSnapshot, b: TopicSnapshot): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function foldTopics(
  topics: readonly TopicSnapshot[],
  /** The previous fold's topics, to keep unchanged configs' identity. */
  previous: ReadonlyMap<string, TopicState>,
  partitions: PartitionTable<PartitionTrack>,
  axis: TimeAxis,
  opts: ResolvedOptions,
  events: EventCollector,
  first: boolean,
  nowMs = 0,
  /** How long an LSO may stand unmoved below the log end before it is stuck (stuck-lso.ts). */
  stuckLsoMs = DEFAULT_STUCK_LSO_MS,
): TopicFold {
  const brokerCounts = new Map<number, BrokerCounts>();
  const shrinkBrokers = new Set<number>();
  let underMinIsrTotal = 0;
  let offlineTotal = 0;
  let stuckLsoTotal = 0;
  const out: TopicState[] = [];
  const byName = new Map<string, TopicState>();

  for (const topic of sortedBy(topics, byTopicName)) {
    const prevTopic = previous.get(topic.name);
    const configs =
      prevTopic && sameConfigs(prevTopic.configs, topic.configs) ? prevTopic.configs : { ...topic.configs };
    const minIsr = numericConfig(configs, 'min.insync.replicas');
    const parts: TopicPartitionState[] = [];
    let writeRate: number | null = null;
    let maxRate = 0;
    let urp = 0;
    let reassigning = 0;
    let underMin = 0;
    let offlineCount = 0;

    for (const p of topic.partitions) {
      let track = partitions.get(topic.name, p.partition);
      if (!track) {
        track = {
          topic: topic.name,
          partition: p.partition,
          logEnd: new RingSeries(axis),
          prev: null,
          seenSeq: -1,
          writeRate: null,
          meta: null,
        };
        partitions.set(topic.name, p.partition, track);
      }
      recordLogEnd(track, p.logEndOffset, opts.rateWindow, axis.seq);

      const offline = p.leader < 0;
      const underReplicated = underReplicatedOf(p);
      const reassignment = p.reassignment ?? null;
      if (reassignment !== null) reassigning++;
      const underMinIsr = !offline && p.isr.length < (minIsr ?? 1);
      const preferredLeader = p.replicas[0] ?? -1;
      if (underReplicated) urp++;
      if (underMinIsr) underMin++;
      if (offline) offlineCount++;
      for (const r of p.replicas) countsOf(brokerCounts, r).replicas++;
      if (!offline) {
        const c = countsOf(brokerCounts, p.leader);
        c.leaders++;
        if (underReplicated) c.urpLed++;
        if (preferredLeader >= 0 && p.leader !== preferredLeader) c.ledNotPreferred++;
      }
      if (preferredLeader >= 0 && p.leader !== preferredLeader)
        countsOf(brokerCounts, preferredLeader).preferredNotLed++;
      if (track.writeRate !== null) {
        writeRate = (writeRate ?? 0) + track.writeRate;
        if (track.writeRate > maxRate) maxRate = track.writeRate;
      }

      const stuckSince = foldPartitionLso(track, topic.name, p, nowMs, stuckLsoMs, events);
      if (stuckSince !== null) stuckLsoTotal++;

      const prev = track.prev;
      if (prev !== null && !first) diffPartition(topic.name, prev, p, minIsr ?? 1, events, shrinkBrokers);
      track.prev = p;

      const state: TopicPartitionState = {
        topic: topic.name,
        partition: p.partition,
        leader: p.leader,
        preferredLeader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas,
        logStartOffset: p.logStartOffset,
        logEndOffset: p.logEndOffset,
        lastStableOffset: p.lastStableOffset ?? null,
        reassignment,
        sizeBytes: p.sizeBytes ?? null,
        stuckLsoSince: stuckSince === null ? null : new Date(stuckSince).toISOString(),
        openTransaction: p.openTransaction ?? null,
        underReplicated,
        underMinIsr,
        offline,
        writeRate: track.writeRate,
        logEndHistory: track.logEnd.view(),
      };
      track.meta = state;
      parts.push(state);
    }
    underMinIsrTotal += underMin;
    offlineTotal += offlineCount;
    const rf = replicationFactorOf(topic.partitions);
    const mean = writeRate !== null && parts.length > 0 ? writeRate / parts.length : 0;
    const state: TopicState = {
      name: topic.name,
      internal: topic.internal,
      configs,
      minIsr,
      retentionMs: numericConfig(configs, 'retention.ms'),
      retentionBytes: numericConfig(configs, 'retention.bytes'),
      cleanupPolicy: configs['cleanup.policy'] ?? null,
      deletes:
        prevTopic && prevTopic.configs === configs
          ? prevTopic.deletes
          : policyDeletes(configs['cleanup.policy'] ?? null),
      partitions: parts,
      writeRate,
      writeSkew: mean > 0 ? maxRate / mean : null,
      underReplicatedCount: urp,
      replicationFactor: rf,
      // Kept while the configs object (kept while unchanged) and the replication factor are the same.
      configInsights:
        prevTopic && prevTopic.configs === configs && prevTopic.replicationFactor === rf
          ? prevTopic.configInsights
          : topicConfigInsights(configs, rf),
      reassigningCount: reassigning,
      underMinIsrCount: underMin,
      offlineCount,
    };
    out.push(state);
    byName.set(topic.name, state);
  }
  return {
    topics: out,
    topicsByName: byName,
    brokerCounts,
    underMinIsrTotal,
    offlineTotal,
    stuckLsoTotal,
    shrinkBrokers,
  };
}

function diffPartition(
  topic: string,
  prev: PartitionSnapshot,
  cur: PartitionSnapshot,
  minIsr: number,
  events: EventCollector,
  shrinkBrokers: Set<number>,
): void {
  const partition = cur.partition;
  const wasMoving = prev.reassignment != null;
  const isMoving = cur.reassignment != null;
  if (!wasMoving && isMoving) {
    events.emit({
      kind: 'reassignment-start',
      topic,
      partition,
      adding: cur.reassignment!.adding,
      removing: cur.reassignment!.removing,
      replicas: cur.replicas,
    });
  } else if (wasMoving && !isMoving) {
    events.emit({ kind: 'reassignment-end', topic, partition, replicas: cur.replicas, isr: cur.isr });
  }
  if (!sameList(prev.isr, cur.isr)) {
    // A replica that left the replica list with the ISR (a reassignment removed it) did not fall behind.
    const removed = minus(prev.isr, cur.isr).filter((r) => cur.replicas.includes(r));
    const added = minus(cur.isr, prev.isr);
    if (removed.length > 0) {
      events.emit({
        kind: 'isr-shrink',
        topic,
        partition,
        removed,
        isr: cur.isr,
        replicas: cur.replicas,
        broker: removed[0]!,
      });
      for (const b of removed) shrinkBrokers.add(b);
      if (prev.leader >= 0) shrinkBrokers.add(prev.leader);
      if (cur.leader >= 0) shrinkBrokers.add(cur.leader);
    }
    if (added.length > 0) {
      events.emit({
        kind: 'isr-expand',
        topic,
        partition,
        added,
        isr: cur.isr,
        replicas: cur.replicas,
        broker: added[0]!,
      });
    }
  }
  const wasOffline = prev.leader < 0;
  const isOffline = cur.leader < 0;
  if (!wasOffline && isOffline) {
    events.emit({
      kind: 'partition-offline',
      topic,
      partition,
      replicas: cur.replicas,
      offlineReplicas: cur.offlineReplicas,
      broker: prev.leader,
    });
  } else if (wasOffline && !isOffline) {
    events.emit({ kind: 'partition-online', topic, partition, leader: cur.leader, broker: cur.leader });
  } else if (!isOffline && prev.leader !== cur.leader) {
    events.emit({
      kind: 'leader-change',
      topic,
      partition,
      from: prev.leader,
      to: cur.leader,
      preferred: cur.leader === cur.replicas[0],
      broker: cur.leader,
    });
  }
  const wasUnder = !wasOffline && prev.isr.length < minIsr;
  const isUnder = !isOffline && cur.isr.length < minIsr;
  if (!wasUnder && isUnder) {
    events.emit({ kind: 'under-min-isr', topic, partition, isr: cur.isr, minIsr, broker: cur.leader });
  } else if (wasUnder && !isUnder && !isOffline) {
    events.emit({ kind: 'min-isr-restored', topic, partition, isr: cur.isr, minIsr, broker: cur.leader });
  }
}
