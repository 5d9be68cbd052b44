import type { BrokerMetrics, SnapshotError } from '../snapshot.js';
import { createEndpointPacer } from './endpoint-pacer.js';
import type { SampleIndex } from './extract.js';
import { compileNames, firstPresent, indexSamples, readRequestHandlerIdle, settleIdle } from './extract.js';
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
  /**
   * Monotonic milliseconds (default `performance.now`), used to place each broker's reading within
   * the scrape: under load an endpoint can take a second or more to answer, and rating the count
   * against the scrape's start time alone would skew the idle fraction by that jitter.
   */
  clock?: () => number;
  /** Request-handler idle is rated over at least this span once enough scrapes exist. Default 10 s. */
  idleWindowMs?: number;
}

interface ScrapeResult {
  metrics: BrokerMetrics | null;
  errors: SnapshotError[];
  idleWaiting: boolean;
  /** What the answer cost the exporter: its own `jmx_scrape_duration_seconds`, when served. */
  costMs?: number | null;
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

/** How long the exporter took to read the MBeans for this answer, when it says (`jmx_scrape_duration_seconds`). */
function walkMs(index: SampleIndex): number | null {
  const seconds = firstPresent(index, [{ name: 'jmx_scrape_duration_seconds', labels: {} }], 'sum');
  return seconds === null ? null : seconds * 1000;
}

/**
 * When the exporter read the MBeans, on the `clock` scale, and how far off that can be. It reads them
 * all after the request arrives and answers when done; on a loaded machine that collection alone takes
 * a second or more (`jmx_scrape_duration_seconds`; a cold exporter's first one on 2,000 partitions took
 * over 5 s), and the request may queue before it starts. The middle of the collection, when its duration
 * is exported, else the middle of the request, is the best guess; any one MBean was read within half of
 * that span of it.
 */
export function estimateReadTime(
  startedAt: number,
  headersAt: number,
  index: SampleIndex,
): { at: number; errorMs: number } {
  const collectMs = walkMs(index);
  if (collectMs !== null && collectMs >= 0 && collectMs <= headersAt - startedAt)
    return { at: headersAt - collectMs / 2, errorMs: collectMs / 2 };
  return { at: (startedAt + headersAt) / 2, errorMs: (headersAt - startedAt) / 2 };
}

export function createJmxExporterSource(opts: JmxExporterOptions): MetricsSource {
  if (!opts.template === !opts.urls) throw new Error('give either a URL template or an explicit id=URL list');
  const names = compileNames(resolveNames(opts.names));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const clock = opts.clock ?? (() => performance.now());
  const idle = new IdleRateTracker(opts.idleWindowMs);
  let closer = new AbortController();
  const pacer = createEndpointPacer<ScrapeResult>({ clock });

  const targetsFor = (brokers: readonly BrokerRef[]): Target[] => {
    if (opts.template)
      return brokers.map((b) => ({ id: b.id, url: fillTemplate(opts.template!, b), isBroker: true }));
    const known = new Set(brokers.map((b) => b.id));
    return [...opts.urls!].map(([id, url]) => ({ id, url, isBroker: known.has(id) }));
  };

  /** Fetches and reads one endpoint; whether it is a broker (so missing series matter) is settled later. */
  const scrapeOne = async (
    target: Target,
    signal: AbortSignal,
    now: number,
    scrapeStart: number,
  ): Promise<ScrapeResult> => {
    const source = `metrics:${target.id}`;
    const fetched = await fetchText(target.url, {
      signal,
      fetch: fetchImpl,
      maxBytes: opts.maxBodyBytes,
      clock,
    });
    if (!fetched.ok)
      return {
        metrics: null,
        errors: [{ source, message: `${redactUrl(target.url)}: ${fetched.message}` }],
        idleWaiting: false,
      };
    const exposition = parseExposition(fetched.body);
    if (exposition.samples.length === 0) {
      const message =
        exposition.skipped > 0
          ? `not Prometheus text (${exposition.skipped} unparseable lines)`
          : 'no samples in the response';
      return {
        metrics: null,
        errors: [{ source, message: `${redactUrl(target.url)}: ${message}` }],
        idleWaiting: false,
      };
    }
    const errors: SnapshotError[] = [];
    if (exposition.truncated)
      errors.push({ source, message: 'response ended mid-line; its last line was ignored' });
    const index = indexSamples(exposition.samples);
    const reading = readRequestHandlerIdle(index, names);
    const read = estimateReadTime(fetched.startedAt, fetched.headersAt, index);
    const rated = idle.observe(target.id, reading.count, now + (read.at - scrapeStart), read.errorMs);
    const activeControllerCount = firstPresent(index, names.activeControllerCount, 'sum');
    const metrics: BrokerMetrics = {
      ...emptyMetrics(),
      requestHandlerIdle: settleIdle(rated ?? reading.fraction, activeControllerCount !== null),
      networkProcessorIdle: firstPresent(index, names.networkProcessorIdle, 'mean'),
      underReplicatedPartitions: firstPresent(index, names.underReplicatedPartitions, 'sum'),
      underMinIsrPartitions: firstPresent(index, names.underMinIsrPartitions, 'sum'),
      offlinePartitions: firstPresent(index, names.offlinePartitions, 'sum'),
      isrShrinks: firstPresent(index, names.isrShrinks, 'sum'),
      isrExpands: firstPresent(index, names.isrExpands, 'sum'),
      activeControllerCount,
    };
    return {
      metrics,
      errors,
      // A count with no rate yet is the normal first scrape, not a missing metric.
      idleWaiting: reading.count !== null && metrics.requestHandlerIdle === null,
      costMs: walkMs(index),
    };
  };

  /**
   * One endpoint through the pacer (endpoint-pacer.ts): a request still running from an earlier refresh is
   * waited for rather than repeated, and a costly exporter is asked less often.
   */
  const scrapePaced = async (
    target: Target,
    signal: AbortSignal,
    now: number,
    scrapeStart: number,
    sent: { count: number },
  ): Promise<ScrapeResult> => {
    const paced = await pacer.run(target.url, now, signal, async (own) => {
      sent.count++;
      const result = await scrapeOne(target, own, now, scrapeStart);
      return result.metrics
        ? { value: result, costMs: result.costMs ?? null }
        : { value: result, failed: true };
    });
    if (paced.result) return paced.result;
    // The refresh's deadline ended the wait: it timed out, or the source was closed.
    const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
    const earlier =
      paced.waitingMs > timeoutMs + 1000
        ? `; the request sent ${Math.round(paced.waitingMs / 1000)} s ago is still awaited, and no second one is sent`
        : '';
    return {
      metrics: null,
      errors: [{ source: `metrics:${target.id}`, message: `${redactUrl(target.url)}: ${reason}${earlier}` }],
      idleWaiting: false,
    };
  };

  /** A broker's values that should be there and are not (controller-only values excepted). */
  const missingSeries = (metrics: BrokerMetrics, idleWaiting: boolean): string[] =>
    (Object.keys(metrics) as (keyof BrokerMetrics)[]).filter(
      (key) =>
        metrics[key] === null && !CONTROLLER_ONLY.has(key) && !(idleWaiting && key === 'requestHandlerIdle'),
    );

  return {
    async scrape(brokersOrPending, now): Promise<MetricsScrape> {
      // A template needs the hosts from metadata; an explicit list can be fetched before metadata arrives.
      const early = opts.template ? null : targetsFor([]);
      const brokersReady = Promise.resolve(brokersOrPending);
      const targets = early ?? targetsFor(await brokersReady.catch(() => []));
      const limit = deadline(timeoutMs, closer.signal);
      const scrapeStart = clock();
      const sent = { count: 0 };
      try {
        const results = await mapBounded(targets, concurrency, (t) =>
          scrapePaced(t, limit.signal, now, scrapeStart, sent),
        );
        if (early) {
          const known = new Set((await brokersReady.catch(() => [])).map((b) => b.id));
          for (const target of targets) target.isBroker = known.has(target.id);
        }
        const byBroker = new Map<number, BrokerMetrics>();
        const errors: SnapshotError[] = [];
        const controllerCounts: [number, number | null | undefined][] = [];
        results.forEach((result, i) => {
          const target = targets[i]!;
          errors.push(...result.errors);
          if (!result.metrics) return;
          controllerCounts.push([target.id, result.metrics.activeControllerCount]);
          if (!target.isBroker) return;
          byBroker.set(target.id, result.metrics);
          const missing = missingSeries(result.metrics, result.idleWaiting);
          if (missing.length > 0)
            errors.push({ source: `metrics:${target.id}`, message: `no series for ${missing.join(', ')}` });
        });
        return { byBroker, controllerId: pickController(controllerCounts), errors, requests: sent.count };
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
      pacer.close();
      idle.clear();
    },
  };
}
