import type { BrokerMetrics, SnapshotError } from '../snapshot.js';
import { compileNames, firstPresent, indexSamples, readRequestHandlerIdle } from './extract.js';
import type { FetchLike } from './http.js';
import { fetchText, redactUrl } from './http.js';
import { IdleRateTracker } from './idle-rate.js';
import type { MetricNames } from './names.js';
import { resolveNames } from './names.js';
import { parseExposition } from './parse.js';
import { deadline, mapBounded } from './pool.js';
import type { BrokerRef, MetricsScrape, MetricsSource } from './types.js';
import {
  CONTROLLER_ONLY,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  emptyMetrics,
  pickController,
} from './types.js';

export interface JmxExporterOptions {
  /** URL with `{host}` and/or `{id}`, filled per broker from metadata, e.g. `http://{host}:7071/metrics`. */
  template?: string;
  /**
   * Explicit node id → URL. Ids not in the metadata (dedicated KRaft controllers) are scraped only
   * for ActiveControllerCount; metadata brokers missing here simply get no metrics.
   */
  urls?: Map<number, string>;
  names?: Partial<MetricNames>;
  /** Bound on one whole scrape, all endpoints included. Default 3000 ms. */
  timeoutMs?: number;
  /** Endpoints fetched at once. Default 8. */
  concurrency?: number;
  maxBodyBytes?: number;
  fetch?: FetchLike;
}

interface Target {
  id: number;
  url: string;
  /** False for explicit-list nodes absent from metadata: read only for the controller role. */
  isBroker: boolean;
}

/** Fills `{host}` and `{id}`; IPv6 literals get brackets so the URL stays valid. */
export function fillTemplate(template: string, broker: BrokerRef): string {
  const host = broker.host.includes(':') && !broker.host.startsWith('[') ? `[${broker.host}]` : broker.host;
  return template.replaceAll('{host}', host).replaceAll('{id}', String(broker.id));
}

export function createJmxExporterSource(opts: JmxExporterOptions): MetricsSource {
  if (!opts.template === !opts.urls) throw new Error('give either a URL template or an explicit id=URL list');
  const names = compileNames(resolveNames(opts.names));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const idle = new IdleRateTracker();
  let closer = new AbortController();

  const targetsFor = (brokers: readonly BrokerRef[]): Target[] => {
    if (opts.template)
      return brokers.map((b) => ({ id: b.id, url: fillTemplate(opts.template!, b), isBroker: true }));
    const known = new Set(brokers.map((b) => b.id));
    return [...opts.urls!].map(([id, url]) => ({ id, url, isBroker: known.has(id) }));
  };

  const scrapeOne = async (
    target: Target,
    signal: AbortSignal,
    now: number,
  ): Promise<{ metrics: BrokerMetrics | null; errors: SnapshotError[] }> => {
    const source = `metrics:${target.id}`;
    const fetched = await fetchText(target.url, { signal, fetch: fetchImpl, maxBytes: opts.maxBodyBytes });
    if (!fetched.ok)
      return { metrics: null, errors: [{ source, message: `${redactUrl(target.url)}: ${fetched.message}` }] };
    const exposition = parseExposition(fetched.body);
    if (exposition.samples.length === 0) {
      const message =
        exposition.skipped > 0
          ? `not Prometheus text (${exposition.skipped} unparseable lines)`
          : 'no samples in the response';
      return { metrics: null, errors: [{ source, message: `${redactUrl(target.url)}: ${message}` }] };
    }
    const errors: SnapshotError[] = [];
    if (exposition.truncated)
      errors.push({ source, message: 'response ended mid-line; its last line was ignored' });
    const index = indexSamples(exposition.samples);
    const reading = readRequestHandlerIdle(index, names);
    const rated = idle.observe(target.id, reading.count, now);
    const metrics: BrokerMetrics = {
      ...emptyMetrics(),
      requestHandlerIdle: rated ?? reading.fraction,
      networkProcessorIdle: firstPresent(index, names.networkProcessorIdle, 'mean'),
      underReplicatedPartitions: firstPresent(index, names.underReplicatedPartitions, 'sum'),
      underMinIsrPartitions: firstPresent(index, names.underMinIsrPartitions, 'sum'),
      offlinePartitions: firstPresent(index, names.offlinePartitions, 'sum'),
      isrShrinks: firstPresent(index, names.isrShrinks, 'sum'),
      isrExpands: firstPresent(index, names.isrExpands, 'sum'),
      activeControllerCount: firstPresent(index, names.activeControllerCount, 'sum'),
    };
    if (target.isBroker) {
      const missing = (Object.keys(metrics) as (keyof BrokerMetrics)[]).filter(
        (key) => metrics[key] === null && !CONTROLLER_ONLY.has(key),
      );
      // A count with no rate yet is the normal first scrape, not a missing metric.
      const idleWaiting = reading.count !== null && missing.includes('requestHandlerIdle');
      const reported = idleWaiting ? missing.filter((k) => k !== 'requestHandlerIdle') : missing;
      if (reported.length > 0) errors.push({ source, message: `no series for ${reported.join(', ')}` });
    }
    return { metrics, errors };
  };

  return {
    async scrape(brokers, now): Promise<MetricsScrape> {
      const targets = targetsFor(brokers);
      const limit = deadline(timeoutMs, closer.signal);
      try {
        const results = await mapBounded(targets, concurrency, (t) => scrapeOne(t, limit.signal, now));
        const byBroker = new Map<number, BrokerMetrics>();
        const errors: SnapshotError[] = [];
        const controllerCounts: [number, number | null | undefined][] = [];
        results.forEach((result, i) => {
          const target = targets[i]!;
          errors.push(...result.errors);
          if (!result.metrics) return;
          controllerCounts.push([target.id, result.metrics.activeControllerCount]);
          if (target.isBroker) byBroker.set(target.id, result.metrics);
        });
        return { byBroker, controllerId: pickController(controllerCounts), errors, requests: targets.length };
      } catch (error) {
        // Nothing above should throw; if it does, the refresh still goes on without metrics.
        const message = `internal error: ${String((error as Error)?.message ?? error)}`;
        return {
          byBroker: new Map(),
          controllerId: null,
          errors: [{ source: 'metrics', message }],
          requests: targets.length,
        };
      } finally {
        limit.dispose();
      }
    },
    close() {
      closer.abort();
      closer = new AbortController();
      idle.clear();
    },
  };
}
