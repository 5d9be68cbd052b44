/**
 * The live SnapshotSource: the Kafka collector, then (optionally) broker metrics for the brokers the
 * metadata named, merged into one snapshot.
 */
import { createKafkaCollector, type KafkaCollectorOptions } from '../kafka/collector.js';
import type { LogRing } from '../kafka/log-ring.js';
import { oneLine } from '../kafka/text.js';
import type { BrokerRef, MetricsScrape, MetricsSource } from '../metrics/types.js';
import type { ClusterSnapshot, SnapshotSource } from '../snapshot.js';

export interface LiveSourceOptions {
  kafka: KafkaCollectorOptions;
  metrics?: MetricsSource;
  /** Header label; defaults to the bootstrap list. */
  label?: string;
  /** Clock handed to the metrics source for its rates (default Date.now). */
  now?: () => number;
}

export interface LiveSource extends SnapshotSource {
  /** Recent kafkajs log lines. */
  readonly log: LogRing;
}

export function createLiveSource(options: LiveSourceOptions): LiveSource {
  const collector = createKafkaCollector(options.kafka);
  const now = options.now ?? Date.now;
  return {
    label: options.label ?? options.kafka.brokers.join(','),
    log: collector.log,
    async refresh() {
      const started = now();
      const metrics = options.metrics;
      if (!metrics) return collector.collect();
      // Metrics are fetched while Kafka is collected, not after: a hung broker otherwise makes a refresh take
      // the Kafka timeout plus the metrics timeout, well past `--timeout`.
      let brokersKnown!: (brokers: BrokerRef[]) => void;
      const brokers = new Promise<BrokerRef[]>((resolve) => {
        brokersKnown = resolve;
      });
      const scraping = scrapeSafely(metrics, brokers, started);
      let snapshot: ClusterSnapshot | undefined;
      try {
        snapshot = await collector.collect();
      } finally {
        brokersKnown(snapshot?.brokers.map((b) => ({ id: b.id, host: b.host })) ?? []);
      }
      const scrape = await scraping;
      if (snapshot.brokers.length === 0) return snapshot;
      if (scrape instanceof Error) {
        // The metrics contract says scrape never throws; a bug there must not lose the Kafka data.
        const message = oneLine(scrape.message);
        return { ...snapshot, errors: [...snapshot.errors, { source: 'metrics', message }] };
      }
      return mergeMetrics(snapshot, scrape, now() - started);
    },
    async close() {
      options.metrics?.close();
      await collector.close();
    },
  };
}

async function scrapeSafely(
  metrics: MetricsSource,
  brokers: Promise<BrokerRef[]>,
  now: number,
): Promise<MetricsScrape | Error> {
  try {
    return await metrics.scrape(brokers, now);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function mergeMetrics(
  snapshot: ClusterSnapshot,
  scrape: MetricsScrape,
  durationMs?: number,
): ClusterSnapshot {
  const metricsErrors = new Map<number, string>();
  for (const error of scrape.errors) {
    const match = /^metrics:(\d+)$/.exec(error.source);
    if (match && !metricsErrors.has(Number(match[1]))) metricsErrors.set(Number(match[1]), error.message);
  }
  return {
    ...snapshot,
    durationMs: durationMs ?? snapshot.durationMs,
    // The quorum's leader, where the collector read it, is the controller; the metric only stands in.
    controllerId: snapshot.controllerId ?? scrape.controllerId,
    brokers: snapshot.brokers.map((b) => ({
      ...b,
      metrics: scrape.byBroker.get(b.id) ?? null,
      error: b.error ?? metricsErrors.get(b.id) ?? null,
    })),
    errors: [...snapshot.errors, ...scrape.errors],
    stats: {
      kafkaRequests: snapshot.stats?.kafkaRequests ?? 0,
      kafkaBytesIn: snapshot.stats?.kafkaBytesIn,
      metricsRequests: (snapshot.stats?.metricsRequests ?? 0) + scrape.requests,
    },
  };
}
