/**
 * Scenarios: scripted trouble on top of the steady simulation. Each is a list of phases with a minimum
 * simulated duration; at most one phase starts per refresh, so every state a scenario promises is seen
 * in at least one snapshot whatever the speed. When the list runs out the scenario builds its next cycle.
 */

import { kafka4Cycle, setUpKafka4 } from './kafka4-scenario.js';
import { DEPLOY_GROUP, newMember, reassign, SLOW_GROUP } from './layout.js';
import type { SimCluster, SimGroup } from './model.js';
import type { Rng } from './rng.js';
import { electPreferredLeaders, killBroker, laggingFollower, restartBroker } from './simulation.js';

/**
 * What each scenario shows, as `--help` and README.md ("Run it") say it; test/unit/demo/model-signals.test.ts
 * folds each one through the model and checks every claim.
 */
export const DEMO_SCENARIOS = [
  {
    name: 'steady',
    description:
      'healthy and settled, daily traffic swing; audit-archiver: a batch job every 15 min (Empty, STOP between runs)',
  },
  {
    name: 'rolling-deploy',
    description: 'billing restarted member by member: rebalances, new member ids, lag bumps; settled between',
  },
  {
    name: 'broker-failure',
    description:
      'the last broker dies (ISR shrinks, URP, leaders move), returns (settled again), leaders move back',
  },
  {
    name: 'slow-consumer',
    description: 'analytics-etl falls behind (lag rising, WARN), stops committing (STALL), then catches up',
  },
  {
    name: 'hot-broker',
    description:
      'broker 2 saturates: request-handler idle below 20%, RequestHandlerIdleLow fires; consumers keep up',
  },
  {
    name: 'kafka4',
    description:
      'Kafka 4.4: consumer-protocol search-indexer restarted member by member (Assigning, Reconciling, Stable); share group notification-workers: backlog grows, drains; KRaft quorum',
  },
] as const;

export type DemoScenarioName = (typeof DEMO_SCENARIOS)[number]['name'];

export function isDemoScenario(name: string): name is DemoScenarioName {
  return DEMO_SCENARIOS.some((s) => s.name === name);
}

export interface Phase {
  name: string;
  /** Simulated milliseconds before the next phase may start. */
  minMs: number;
  enter?(): void;
  /** Runs on every refresh while the phase lasts. */
  during?(elapsedMs: number): void;
}

