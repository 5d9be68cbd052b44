/**
 * The simulated cluster's mutable state. Only the demo touches it; snapshots are copied out of it,
 * so a consumer holding an old snapshot never sees it change.
 */

import type { K4Group, SimQuorum } from './kafka4.js';

export interface SimBroker {
  id: number;
  host: string;
  port: number;
  rack: string;
  alive: boolean;
  /** Cumulative counters since this broker (re)started, like the JMX meters. */
  isrShrinks: number;
  isrExpands: number;
  /** 0..1: how far a scenario has pushed this broker towards saturation (hot-broker). */
  heat: number;
  /** Smoothed noise so idle values wander instead of jumping. */
  idleNoise: number;
}

export interface SimPartition {
  topic: string;
  partition: number;
  replicas: number[];
  isr: number[];
  leader: number;
  logStart: number;
  /** Messages retention keeps (delete policy), or 0 for compacted topics whose log start stays put. */
  retained: number;
  /** Fractional so slow partitions still advance; floored when copied out. */
  logEnd: number;
  /** Share of the topic's produce rate landing here (keys are rarely spread evenly). */
  weight: number;
  /** Replicas catching up to rejoin the ISR, with the simulated time they get there. */
  rejoining: { broker: number; at: number }[];
}

export interface SimTopic {
  name: string;
  internal: boolean;
  configs: Record<string, string>;
  /** Messages per second at the daily mean. */
  baseRate: number;
  /** Slow multiplicative noise on the rate, as an AR(1) walk. */
  noise: number;
  partitions: SimPartition[];
}

export interface SimMember {
  memberId: string;
  clientId: string;
  host: string;
}

export interface SimGroupPartition {
  topic: string;
  partition: number;
  /** What the consumer has processed; committed offsets follow it when the group commits. */
  position: number;
  committed: number | null;
  /** This partition never gets a commit (idle partition, auto.offset.reset=latest). */
  neverCommits: boolean;
}

export type AssignorName = 'range' | 'roundrobin' | 'cooperative-sticky' | 'uniform';

/**
 * A batch job that assigns itself its partitions (no members, so the group stays Empty): every `everyMs`
 * it reads to the log end over `runMs`, committing as it goes, and stops.
 */
export interface SimBatch {
  everyMs: number;
  runMs: number;
  /** Simulated time the next run starts. */
  nextRunAt: number;
}

export interface SimGroup {
  groupId: string;
  protocolType: string;
  assignor: AssignorName;
  /** KIP-848 group: DescribeGroups v2 shows it Dead with no members, offsets still real. */
  consumerProtocol: boolean;
  /** False for a group whose consumers are all stopped (state Empty, offsets kept). */
  active: boolean;
  state: string;
  members: SimMember[];
  topics: string[];
  /** `topic:partition` → member id; only reported while the group is Stable. */
  assignment: Map<string, string>;
  partitions: SimGroupPartition[];
  /** How much faster than the produce rate the group can consume when behind. */
  capacity: number;
  /** How far behind the head a healthy consumer runs, in seconds of produce. */
  latencySeconds: number;
  commits: boolean;
  /**
   * auto.commit.interval.ms: committed offsets move in steps, so the lag a monitor samples is a sawtooth.
   * 0 for a group that commits after every poll.
   */
  commitIntervalMs: number;
  /** Simulated time of the last commit. */
  lastCommitAt: number;
  /** Consumption stopped: an eager rebalance revoked everything, or the consumer is hung. */
  paused: boolean;
  /** Next suffix for client ids of members that join later. */
  nextClientIndex: number;
  /** Prefix of member hosts, e.g. "10.0.3.". */
  subnet: string;
  /** An Empty group whose job runs now and then (layout.ts, `runBatch` in simulation.ts). */
  batch?: SimBatch;
  /** Kafka 4 scenario: a consumer-protocol group ConsumerGroupDescribe describes (kafka4.ts). */
  k4?: K4Group;
  /** Kafka 4 scenario: a share group, with its group epoch (kafka4.ts). */
  shareEpoch?: number;
}

export interface SimCluster {
  clusterId: string;
  controllerId: number;
  brokers: SimBroker[];
  topics: SimTopic[];
  groups: SimGroup[];
  /** Simulated time in ms since the epoch. */
  now: number;
  errors: { source: string; message: string }[];
  /** Kafka 4 scenario: the KRaft quorum DescribeQuorum shows; with it ListGroups v5 types every group. */
  quorum?: SimQuorum;
}

export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;
