import type { BrokerMetrics, SnapshotError } from '../snapshot.js';
import { IDLE_FRACTION_LIMIT, settleIdle } from './extract.js';
import type { FetchLike } from './http.js';
import { fetchText, redactUrl } from './http.js';
import type { MetricNames } from './names.js';
import { parseSelector, resolveNames } from './names.js';
import { deadline, mapBounded } from './pool.js';
import type { BrokerRef, MetricsScrape, MetricsSource } from './types.js';
import { CONTROLLER_ONLY, DEFAULT_TIMEOUT_MS, emptyMetrics, pickController } from './types.js';

export interface PrometheusOptions {
  /** Base URL of the Prometheus server (or anything serving its HTTP API), e.g. `http://prom:9090`. */
  url: string;
  /**
   * Label whose integer value is the broker (node) id. When not given, the first of
   * DEFAULT_ID_LABELS holding an integer is used, else the host part of `instance` when it matches
   * exactly one broker's host.
   */
  brokerLabel?: string;
  /** Extra PromQL label matchers added to every selector, e.g. `cluster="prod"`. */
  matchers?: string;
  names?: Partial<MetricNames>;
  /** Range for `rate()`; at least twice the scrape interval. Default `1m`. */
  rateWindow?: string;
  timeoutMs?: number;
  /** Queries in flight at once. Default 4. */
  concurrency?: number;
  fetch?: FetchLike;
}

export const DEFAULT_ID_LABELS = ['broker_id', 'kafka_broker_id', 'node_id', 'brokerid', 'kafka_node_id'];

type ValueKey = keyof BrokerMetrics;

interface Series {
  labels: Record<string, string>;
  value: number;
}

/** A candidate as PromQL, with the configured extra matchers merged into its braces. */
export function selectorQuery(candidate: string, matchers?: string): string {
  const { name, labels } = parseSelector(candidate);
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (matchers?.trim()) parts.push(matchers.trim());
  return parts.length > 0 ? `${name}{${parts.join(',')}}` : name;
}

/**
 * One PromQL expression per value: candidates joined with `or`, so the first present wins per
 * series (set operators match on labels without the metric name).
 */
export function buildQueries(
  names: MetricNames,
  rateWindow = '1m',
  matchers?: string,
): Record<ValueKey, string> {
  const join = (candidates: string[]) => candidates.map((c) => selectorQuery(c, matchers)).join(' or ');
  const idle = [
    ...names.requestHandlerIdleCount.map((c) => `rate(${selectorQuery(c, matchers)}[${rateWindow}]) / 1e9`),
    // A rate-named series holding a count (rule sets disagree) is filtered out by magnitude, and an
    // exact 0 is a Meter whose OneMinuteRate has not ticked yet.
    ...names.requestHandlerIdleRate.map(
      (c) => `(${selectorQuery(c, matchers)} < ${IDLE_FRACTION_LIMIT} > 0)`,
    ),
  ];
  return {
    requestHandlerIdle: idle.map((q) => `(${q})`).join(' or '),
    networkProcessorIdle: join(names.networkProcessorIdle),
    underReplicatedPartitions: join(names.underReplicatedPartitions),
    underMinIsrPartitions: join(names.underMinIsrPartitions),
    offlinePartitions: join(names.offlinePartitions),
    isrShrinks: join(names.isrShrinks),
    isrExpands: join(names.isrExpands),
    activeControllerCount: join(names.activeControllerCount),
  };
}

/** Maps one series to a node id, or null when its labels do not say which node it came from. */
export function seriesNodeId(
  labels: Record<string, string>,
  brokers: readonly BrokerRef[],
  brokerLabel?: string,
): number | null {
  const idLabels = brokerLabel ? [brokerLabel] : DEFAULT_ID_LABELS;
  for (const label of idLabels) {
    const value = labels[label];
    if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim());
  }
  if (brokerLabel) return null;
  const instance = labels.instance;
  if (!instance) return null;
  const host = instance
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  const matches = brokers.filter((b) => b.host.toLowerCase() === host);
  return matches.length === 1 ? matches[0]!.id : null;
}

function parseVector(body: string): Series[] | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'response is not JSON';
  }
  const root = json as {
    status?: unknown;
    errorType?: unknown;
    data?: { resultType?: unknown; result?: unknown };
  };
  if (root?.status !== 'success') {
    return typeof root?.errorType === 'string'
      ? `query failed (${root.errorType.slice(0, 40)})`
      : 'query failed';
  }
  if (root.data?.resultType !== 'vector' || !Array.isArray(root.data.result)) return 'unexpected result type';
  const out: Series[] = [];
  for (const item of root.data.result as { metric?: unknown; value?: unknown }[]) {
    const labels = item?.metric;
    const value = Array.isArray(item?.value) ? Number(item.value[1]) : Number.NaN;
    if (labels && typeof labels === 'object' && Number.isFinite(value)) {
      out.push({ labels: labels as Record<string, string>, value });
    }
  }
  return out;
}

