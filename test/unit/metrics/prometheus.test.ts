import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_NAMES } from '../../../source/metrics/names.js';
import { buildQueries, createPrometheusSource, seriesNodeId } from '../../../source/metrics/prometheus.js';
import { type FakeServer, freePort, startServer } from './helpers.js';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

type Vector = { metric: Record<string, string>; value: [number, string] }[];

/** A fake Prometheus answering /api/v1/query by which metric name the PromQL mentions. */
async function fakePrometheus(
  answer: (query: string) => Vector | null,
): Promise<FakeServer & { queries: string[] }> {
  const queries: string[] = [];
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/query') {
      res.writeHead(404);
      res.end();
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    const result = answer(query);
    res.setHeader('content-type', 'application/json');
    res.end(
      result === null
        ? JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' })
        : JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }),
    );
  });
  servers.push(server);
  return Object.assign(server, { queries });
}

const at = 1700000000;
const brokers = [
  { id: 1, host: 'kafka-1.example' },
  { id: 2, host: 'kafka-2.example' },
];

describe('buildQueries', () => {
  it('rates the idle count per second in nanoseconds and keeps only fraction-sized rates', () => {
    const q = buildQueries(DEFAULT_METRIC_NAMES, '2m', 'cluster="prod"');
    expect(
      q.requestHandlerIdle.startsWith(
        '(rate(kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total{cluster="prod"}[2m]) / 1e9) or ',
      ),
    ).toBe(true);
    expect(q.requestHandlerIdle).toContain(
      '((kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_total{cluster="prod"} < 1000 > 0))',
    );
    expect(q.requestHandlerIdle).toContain(
      'rate(kafka_server_KafkaRequestHandlerPool_Count{name="RequestHandlerAvgIdlePercent",cluster="prod"}[2m])',
    );
    expect(q.underReplicatedPartitions.split(' or ')[0]).toBe(
      'kafka_server_replicamanager_underreplicatedpartitions{cluster="prod"}',
    );
  });
});

describe('seriesNodeId', () => {
  it('prefers an id label, then a unique instance host', () => {
    expect(seriesNodeId({ broker_id: '3', instance: 'kafka-1.example:7071' }, brokers)).toBe(3);
    expect(seriesNodeId({ instance: 'kafka-2.example:7071' }, brokers)).toBe(2);
    expect(seriesNodeId({ instance: 'elsewhere:7071' }, brokers)).toBeNull();
    expect(seriesNodeId({ node: '2' }, brokers, 'node')).toBe(2);
    expect(seriesNodeId({ instance: 'kafka-2.example:7071' }, brokers, 'node')).toBeNull();
  });

  it('does not guess when brokers share a host', () => {
    const local = [
      { id: 1, host: '127.0.0.1' },
      { id: 2, host: '127.0.0.1' },
    ];
    expect(seriesNodeId({ instance: '127.0.0.1:7071' }, local)).toBeNull();
  });
});

describe('createPrometheusSource', () => {
  it('sends one query per value and maps series to brokers', async () => {
    const prom = await fakePrometheus((q) => {
      const series = (values: [Record<string, string>, number][]): Vector =>
        values.map(([metric, v]) => ({ metric, value: [at, String(v)] }));
      if (q.startsWith('(rate(')) {
        return series([
          [{ instance: 'kafka-1.example:7071' }, 0.91],
          [{ instance: 'kafka-2.example:7071' }, 0.42],
        ]);
      }
      if (q.startsWith('kafka_server_replicamanager_underreplicatedpartitions')) {
        return series([
          [{ __name__: 'x', instance: 'kafka-1.example:7071' }, 0],
          [{ __name__: 'x', instance: 'kafka-2.example:7071' }, 3],
        ]);
      }
      if (q.startsWith('kafka_controller_kafkacontroller_activecontrollercount')) {
        return series([
          [{ broker_id: '100' }, 1],
          [{ instance: 'kafka-1.example:7071' }, 0],
        ]);
      }
      return [];
    });
    const source = createPrometheusSource({ url: `${prom.url}/` });
    const scrape = await source.scrape(brokers, 0);
    expect(prom.queries).toHaveLength(8);
    expect(scrape.requests).toBe(8);
    expect(scrape.byBroker.get(1)).toMatchObject({ requestHandlerIdle: 0.91, underReplicatedPartitions: 0 });
    expect(scrape.byBroker.get(2)).toMatchObject({ requestHandlerIdle: 0.42, underReplicatedPartitions: 3 });
    expect(scrape.controllerId).toBe(100);
    expect(scrape.byBroker.has(100)).toBe(false);
    expect(scrape.errors).toContainEqual({
      source: 'metrics:2',
      message: 'no series for networkProcessorIdle, underMinIsrPartitions, isrShrinks, isrExpands',
    });
  });

  it('names brokers it found no series for', async () => {
    const prom = await fakePrometheus(() => []);
    const scrape = await createPrometheusSource({ url: prom.url, brokerLabel: 'node' }).scrape(brokers, 0);
    expect(scrape.errors).toEqual([
      { source: 'metrics:1', message: 'no series in Prometheus for this broker (by label node)' },
      { source: 'metrics:2', message: 'no series in Prometheus for this broker (by label node)' },
    ]);
  });

  it('reports an unreachable server once, not per query or broker', async () => {
    const port = await freePort();
    const scrape = await createPrometheusSource({ url: `http://u:pw@127.0.0.1:${port}` }).scrape(brokers, 0);
    expect(scrape.errors).toHaveLength(1);
    expect(scrape.errors[0]?.source).toBe('prometheus');
    expect(scrape.errors[0]?.message).toMatch(
      new RegExp(`^requestHandlerIdle: http://127\\.0\\.0\\.1:${port}/api/v1/query: connection refused$`),
    );
    expect(scrape.byBroker.size).toBe(0);
  });

  it('reports query errors and non-JSON answers', async () => {
    const prom = await fakePrometheus(() => null);
    const scrape = await createPrometheusSource({ url: prom.url }).scrape(brokers, 0);
    expect(scrape.errors[0]).toEqual({
      source: 'prometheus',
      message: 'requestHandlerIdle: query failed (bad_data)',
    });
    const html = await startServer((_req, res) => res.end('<html>'));
    servers.push(html);
    const scrape2 = await createPrometheusSource({ url: html.url }).scrape(brokers, 0);
    expect(scrape2.errors[0]).toEqual({
      source: 'prometheus',
      message: 'requestHandlerIdle: response is not JSON',
    });
  });
});
