import { describe, expect, it } from 'vitest';
import { createJmxExporterSource } from '../../../source/metrics/jmx-exporter.js';
import { parseExposition } from '../../../source/metrics/parse.js';
import { fixture, fixtureFetch } from './helpers.js';

// Pages scraped from the test cluster (JMX exporter agent 1.0.1, test/cluster/jmx-exporter.yml) a few
// seconds after it started: Kafka 4.1.1 broker and dedicated KRaft controller, Kafka 3.9.1 broker.
const brokerPage = fixture('kafka-4.1.1-broker.prom');
const controllerPage = fixture('kafka-4.1.1-controller.prom');
const broker39Page = fixture('kafka-3.9.1-broker.prom');

describe('real JMX exporter pages', () => {
  it('parse without a single skipped line', () => {
    for (const page of [brokerPage, controllerPage, broker39Page]) {
      const parsed = parseExposition(page);
      expect(parsed.skipped).toBe(0);
      expect(parsed.truncated).toBe(false);
      expect(parsed.samples.length).toBeGreaterThan(200);
    }
  });

  it('give every broker value with the default names, and name the controller', async () => {
    let count = 4.574255543e9;
    const fetch = fixtureFetch(
      new Map<string, string | (() => string)>([
        ['http://b/metrics', () => brokerPage.replace('4.574255543E9', String(count))],
        ['http://c/metrics', controllerPage],
      ]),
    );
    const source = createJmxExporterSource({
      urls: new Map([
        [1, 'http://b/metrics'],
        [0, 'http://c/metrics'],
      ]),
      fetch,
      clock: () => 0,
    });
    const first = await source.scrape([{ id: 1, host: '127.0.0.1' }], 0);
    // Fresh broker: OneMinuteRate still 0.0 (not ticked) and the MeanRate (0.93) is ignored.
    expect(first.byBroker.get(1)).toEqual({
      requestHandlerIdle: null,
      networkProcessorIdle: 0.1104979354632933,
      underReplicatedPartitions: 0,
      underMinIsrPartitions: 0,
      offlinePartitions: null,
      isrShrinks: 0,
      isrExpands: 0,
      activeControllerCount: null,
    });
    expect(first.errors).toEqual([]);
    expect(first.controllerId).toBe(0);
    // The page says its walk took 1.6 s: the next request waits 4 × that (endpoint-pacer.ts).
    expect((await source.scrape([{ id: 1, host: '127.0.0.1' }], 2000)).requests).toBe(0);
    count += 0.98 * 7e9;
    const second = await source.scrape([{ id: 1, host: '127.0.0.1' }], 7000);
    expect(second.byBroker.get(1)?.requestHandlerIdle).toBeCloseTo(0.98, 9);
  });

  it('read the same names from a Kafka 3.9 broker, which has no controller metrics under KRaft', async () => {
    const fetch = fixtureFetch(new Map([['http://b/metrics', broker39Page]]));
    const source = createJmxExporterSource({
      urls: new Map([[1, 'http://b/metrics']]),
      fetch,
      clock: () => 0,
    });
    const scrape = await source.scrape([{ id: 1, host: '127.0.0.1' }], 0);
    expect(scrape.byBroker.get(1)).toEqual({
      requestHandlerIdle: null,
      networkProcessorIdle: 0.03397624820294199,
      underReplicatedPartitions: 0,
      underMinIsrPartitions: 0,
      offlinePartitions: null,
      isrShrinks: 0,
      isrExpands: 0,
      activeControllerCount: null,
    });
    expect(scrape.errors).toEqual([]);
  });
});
