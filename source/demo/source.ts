/**
 * The demo `SnapshotSource`: a simulated cluster that needs no Kafka. Time is simulated too: the first
 * refresh is at `start` and each later one `intervalMs × speed` after the previous, whatever the wall clock
 * says, so the same options always give the same snapshots.
 */

import type { ClusterSnapshot, SnapshotSource } from '../snapshot.js';
import { createCluster } from './layout.js';
import { createRng, deriveSeed } from './rng.js';
import { createScenario, type DemoScenarioName, isDemoScenario } from './scenarios.js';
import { advance, attachLogEnds, takeSnapshot } from './simulation.js';

/** A fixed epoch, so a demo without `start` is reproducible: a weekday morning, traffic rising. */
export const DEFAULT_DEMO_START = '2025-03-12T08:30:00.000Z';

export interface DemoOptions {
  scenario?: DemoScenarioName | string;
  seed?: number;
  /** Simulated seconds per real second; scales how far each refresh moves simulated time. */
  speed?: number;
  /** The refresh interval the poller uses; one refresh advances simulated time by intervalMs × speed. */
  intervalMs?: number;
  start?: Date;
}

export interface DemoSource extends SnapshotSource {
  readonly scenario: DemoScenarioName;
  /** The scenario's current phase, e.g. "member-3-joins" or "broker-down". */
  readonly phase: string;
  /** Simulated time of the next snapshot. */
  readonly now: Date;
}

export function createDemoSource(options: DemoOptions = {}): DemoSource {
  const scenario = options.scenario ?? 'steady';
  if (!isDemoScenario(scenario)) throw new Error(`unknown demo scenario: ${JSON.stringify(scenario)}`);
  const seed = Math.trunc(options.seed ?? 1);
  const speed = options.speed ?? 1;
  const intervalMs = options.intervalMs ?? 2000;
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new Error(`demo speed must be a positive number: ${speed}`);
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
    throw new Error(`demo interval must be a positive number of milliseconds: ${intervalMs}`);
  }
  const startMs = (options.start ?? new Date(DEFAULT_DEMO_START)).getTime();
  if (!Number.isFinite(startMs)) throw new Error('demo start is not a valid date');

  const cluster = createCluster(seed, startMs);
  attachLogEnds(cluster);
  const dynamics = createRng(deriveSeed(seed, 'dynamics'));
  const runner = createScenario(scenario, cluster, createRng(deriveSeed(seed, `scenario:${scenario}`)));
  const stepMs = intervalMs * speed;
  let refreshes = 0;

  return {
    label: `demo: ${scenario}`,
    scenario,
    get phase() {
      return runner.phase;
    },
    get now() {
      return new Date(refreshes === 0 ? cluster.now : cluster.now + stepMs);
    },
    async refresh(): Promise<ClusterSnapshot> {
      if (refreshes > 0) {
        advance(cluster, stepMs, dynamics);
        runner.step();
      }
      refreshes++;
      return takeSnapshot(cluster, { durationMs: Math.round(dynamics.range(18, 60)) });
    },
    async close(): Promise<void> {},
  };
}
