/**
 * The `kafka4` scenario: the cluster as a Kafka 4.4 cluster shows itself. Dedicated KRaft controllers lead
 * the metadata quorum; every group is typed (ListGroups v5); search-indexer is a consumer-protocol group
 * restarted member by member (a leave and a join per member, each an Assigning → Reconciling → Stable
 * rebalance); notification-workers is a share group whose consumers pause (the backlog grows) and resume.
 */

import {
  computeTarget,
  heartbeat,
  joinGroup,
  type K4Group,
  leaveGroup,
  memberUuid,
  settle,
} from './kafka4.js';
import type { SimCluster, SimGroup, SimMember } from './model.js';
import { partitionKey } from './model.js';
import type { Rng } from './rng.js';
import type { Phase } from './scenarios.js';
import { attachLogEnds } from './simulation.js';

export const KIP848_GROUP = 'search-indexer';
export const SHARE_GROUP = 'notification-workers';
/** Dedicated controllers, outside the broker list; the first leads. */
const CONTROLLERS = [3001, 3002, 3003];
const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** `group.consumer.heartbeat.interval.ms`: every member converges within one of these. */
const HEARTBEAT_MS = 5 * SECOND;

function findGroup(cluster: SimCluster, id: string): SimGroup {
  const g = cluster.groups.find((x) => x.groupId === id);
  if (!g) throw new Error(`demo layout has no group ${id}`);
  return g;
}

function k4Member(g: SimGroup, rng: Rng, clientIndex: number): SimMember {
  return {
    memberId: memberUuid(rng),
    clientId: `consumer-${g.groupId}-${clientIndex}`,
    host: `/${g.subnet}${rng.int(10, 250)}`,
  };
}

/** Turns the seed's cluster into a Kafka 4.4 one; returns the consumer-protocol group's coordinator state. */
export function setUpKafka4(cluster: SimCluster, rng: Rng): K4Group {
  cluster.controllerId = CONTROLLERS[0] as number;
  cluster.quorum = {
    leaderId: CONTROLLERS[0] as number,
    leaderEpoch: 7,
    voters: CONTROLLERS,
    recordsPerSecond: 2.4,
    base: rng.int(180_000, 260_000),
    since: cluster.now,
  };
  const g = findGroup(cluster, KIP848_GROUP);
  // A long-running group: its epoch has moved with every deploy before this one.
  const k4: K4Group = { groupEpoch: 38, assignmentEpoch: 38, members: [], target: new Map() };
  g.members = [];
  for (let i = 1; i <= 3; i++) {
    const m = k4Member(g, rng, i);
    g.members.push(m);
    joinGroup(k4, m);
  }
  g.nextClientIndex = 4;
  computeTarget(k4, g, cluster);
  settle(k4);
  g.k4 = k4;
  g.state = 'Stable';
  cluster.groups.push(shareGroup(cluster, rng));
  attachLogEnds(cluster);
  return k4;
}

function shareGroup(cluster: SimCluster, rng: Rng): SimGroup {
  const topic = cluster.topics.find((t) => t.name === 'notifications');
  const g: SimGroup = {
    groupId: SHARE_GROUP,
    protocolType: 'share',
    assignor: 'uniform',
    consumerProtocol: false,
    active: true,
    state: 'Stable',
    members: [],
    topics: ['notifications'],
    assignment: new Map(),
    partitions: [],
    capacity: 2,
    latencySeconds: 0.3,
    // A share group commits nothing: its start offset is where acknowledging got to.
    commits: false,
    commitIntervalMs: 0,
    lastCommitAt: cluster.now,
    paused: false,
    nextClientIndex: 3,
    subnet: '10.0.8.',
    shareEpoch: 2,
  };
  for (let i = 1; i <= 2; i++) {
    g.members.push({
      memberId: memberUuid(rng),
      clientId: `consumer-${SHARE_GROUP}-${i}`,
      host: `/10.0.8.${rng.int(10, 250)}`,
    });
  }
  for (const p of topic?.partitions ?? []) {
    g.partitions.push({
      topic: 'notifications',
      partition: p.partition,
      position: Math.max(p.logStart, p.logEnd - 40),
      committed: null,
      neverCommits: true,
    });
    // The simulation consumes what a member owns; which member is kafka4.ts's business.
    g.assignment.set(partitionKey('notifications', p.partition), g.members[0]?.memberId ?? '');
  }
  return g;
}

