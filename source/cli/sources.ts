/**
 * Builds the SnapshotSource the options ask for: the live cluster (Kafka + broker metrics), the demo
 * simulation, or a recording to replay. Problems the user can fix (a bad --metrics value, a file that is not
 * a recording) come back as a message, not a throw.
 */
import { buildKafkaAuth } from '../config/auth.js';
import { redact, SecretError } from '../config/secrets.js';
import { createDemoSource } from '../demo/index.js';
import {
  createJmxExporterSource,
  createPrometheusSource,
  parseMetricsFlag,
  parseNameOverrides,
} from '../metrics/index.js';
import type { MetricsSource } from '../metrics/types.js';
import { createReplaySource, type ReplaySource } from '../record/index.js';
import type { ClusterSnapshot, SnapshotSource } from '../snapshot.js';
import { createLiveSource } from './live.js';
import type { Options } from './options.js';
import { redactLiveSource } from './redact-source.js';
import { type Scope, scopeOf, scopeSnapshot } from './scope.js';

export interface BuiltSource {
  source: SnapshotSource;
  /** Present when replaying: the session follows the recording's clock and the UI gets replay keys. */
  replay?: ReplaySource;
  /** The source's own clock for data age (simulated time in the demo); default the wall clock. */
  clock?: () => number;
  /**
   * With --group/--topic on a replay: what the session folds of each snapshot it reads from `replay` itself
   * (`source` is scoped already).
   */
  scope?: (snapshot: ClusterSnapshot) => ClusterSnapshot;
}

/** Every snapshot `source` yields, with what is out of scope left out. */
function scoped(source: SnapshotSource, scope: Scope): SnapshotSource {
  if (!scope.group && !scope.topic) return source;
  return {
    label: source.label,
    refresh: async () => scopeSnapshot(await source.refresh(), scope),
    close: () => source.close(),
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function createMetrics(options: Options): MetricsSource | undefined {
  const names = parseNameOverrides(options.metricNames);
  // JMX exporter endpoints on busy brokers can take seconds to answer: allow up to half the refresh budget.
  const timeoutMs = Math.max(1000, Math.min(5000, options.timeoutMs / 2));
  if (options.prometheus) {
    return createPrometheusSource({
      url: options.prometheus,
      names,
      timeoutMs,
      brokerLabel: options.brokerLabel ?? undefined,
    });
  }
  if (options.metrics)
    return createJmxExporterSource({ ...parseMetricsFlag(options.metrics), names, timeoutMs });
  return undefined;
}

export async function createSource(
  options: Options,
  env: Record<string, string | undefined> = process.env,
): Promise<BuiltSource | { error: string }> {
  const built = await createUnscopedSource(options, env);
  if ('error' in built) return built;
  const scope: Scope = {
    group: scopeOf(options.groupPatterns, 'group'),
    topic: scopeOf(options.topicPatterns, 'topic'),
  };
  if (!scope.group && !scope.topic) return built;
  return {
    ...built,
    source: scoped(built.source, scope),
    ...(built.replay ? { scope: (s: ClusterSnapshot) => scopeSnapshot(s, scope) } : {}),
  };
}

async function createUnscopedSource(
  options: Options,
  env: Record<string, string | undefined>,
): Promise<BuiltSource | { error: string }> {
  const { mode } = options;
  let secrets: () => readonly string[] = () => [];
  try {
    switch (mode.kind) {
      case 'demo': {
        const demo = createDemoSource({
          scenario: mode.scenario,
          seed: mode.seed,
          speed: mode.speed,
          intervalMs: options.intervalMs,
          start: new Date(Math.floor(Date.now() / 1000) * 1000),
        });
        // Simulated time runs `speed` times faster than the wall clock, from the newest snapshot's takenAt,
        // so a refresh that fires late on a loaded machine does not read as stale data.
        let lastTakenAt = demo.now.getTime();
        let lastArrival = Date.now();
        const source: SnapshotSource = {
          label: demo.label,
          async refresh() {
            const snapshot = await demo.refresh();
            lastTakenAt = Date.parse(snapshot.takenAt);
            lastArrival = Date.now();
            return snapshot;
          },
          close: () => demo.close(),
        };
        return { source, clock: () => lastTakenAt + (Date.now() - lastArrival) * mode.speed };
      }
      case 'replay': {
        const replay = createReplaySource(mode.file, { speed: mode.speed });
        return { source: replay, replay };
      }
      case 'live': {
        const auth = await buildKafkaAuth(options.connection, { env });
        secrets = auth.secrets;
        const live = createLiveSource({
          kafka: {
            brokers: mode.brokers,
            refreshTimeoutMs: options.timeoutMs,
            // The collector asks Kafka only about what is in scope; the snapshot filter then has little left.
            groupInScope: scopeOf(options.groupPatterns, 'group') ?? undefined,
            topicInScope: scopeOf(options.topicPatterns, 'topic') ?? undefined,
            ...(options.stuckLsoMs === null ? {} : { stuckLsoMs: options.stuckLsoMs }),
            ssl: auth.ssl,
            sasl: auth.sasl,
          },
          metrics: createMetrics(options),
          label: options.connection.cluster
            ? `${options.connection.cluster} (${mode.brokers.join(',')})`
            : undefined,
        });
        return { source: redactLiveSource(live, auth.secrets) };
      }
    }
  } catch (error) {
    // SecretError messages are written to hold no secret; anything else is redacted to be sure.
    if (error instanceof SecretError) return { error: error.message };
    return { error: redact(messageOf(error), secrets()) };
  }
}