const MEAN_KEYS = new Set<ValueKey>(['requestHandlerIdle', 'networkProcessorIdle']);

export function createPrometheusSource(opts: PrometheusOptions): MetricsSource {
  const queries = buildQueries(resolveNames(opts.names), opts.rateWindow, opts.matchers);
  const keys = Object.keys(queries) as ValueKey[];
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  let closer = new AbortController();

  return {
    async scrape(brokersOrPending, _now): Promise<MetricsScrape> {
      // Series are mapped to brokers by host or id label, so the queries wait for the broker list.
      const brokers = await Promise.resolve(brokersOrPending).then(
        (list) => list,
        () => [] as readonly BrokerRef[],
      );
      const limit = deadline(timeoutMs, closer.signal);
      const errors: SnapshotError[] = [];
      try {
        const results = await mapBounded(keys, opts.concurrency ?? 4, async (key) => {
          const url = `${base}/api/v1/query?query=${encodeURIComponent(queries[key])}`;
          const fetched = await fetchText(url, {
            signal: limit.signal,
            fetch: fetchImpl,
            accept: 'application/json',
          });
          if (!fetched.ok) return `${redactUrl(url)}: ${fetched.message}`;
          return parseVector(fetched.body);
        });
        // Per node, per value: the values of the series mapped to it.
        const perNode = new Map<number, Map<ValueKey, number[]>>();
        const failed = new Set<string>();
        let failedQueries = 0;
        results.forEach((result, i) => {
          const key = keys[i]!;
          if (typeof result === 'string') {
            // The same failure for every query (server down) is one error, not eight.
            if (!failed.has(result)) errors.push({ source: 'prometheus', message: `${key}: ${result}` });
            failed.add(result);
            failedQueries++;
            return;
          }
          for (const series of result) {
            const id = seriesNodeId(series.labels, brokers, opts.brokerLabel);
            if (id === null) continue;
            const values = perNode.get(id) ?? new Map<ValueKey, number[]>();
            perNode.set(id, values);
            const list = values.get(key) ?? [];
            list.push(series.value);
            values.set(key, list);
          }
        });
        const byBroker = new Map<number, BrokerMetrics>();
        const controllerCounts: [number, number | null | undefined][] = [];
        for (const [id, values] of perNode) {
          const metrics = emptyMetrics();
          for (const [key, list] of values) {
            const sum = list.reduce((a, b) => a + b, 0);
            metrics[key] = MEAN_KEYS.has(key) ? sum / list.length : sum;
          }
          metrics.requestHandlerIdle = settleIdle(
            metrics.requestHandlerIdle,
            metrics.activeControllerCount !== null,
          );
          controllerCounts.push([id, metrics.activeControllerCount]);
          if (brokers.some((b) => b.id === id)) byBroker.set(id, metrics);
        }
        // With every query failed, per-broker "no series" would only repeat the server error.
        if (failedQueries < keys.length) {
          for (const broker of brokers) {
            const metrics = byBroker.get(broker.id);
            const by = opts.brokerLabel ? `label ${opts.brokerLabel}` : `${DEFAULT_ID_LABELS[0]}/instance`;
            if (!metrics) {
              errors.push({
                source: `metrics:${broker.id}`,
                message: `no series in Prometheus for this broker (by ${by})`,
              });
              continue;
            }
            const missing = keys.filter(
              (k, i) => metrics[k] === null && !CONTROLLER_ONLY.has(k) && typeof results[i] !== 'string',
            );
            if (missing.length > 0)
              errors.push({ source: `metrics:${broker.id}`, message: `no series for ${missing.join(', ')}` });
          }
        }
        return { byBroker, controllerId: pickController(controllerCounts), errors, requests: keys.length };
      } catch (error) {
        // Nothing above should throw; if it does, the refresh still goes on without metrics.
        errors.push({
          source: 'prometheus',
          message: `internal error: ${String((error as Error)?.message ?? error)}`,
        });
        return { byBroker: new Map(), controllerId: null, errors, requests: keys.length };
      } finally {
        limit.dispose();
      }
    },
    close() {
      closer.abort();
      closer = new AbortController();
    },
  };
}
