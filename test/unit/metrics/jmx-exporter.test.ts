import { describe, expect, it } from 'vitest';
import { indexSamples } from '../../../source/metrics/extract.js';
import {
  createJmxExporterSource,
  estimateReadTime,
  fillTemplate,
} from '../../../source/metrics/jmx-exporter.js';
import { parseExposition } from '../../../source/metrics/parse.js';
import { fixture, fixtureFetch } from './helpers.js';

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Responses arrive instantly: each reading is taken at the scrape's `now`. */
const stoppedClock = () => 0;

const brokers = [
  { id: 1, host: 'b1' },
  { id: 2, host: 'b2' },
];

/** A Strimzi-style page whose idle count and ISR counters the test controls. */
function strimziPage(idleCount: number, shrinks = 7): string {
  return fixture('strimzi-exporter-1x.prom')
    .replace('4.32031007860E11', String(idleCount))
    .replace('isrshrinks_total 7.0', `isrshrinks_total ${shrinks}`);
}

describe('createJmxExporterSource', () => {
  it('reads every value from Strimzi rules on exporter 1.x and rates idle between scrapes', async () => {
    let count = 4e11;
    const fetch = fixtureFetch(new Map([['http://b1:7071/metrics', () => strimziPage(count)]]));
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    const first = await source.scrape([brokers[0]!], 10_000);
    // No OneMinuteRate in Strimzi's rules and the MeanRate is ignored, so the first idle is unknown.
    expect(first.byBroker.get(1)).toEqual({
      requestHandlerIdle: null,
      networkProcessorIdle: 0.9723,
      underReplicatedPartitions: 2,
      underMinIsrPartitions: 1,
      offlinePartitions: 0,
      isrShrinks: 7,
      isrExpands: 5,
      activeControllerCount: 1,
    });
    expect(first.errors).toEqual([]);
    expect(first.controllerId).toBe(1);
    expect(first.requests).toBe(1);

    count += 1.5e9; // 1.5 s idle in 2 s
    const second = await source.scrape([brokers[0]!], 12_000);
    expect(second.byBroker.get(1)?.requestHandlerIdle).toBeCloseTo(0.75, 9);
  });

  it('reads the jmx_exporter example rules on exporter 0.x', async () => {
    let count = 9e10;
    const fetch = fixtureFetch(
      new Map([
        [
          'http://b2:7071/metrics',
          () => fixture('jmx-example-exporter-0x.prom').replace('9.0E10', String(count)),
        ],
      ]),
    );
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    await source.scrape([brokers[1]!], 0);
    count += 2e9 * 0.4;
    const scrape = await source.scrape([brokers[1]!], 2000);
    expect(scrape.byBroker.get(2)).toMatchObject({
      requestHandlerIdle: expect.closeTo(0.4, 9),
      networkProcessorIdle: 0.81,
      underReplicatedPartitions: 0,
      underMinIsrPartitions: 0,
      isrShrinks: 3,
      isrExpands: 4,
      activeControllerCount: 0,
      offlinePartitions: null,
    });
    // Offline partitions live on the controller: their absence on a broker is not an error.
    expect(scrape.errors).toEqual([]);
    expect(scrape.controllerId).toBeNull();
  });

  it("uses Confluent's OneMinuteRate gauge on the first scrape and the rated count after", async () => {
    let count = 2.5e12;
    const fetch = fixtureFetch(
      new Map([
        ['http://b1:7071/metrics', () => fixture('confluent-rules.prom').replace('2.5E12', String(count))],
      ]),
    );
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    const first = await source.scrape([brokers[0]!], 0);
    expect(first.byBroker.get(1)).toMatchObject({ requestHandlerIdle: 0.87, isrShrinks: 11, isrExpands: 12 });
    count += 0.2e9;
    const second = await source.scrape([brokers[0]!], 1000);
    expect(second.byBroker.get(1)?.requestHandlerIdle).toBeCloseTo(0.2, 9);
  });

  it('reads the default naming of an exporter with no rules, matching on the name label', async () => {
    const fetch = fixtureFetch(new Map([['http://b1:7071/metrics', fixture('default-naming.prom')]]));
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    const scrape = await source.scrape([brokers[0]!], 0);
    expect(scrape.byBroker.get(1)).toEqual({
      requestHandlerIdle: 0.66, // OneMinuteRate, not the 0.99 MeanRate
      networkProcessorIdle: 0.75,
      underReplicatedPartitions: 4,
      underMinIsrPartitions: 1,
      offlinePartitions: 3,
      isrShrinks: 21,
      isrExpands: 20,
      activeControllerCount: 1,
    });
  });

  it('falls back to the OneMinuteRate after a counter reset (broker restart)', async () => {
    let count = 6e11;
    const fetch = fixtureFetch(
      new Map([
        ['http://b1:7071/metrics', () => fixture('default-naming.prom').replace('6.0E11', String(count))],
      ]),
    );
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    await source.scrape([brokers[0]!], 0);
    count = 3e9;
    const afterRestart = await source.scrape([brokers[0]!], 2000);
    expect(afterRestart.byBroker.get(1)?.requestHandlerIdle).toBe(0.66);
    count = 3e9 + 1.9e9;
    const next = await source.scrape([brokers[0]!], 4000);
    expect(next.byBroker.get(1)?.requestHandlerIdle).toBeCloseTo(0.95, 9);
  });

  it("rates against each response's arrival, not the scrape start, so endpoint latency does not skew idle", async () => {
    let monotonic = 0;
    let count = 1e12;
    const latencies = [200, 1000];
    const base = fixtureFetch(new Map([['http://b1:7071/metrics', () => strimziPage(count)]]));
    const slowFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      monotonic += latencies.shift() ?? 0;
      return base(input, init);
    }) as typeof fetch;
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch: slowFetch,
      clock: () => monotonic,
    });
    await source.scrape([brokers[0]!], 0); // read at ~0 + 100 ms
    monotonic = 23_000;
    count += 0.5 * 20.4e9; // half idle over the 20.4 s between the two reads
    const second = await source.scrape([brokers[0]!], 20_000); // read at ~20,000 + 500 ms
    expect(second.byBroker.get(1)?.requestHandlerIdle).toBeCloseTo(0.5, 9);
  });

  it.each([
    ['a broker-only node, within noise: fully idle', 'urp 0\n', 1.04, 1],
    ['a broker-only node, beyond noise: kept as read', 'urp 0\n', 1.3, 1.3],
    [
      'a node with the controller role (KRaft combined): kept',
      'kafka_controller_kafkacontroller_activecontrollercount 1\n',
      1.04,
      1.04,
    ],
    [
      'a KRaft combined node reading near 2 (KAFKA-19606): kept',
      'kafka_controller_kafkacontroller_activecontrollercount 0\n',
      1.95,
      1.95,
    ],
  ])('idle above 1 on %s', async (_label, extra, fraction, expected) => {
    let count = 1e12;
    const page = () =>
      `kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total ${count}\n${extra}`;
    const fetch = fixtureFetch(new Map([['http://b1:7071/metrics', page]]));
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    await source.scrape([brokers[0]!], 0);
    count += fraction * 2e9;
    const scrape = await source.scrape([brokers[0]!], 2000);
    expect(scrape.byBroker.get(1)?.requestHandlerIdle).toBeCloseTo(expected, 9);
  });

  it('honours name overrides', async () => {
    const body = 'my_urp{cluster="x"} 5\nmy_urp{cluster="y"} 6\n';
    const fetch = fixtureFetch(new Map([['http://b1:7071/metrics', body]]));
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      names: { underReplicatedPartitions: ['missing_first', 'my_urp{cluster="y"}'] },
      fetch,
    });
    const scrape = await source.scrape([brokers[0]!], 0);
    expect(scrape.byBroker.get(1)?.underReplicatedPartitions).toBe(6);
    expect(scrape.errors).toEqual([
      {
        source: 'metrics:1',
        message:
          'no series for requestHandlerIdle, networkProcessorIdle, underMinIsrPartitions, isrShrinks, isrExpands',
      },
    ]);
  });

  it('reports garbage and truncated bodies per broker and keeps the others', async () => {
    const fetch = fixtureFetch(
      new Map([
        ['http://b1:7071/metrics', fixture('garbage.txt')],
        ['http://b2:7071/metrics', fixture('truncated.prom')],
      ]),
    );
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    const scrape = await source.scrape(brokers, 0);
    expect(scrape.byBroker.has(1)).toBe(false);
    expect(scrape.byBroker.get(2)?.underReplicatedPartitions).toBe(0);
    expect(scrape.byBroker.get(2)?.isrShrinks).toBeNull();
    expect(scrape.errors[0]).toEqual({
      source: 'metrics:1',
      message: 'http://b1:7071/metrics: not Prometheus text (5 unparseable lines)',
    });
    expect(scrape.errors.filter((e) => e.source === 'metrics:2').map((e) => e.message)).toEqual([
      'response ended mid-line; its last line was ignored',
      expect.stringMatching(/^no series for /),
    ]);
    expect(scrape.requests).toBe(2);
  });

  it('scrapes extra ids of an explicit list only for the controller role', async () => {
    const controllerPage = 'kafka_controller_kafkacontroller_activecontrollercount 1\n';
    const brokerPage = fixture('jmx-example-exporter-0x.prom');
    const fetch = fixtureFetch(
      new Map([
        ['http://c:7071/metrics', controllerPage],
        ['http://b1:7071/metrics', brokerPage],
      ]),
    );
    const source = createJmxExporterSource({
      urls: new Map([
        [1, 'http://b1:7071/metrics'],
        [100, 'http://c:7071/metrics'],
      ]),
      fetch,
    });
    const scrape = await source.scrape(brokers, 0);
    expect(scrape.controllerId).toBe(100);
    expect([...scrape.byBroker.keys()]).toEqual([1]);
    // Broker 2 has no URL in the list: no request, no error.
    expect(fetch.calls.sort()).toEqual(['http://b1:7071/metrics', 'http://c:7071/metrics']);
    expect(scrape.errors).toEqual([]);
  });

  it('fetches an explicit list while the broker list is pending, and sorts brokers from controllers after', async () => {
    const fetch = fixtureFetch(
      new Map([
        ['http://c:7071/metrics', 'kafka_controller_kafkacontroller_activecontrollercount 1\n'],
        ['http://b1:7071/metrics', fixture('jmx-example-exporter-0x.prom')],
      ]),
    );
    const source = createJmxExporterSource({
      urls: new Map([
        [1, 'http://b1:7071/metrics'],
        [100, 'http://c:7071/metrics'],
      ]),
      fetch,
    });
    let brokersKnown!: (list: typeof brokers) => void;
    const pending = new Promise<typeof brokers>((resolve) => {
      brokersKnown = resolve;
    });
    let settled = false;
    const scraping = source.scrape(pending, 0).finally(() => {
      settled = true;
    });
    await flush();
    expect(fetch.calls.sort()).toEqual(['http://b1:7071/metrics', 'http://c:7071/metrics']);
    expect(settled).toBe(false);
    brokersKnown(brokers);
    const scrape = await scraping;
    expect(scrape.controllerId).toBe(100);
    expect([...scrape.byBroker.keys()]).toEqual([1]);
    expect(scrape.errors).toEqual([]);
  });

  it('with a template, waits for the broker list before fetching', async () => {
    const page = fixture('jmx-example-exporter-0x.prom');
    const fetch = fixtureFetch(
      new Map([
        ['http://b1:7071/metrics', page],
        ['http://b2:7071/metrics', page],
      ]),
    );
    const source = createJmxExporterSource({ template: 'http://{host}:7071/metrics', fetch });
    let brokersKnown!: (list: typeof brokers) => void;
    const scraping = source.scrape(
      new Promise<typeof brokers>((resolve) => {
        brokersKnown = resolve;
      }),
      0,
    );
    await flush();
    expect(fetch.calls).toEqual([]);
    brokersKnown(brokers);
    expect([...(await scraping).byBroker.keys()].sort()).toEqual([1, 2]);
  });

  it('knows no controller when two nodes claim it', async () => {
    const page = 'kafka_controller_kafkacontroller_activecontrollercount 1\n';
    const fetch = fixtureFetch(
      new Map([
        ['http://b1:7071/metrics', page],
        ['http://b2:7071/metrics', page],
      ]),
    );
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    expect((await source.scrape(brokers, 0)).controllerId).toBeNull();
  });

  it('never throws, even when the injected fetch does', async () => {
    const fetch = (() => {
      throw new Error('boom');
    }) as unknown as typeof globalThis.fetch;
    const source = createJmxExporterSource({
      template: 'http://{host}:7071/metrics',
      fetch,
      clock: stoppedClock,
    });
    const scrape = await source.scrape(brokers, 0);
    expect(scrape.errors.map((e) => e.message)).toEqual([
      'http://b1:7071/metrics: request failed',
      'http://b2:7071/metrics: request failed',
    ]);
  });

  it('needs exactly one of template and urls', () => {
    expect(() => createJmxExporterSource({})).toThrow();
    expect(() => createJmxExporterSource({ template: 'http://{host}/m', urls: new Map() })).toThrow();
  });
});

describe('fillTemplate', () => {
  it('fills host and id, bracketing IPv6 literals', () => {
    expect(fillTemplate('http://{host}:7071/m?id={id}', { id: 3, host: 'k3' })).toBe('http://k3:7071/m?id=3');
    expect(fillTemplate('http://{host}:7071/m', { id: 1, host: '::1' })).toBe('http://[::1]:7071/m');
  });
});

describe('estimateReadTime', () => {
  const index = (body: string) => indexSamples(parseExposition(body).samples);

  it("uses the middle of the exporter's own collection when it reports its duration", () => {
    // Request out at 0, headers at 1500; collection took 1 s, so it ran from ~500 to ~1500.
    expect(estimateReadTime(0, 1500, index('jmx_scrape_duration_seconds 1.0\n'))).toEqual({
      at: 1000,
      errorMs: 500,
    });
  });

  it('falls back to the middle of the request without a duration, or with an impossible one', () => {
    expect(estimateReadTime(100, 300, index('x 1\n'))).toEqual({ at: 200, errorMs: 100 });
    expect(estimateReadTime(100, 300, index('jmx_scrape_duration_seconds 5\n'))).toEqual({
      at: 200,
      errorMs: 100,
    });
  });
});
