/**
 * Broker metrics from the real test cluster's JMX exporter agents (rules modelled on Strimzi's):
 * one dedicated KRaft controller (node 0) and brokers 1..3.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { createJmxExporterSource } from '../../source/metrics/jmx-exporter.js';
import type { MetricsScrape } from '../../source/metrics/types.js';
import { testCluster } from '../cluster/test-cluster.js';

const info = inject('kafkaCluster');
const brokers = info.brokers.map((b) => ({ id: b.id, host: '127.0.0.1' }));
// The agent reads every MBean per request; on a shared 2-core machine with JIT-cold JVMs that took
// over 3 s (the product default), so these tests allow what Prometheus allows by default.
const timeoutMs = 10_000;

describe('metrics from the test cluster', () => {
  it('gives every broker a request-handler idle fraction after two scrapes, and finds the controller', async () => {
    const urls = new Map<number, string>([[info.controller.id, info.controller.metricsUrl]]);
    for (const b of info.brokers) urls.set(b.id, b.metricsUrl);
    const source = createJmxExporterSource({ urls, timeoutMs });
    const first = await source.scrape(brokers, Date.now());
    expect(first.errors).toEqual([]);
    expect(first.requests).toBe(info.brokers.length + 1);
    // One full rating window (10 s): the idle count is marked per 300 ms handler poll, and on a starved
    // machine polls return late, so shorter spans read up to ±13 % (see docs/metrics.md).
    await sleep(10_000);
    const second = await source.scrape(brokers, Date.now());
    expect(second.errors).toEqual([]);
    expect([...second.byBroker.keys()].sort()).toEqual(info.brokers.map((b) => b.id).sort());
    for (const b of info.brokers) {
      const m = second.byBroker.get(b.id)!;
      expect(m.requestHandlerIdle, `broker ${b.id} idle`).toBeGreaterThanOrEqual(0);
      expect(m.requestHandlerIdle, `broker ${b.id} idle`).toBeLessThanOrEqual(1);
      expect(m.networkProcessorIdle).toBeGreaterThanOrEqual(0);
      expect(m.networkProcessorIdle).toBeLessThanOrEqual(1);
      for (const key of [
        'underReplicatedPartitions',
        'underMinIsrPartitions',
        'isrShrinks',
        'isrExpands',
      ] as const) {
        expect(Number.isInteger(m[key]), `broker ${b.id} ${key}`).toBe(true);
      }
      // Under KRaft the broker is never the active controller.
      expect(m.activeControllerCount ?? 0).toBe(0);
    }
    // The dedicated controller is not a broker: it decides controllerId but has no broker entry.
    expect(second.controllerId).toBe(info.controller.id);
    expect(second.byBroker.has(info.controller.id)).toBe(false);
    source.close();
  });

  it('fills a URL template from broker ids', async () => {
    // Broker n serves metrics on portBase+10+n; with a round portBase that is "<prefix>{id}".
    const first = info.portBase + 10;
    expect(first % 10).toBe(0);
    const source = createJmxExporterSource({
      template: `http://{host}:${first / 10}{id}/metrics`,
      timeoutMs,
    });
    const scrape = await source.scrape(brokers, Date.now());
    expect(scrape.errors).toEqual([]);
    expect(scrape.byBroker.size).toBe(brokers.length);
    // Only brokers were scraped, so the KRaft controller cannot be known.
    expect(scrape.controllerId).toBeNull();
    source.close();
  });

  it('names a node whose endpoint is down and keeps the rest', async () => {
    const urls = new Map(info.brokers.map((b) => [b.id, b.metricsUrl] as [number, string]));
    urls.set(1, `http://127.0.0.1:${info.portBase + 9}/metrics`); // nothing listens there
    const source = createJmxExporterSource({ urls, timeoutMs });
    const scrape = await source.scrape(brokers, Date.now());
    expect(scrape.errors).toEqual([
      { source: 'metrics:1', message: `http://127.0.0.1:${info.portBase + 9}/metrics: connection refused` },
    ]);
    expect([...scrape.byBroker.keys()].sort()).toEqual([2, 3]);
    source.close();
  });

  it('names a hung broker by timeout, and a restarted one rates again from its new counter', async () => {
    const cluster = testCluster();
    const urls = new Map(info.brokers.map((b) => [b.id, b.metricsUrl] as [number, string]));
    const source = createJmxExporterSource({ urls, timeoutMs });
    // An endpoint is asked again only after 4 × its last walk (endpoint-pacer.ts); scrapes in between hand
    // back its last answer. So a fault shows at the first scrape that sends a request to it.
    const scrapeUntil = async (done: (s: MetricsScrape) => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const scrape = await source.scrape(brokers, Date.now());
        if (done(scrape)) return scrape;
        if (Date.now() > deadline)
          throw new Error(`${what}: not seen; last errors ${JSON.stringify(scrape.errors)}`);
        await sleep(500);
      }
    };
    try {
      await source.scrape(brokers, Date.now());

      cluster.pauseBroker(2);
      try {
        const hung = await scrapeUntil((s) => s.errors.length > 0, 'the paused broker');
        expect(hung.errors).toEqual([
          { source: 'metrics:2', message: `${urls.get(2)}: timed out after ${timeoutMs} ms` },
        ]);
        expect([...hung.byBroker.keys()].sort()).toEqual([1, 3]);
      } finally {
        cluster.resumeBroker(2);
      }

      await cluster.killBroker(2);
      const down = await scrapeUntil((s) => s.errors.length > 0, 'the killed broker');
      // Refused on a new connection; reset or closed when a pooled keep-alive connection (or the request
      // still in flight from the pause) was on the killed JVM.
      expect(down.errors).toEqual([
        {
          source: 'metrics:2',
          message: expect.stringMatching(
            /^http:\/\/127\.0\.0\.1:\d+\/metrics: connection (refused|reset|closed)$/,
          ),
        },
      ]);
      expect([...down.byBroker.keys()].sort()).toEqual([1, 3]);

      await cluster.restartBroker(2);
      // A JVM just started can serve its exporter before the request-handler pool is registered: that scrape
      // names the missing series ("no series for requestHandlerIdle"), and the next ones recover by themselves.
      const back = await scrapeUntil(
        (s) => s.byBroker.has(2) && s.errors.length === 0,
        'the restarted broker, scraped without errors',
      );
      // The count restarted from zero: no rate across the restart, only a OneMinuteRate if it has ticked.
      const first = back.byBroker.get(2)?.requestHandlerIdle;
      expect(first === null || (first! >= 0 && first! <= 1)).toBe(true);
      // Past the source's 10 s rating window, so the rate spans only the new JVM's counter.
      await sleep(12_000);
      const later = await source.scrape(brokers, Date.now());
      expect(later.byBroker.get(2)?.requestHandlerIdle).toBeGreaterThanOrEqual(0);
      expect(later.byBroker.get(2)?.requestHandlerIdle).toBeLessThanOrEqual(1);
    } finally {
      source.close();
      // Whatever failed above, the next test file gets 3 running brokers.
      await cluster.ensureBrokersRunning();
    }
  });
});
