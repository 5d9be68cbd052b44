import type { BrokerMetrics, SnapshotError } from '../snapshot.js';

export interface MetricsScrape {
  /** Metrics of the brokers asked about (ids from metadata); brokers whose scrape failed are absent. */
  byBroker: Map<number, BrokerMetrics>;
  /** The node reporting ActiveControllerCount = 1, when exactly one scraped node does; else null. */
  controllerId: number | null;
  /** One entry per failed endpoint or missing value, `source: "metrics:<id>"` or `"prometheus"`. */
  errors: SnapshotError[];
  /** HTTP requests sent by this scrape. */
  requests: number;
}

export interface BrokerRef {
  id: number;
  host: string;
}

export interface MetricsSource {
  /**
   * Reads every broker's metrics once. Never throws; the requests never outlast the source's timeout.
   * @param brokers the brokers from metadata, or a promise of them: an explicit id=URL list is then fetched at
   *   once, while the caller is still collecting metadata, so a slow broker does not make a refresh take its
   *   Kafka timeout plus the metrics timeout. The scrape resolves once both are done.
   * @param now the caller's clock in milliseconds; request-handler idle is rated between two calls' `now`.
   */
  scrape(
    brokers: readonly BrokerRef[] | PromiseLike<readonly BrokerRef[]>,
    now: number,
  ): Promise<MetricsScrape>;
  /** Aborts scrapes in flight and forgets previous samples. */
  close(): void;
}

/** Values that only the active controller (or a combined node) reports: absence is normal elsewhere. */
export const CONTROLLER_ONLY = new Set(['offlinePartitions', 'activeControllerCount']);

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_CONCURRENCY = 8;

export function emptyMetrics(): BrokerMetrics {
  return {
    requestHandlerIdle: null,
    networkProcessorIdle: null,
    underReplicatedPartitions: null,
    underMinIsrPartitions: null,
    offlinePartitions: null,
    isrShrinks: null,
    isrExpands: null,
    activeControllerCount: null,
  };
}

/** The single node claiming the active controller role, or null when none or several do. */
export function pickController(counts: Iterable<[number, number | null | undefined]>): number | null {
  const active = [...counts].filter(([, count]) => count === 1).map(([id]) => id);
  return active.length === 1 ? active[0]! : null;
}