/**
 * Members heartbeat `HEARTBEAT_MS` apart, each at its own offset: a refresh inside the window sees some
 * members on the new epoch and some not.
 */
function heartbeatsDue(k4: K4Group): (elapsedMs: number) => void {
  const done = new Map<string, number>();
  return (elapsedMs) => {
    k4.members.forEach((m, i) => {
      const offset = ((i + 1) * HEARTBEAT_MS) / (k4.members.length + 1);
      const due = elapsedMs < offset ? 0 : Math.floor((elapsedMs - offset) / HEARTBEAT_MS) + 1;
      const id = m.member.memberId;
      for (let n = done.get(id) ?? 0; n < due; n++) heartbeat(k4, m);
      done.set(id, Math.max(due, done.get(id) ?? 0));
    });
  };
}

export function kafka4Cycle(cluster: SimCluster, k4: K4Group, rng: Rng, first: boolean): Phase[] {
  const g = findGroup(cluster, KIP848_GROUP);
  const share = findGroup(cluster, SHARE_GROUP);
  const normal = share.capacity;
  const phases: Phase[] = [{ name: 'before-deploy', minMs: first ? 30 * SECOND : 5 * MINUTE }];
  const count = k4.members.length;
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    let clientIndex = n;
    let leaving: ((elapsedMs: number) => void) | null = null;
    let joining: ((elapsedMs: number) => void) | null = null;
    phases.push(
      {
        // The oldest process stops: its consumer leaves the group (heartbeat with epoch -1).
        name: `member-${n}-leaves`,
        minMs: SECOND,
        enter: () => {
          const old = k4.members[0];
          if (!old) return;
          clientIndex = Number(old.member.clientId.slice(old.member.clientId.lastIndexOf('-') + 1)) || n;
          leaveGroup(k4, old.member.memberId);
          g.members = g.members.filter((m) => m.memberId !== old.member.memberId);
        },
      },
      { name: `member-${n}-leave-assigned`, minMs: 2 * SECOND, enter: () => computeTarget(k4, g, cluster) },
      {
        name: `member-${n}-leave-reconciling`,
        minMs: 4 * SECOND,
        enter: () => {
          leaving = heartbeatsDue(k4);
        },
        during: (elapsed) => leaving?.(elapsed),
      },
      { name: `member-${n}-restarting`, minMs: 6 * SECOND, enter: () => settle(k4) },
      {
        // The new process joins with its old client id and a new member id (epoch 0).
        name: `member-${n}-joins`,
        minMs: SECOND,
        enter: () => {
          const m = k4Member(g, rng, clientIndex);
          g.members.push(m);
          joinGroup(k4, m);
        },
      },
      {
        // The target moves partitions to the new member; their owners still hold them (pending revocation).
        name: `member-${n}-join-assigned`,
        minMs: 2 * SECOND,
        enter: () => {
          computeTarget(k4, g, cluster);
          const joined = k4.members.at(-1);
          if (joined) heartbeat(k4, joined);
        },
      },
      {
        name: `member-${n}-join-reconciling`,
        minMs: 8 * SECOND,
        enter: () => {
          joining = heartbeatsDue(k4);
        },
        during: (elapsed) => joining?.(elapsed),
      },
      { name: `member-${n}-done`, minMs: 14 * SECOND, enter: () => settle(k4) },
    );
  }
  phases.push(
    {
      // The share consumers stop acknowledging (a downstream outage): the start offsets stand still.
      name: 'share-consumers-paused',
      minMs: 90 * SECOND,
      enter: () => {
        share.paused = true;
      },
    },
    {
      name: 'share-backlog-draining',
      minMs: 3 * MINUTE,
      enter: () => {
        share.paused = false;
        share.capacity = Math.max(normal, 4);
      },
    },
    {
      name: 'share-caught-up',
      minMs: 0,
      enter: () => {
        share.capacity = normal;
      },
    },
  );
  return phases;
}