export interface ScenarioRunner {
  /** The phase in force, for tests and for the header's label. */
  readonly phase: string;
  /** Called once per refresh, after the simulation advanced. */
  step(): void;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export function createScenario(name: DemoScenarioName, cluster: SimCluster, rng: Rng): ScenarioRunner {
  const build = cycleBuilder(name, cluster, rng);
  let phases: Phase[] = build(true);
  let index = 0;
  let enteredAt = cluster.now;
  return {
    get phase() {
      return phases[index]?.name ?? 'steady';
    },
    step() {
      const current = phases[index];
      if (!current) return;
      if (cluster.now - enteredAt >= current.minMs) {
        index++;
        if (index >= phases.length) {
          phases = build(false);
          index = 0;
        }
        enteredAt = cluster.now;
        phases[index]?.enter?.();
      }
      phases[index]?.during?.(cluster.now - enteredAt);
    },
  };
}

function cycleBuilder(name: DemoScenarioName, cluster: SimCluster, rng: Rng): (first: boolean) => Phase[] {
  switch (name) {
    case 'steady':
      return () => [{ name: 'steady', minMs: Number.POSITIVE_INFINITY }];
    case 'rolling-deploy':
      return (first) => rollingDeploy(cluster, rng, first);
    case 'broker-failure':
      return (first) => brokerFailure(cluster, rng, first);
    case 'slow-consumer':
      return (first) => slowConsumer(cluster, first);
    case 'hot-broker':
      return (first) => hotBroker(cluster, first);
    case 'kafka4': {
      const k4 = setUpKafka4(cluster, rng);
      return (first) => kafka4Cycle(cluster, k4, rng, first);
    }
  }
}

function group(cluster: SimCluster, id: string): SimGroup {
  const g = cluster.groups.find((x) => x.groupId === id);
  if (!g) throw new Error(`demo layout has no group ${id}`);
  return g;
}

function rollingDeploy(cluster: SimCluster, rng: Rng, first: boolean): Phase[] {
  const g = group(cluster, DEPLOY_GROUP);
  const phases: Phase[] = [{ name: 'before-deploy', minMs: first ? 30 * SECOND : 10 * MINUTE }];
  // Eager assignor (range): every rebalance revokes all partitions, so the whole group stops consuming.
  const rebalance = (state: string) => {
    g.state = state;
    g.paused = true;
  };
  const settle = () => {
    reassign(g, cluster);
    g.state = 'Stable';
    g.paused = false;
  };
  const count = g.members.length;
  for (let i = 0; i < count; i++) {
    // The restarted process comes back with its old client id (consumer-billing-N) and a new member id.
    let clientIndex = i + 1;
    phases.push(
      {
        name: `member-${i + 1}-leaves`,
        minMs: 6 * SECOND,
        enter: () => {
          // The oldest member goes first: members that already restarted sit at the end of the list.
          const old = g.members[0];
          if (!old) return;
          clientIndex = Number(old.clientId.slice(old.clientId.lastIndexOf('-') + 1)) || clientIndex;
          g.members = g.members.slice(1);
          rebalance('PreparingRebalance');
        },
      },
      {
        name: `member-${i + 1}-leaves-syncing`,
        minMs: 2 * SECOND,
        enter: () => rebalance('CompletingRebalance'),
      },
      { name: `member-${i + 1}-restarting`, minMs: 8 * SECOND, enter: settle },
      {
        name: `member-${i + 1}-joins`,
        minMs: 6 * SECOND,
        enter: () => {
          g.members.push(newMember(g, rng, clientIndex));
          rebalance('PreparingRebalance');
        },
      },
      {
        name: `member-${i + 1}-joins-syncing`,
        minMs: 2 * SECOND,
        enter: () => rebalance('CompletingRebalance'),
      },
      { name: `member-${i + 1}-done`, minMs: 14 * SECOND, enter: settle },
    );
  }
  return phases;
}

/** The broker-failure victim: the highest id, never the controller. */
export function failingBrokerId(cluster: SimCluster): number {
  const ids = cluster.brokers.map((b) => b.id).filter((id) => id !== cluster.controllerId);
  return Math.max(...ids);
}

function brokerFailure(cluster: SimCluster, rng: Rng, first: boolean): Phase[] {
  const id = failingBrokerId(cluster);
  const broker = cluster.brokers.find((b) => b.id === id);
  const where = broker ? `${broker.host}:${broker.port}` : `broker ${id}`;
  return [
    { name: 'before-failure', minMs: first ? 30 * SECOND : 10 * MINUTE },
    {
      name: 'broker-down',
      minMs: 6 * SECOND,
      enter: () => {
        killBroker(cluster, id);
        cluster.errors = [
          { source: `broker:${id}`, message: `broker ${id} (${where}) is missing from the cluster metadata` },
          {
            source: `metrics:${id}`,
            message: `GET http://${broker?.host ?? id}:7071/metrics failed: connect ECONNREFUSED`,
          },
        ];
      },
    },
    {
      name: 'followers-lagging',
      minMs: 84 * SECOND,
      enter: () => {
        // The survivors take the failed broker's traffic; a few followers fall out of the ISR for a while,
        // leaving those partitions under min.insync.replicas.
        const shrunk = cluster.topics
          .filter((t) => !t.internal)
          .flatMap((t) => t.partitions)
          .filter((p) => p.replicas.includes(id) && p.isr.length === 2);
        for (let k = 0; k < 3 && shrunk.length > 0; k++) {
          const p = shrunk.splice(rng.int(0, shrunk.length - 1), 1)[0];
          const follower = p?.isr.find((r) => r !== p.leader);
          if (p && follower !== undefined) laggingFollower(cluster, p, follower, cluster.now + 20 * SECOND);
        }
      },
    },
    {
      name: 'broker-returned',
      minMs: 2 * MINUTE,
      enter: () => {
        restartBroker(cluster, id, rng, [4 * SECOND, 40 * SECOND]);
        cluster.errors = [];
      },
    },
    { name: 'preferred-leader-election', minMs: 0, enter: () => electPreferredLeaders(cluster) },
  ];
}

function slowConsumer(cluster: SimCluster, first: boolean): Phase[] {
  const g = group(cluster, SLOW_GROUP);
  const normal = g.capacity;
  return [
    { name: 'before-slowdown', minMs: first ? 20 * SECOND : 5 * MINUTE },
    {
      name: 'falling-behind',
      minMs: 2 * MINUTE,
      enter: () => {
        // Consumes a bit more than half of what is produced: lag grows on every partition, commits continue.
        g.capacity = 0.55;
      },
    },
    {
      name: 'stopped-committing',
      minMs: 10 * MINUTE,
      enter: () => {
        // A hung processing thread: heartbeats keep the member in the group, nothing is consumed or committed.
        g.paused = true;
        g.commits = false;
      },
    },
    {
      name: 'catching-up',
      minMs: 5 * MINUTE,
      enter: () => {
        g.paused = false;
        g.commits = true;
        g.capacity = Math.max(normal, 4);
      },
    },
  ];
}

/** The hot-broker victim. */
export const HOT_BROKER_ID = 2;

function hotBroker(cluster: SimCluster, first: boolean): Phase[] {
  const broker = cluster.brokers.find((b) => b.id === HOT_BROKER_ID);
  const set = (heat: number) => {
    if (broker) broker.heat = heat;
  };
  if (!first) return [{ name: 'hot', minMs: Number.POSITIVE_INFINITY, during: () => set(1) }];
  return [
    { name: 'before-load', minMs: 30 * SECOND },
    { name: 'heating-up', minMs: MINUTE, during: (elapsed) => set(Math.min(1, elapsed / MINUTE)) },
    { name: 'hot', minMs: Number.POSITIVE_INFINITY, during: () => set(1) },
  ];
}
