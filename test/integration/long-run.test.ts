/**
 * Long runs against the real cluster: a collector refreshed hundreds of times, across a broker killed and
 * restarted and a broker paused and resumed, holds no more sockets, timers or heap at the end than it did
 * once warmed up. A leak of one socket or listener per reconnect shows here as growth per cycle.
 */

import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaCollector, type KafkaCollector } from '../../source/kafka/collector.js';
import type { ClusterSnapshot } from '../../source/snapshot.js';
import { testCluster } from '../cluster/test-cluster.js';
import { collectGarbage, countResources, type ResourceCounts } from '../support/resources.js';

const cluster = testCluster();
let collector: KafkaCollector;
const victim = cluster.brokers[1]!.id;

beforeAll(() => {
  collector = createKafkaCollector({
    brokers: cluster.bootstrap.split(','),
    clientId: 'kafkatop-long-run-test',
    // Short timeouts: a paused broker costs a refresh 1.5 s, not 10.
    requestTimeoutMs: 1500,
    refreshTimeoutMs: 3000,
  });
});

afterAll(async () => {
  await cluster.ensureBrokersRunning();
  await collector?.close();
});

/** Collects until `done` holds for a snapshot, returning how many refreshes it took. */
async function collectUntil(done: (s: ClusterSnapshot) => boolean, timeoutMs = 90_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let refreshes = 1; ; refreshes++) {
    const snapshot = await collector.collect();
    if (done(snapshot)) return refreshes;
    if (Date.now() > deadline) {
      throw new Error(`not reached in ${timeoutMs} ms; errors: ${JSON.stringify(snapshot.errors)}`);
    }
    await sleep(100);
  }
}

/**
 * No errors, and the victim is back in the metadata: a broker that has just restarted can be missing
 * from it for a while, and a broker kafkatop does not know of is not asked, so pausing it then fails
 * nothing.
 */
const clean = (s: ClusterSnapshot) =>
  s.errors.length === 0 && s.brokers.every((b) => b.error === null) && s.brokers.some((b) => b.id === victim);
const victimFailing = (s: ClusterSnapshot) =>
  s.brokers.some((b) => b.id === victim && b.error !== null) ||
  s.errors.some((e) => e.message.includes(`broker ${victim}`));

async function steadyRefreshes(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await collector.collect();
}

async function measure(): Promise<{ resources: ResourceCounts; heapMb: number }> {
  await collectGarbage();
  return { resources: countResources(), heapMb: getHeapStatistics().used_heap_size / 2 ** 20 };
}

describe(`long run (Kafka ${cluster.version})`, () => {
  it('holds no more sockets, timers or heap after broker restarts and pauses than when warmed up', async () => {
    await collectUntil(clean);
    await steadyRefreshes(30);
    const before = await measure();

    for (let cycle = 0; cycle < 2; cycle++) {
      await cluster.killBroker(victim);
      await collectUntil(victimFailing);
      await steadyRefreshes(10);
      await cluster.restartBroker(victim);
      await collectUntil(clean);

      cluster.pauseBroker(victim);
      try {
        await collectUntil(victimFailing);
        await steadyRefreshes(3);
      } finally {
        cluster.resumeBroker(victim);
      }
      await collectUntil(clean);
      await steadyRefreshes(30);
    }
    const after = await measure();
    console.log(
      `long run: resources before ${JSON.stringify(before.resources)}, after ${JSON.stringify(after.resources)}; ` +
        `heap ${before.heapMb.toFixed(1)} MB -> ${after.heapMb.toFixed(1)} MB`,
    );

    // One connection per broker at most, before and after: reconnects replace sockets, never add them.
    expect(after.resources.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.resources.TCPSocketWrap ?? 0);
    // Timers: kafkajs keeps none between requests; request timeouts are cleared when answered.
    expect(after.resources.Timeout ?? 0).toBeLessThanOrEqual((before.resources.Timeout ?? 0) + 2);
    // The heap may move with the JIT and the cluster's metadata, but not by a leak per refresh (~150 here).
    expect(after.heapMb - before.heapMb).toBeLessThan(15);
  });

  it('leaves no kafkajs timer spinning between refreshes (kafkajs#1556)', async () => {
    // kafkajs 2.2.4 re-arms a 1 ms check on every connection forever; kafkatop replaces that scheduler
    // (source/kafka/kafkajs-timer-fix.ts). Counted where the loop goes through: the queue's check.
    const queue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as {
      prototype: { checkPendingRequests(...args: unknown[]): void };
    };
    const original = queue.prototype.checkPendingRequests;
    let checks = 0;
    queue.prototype.checkPendingRequests = function (this: unknown, ...args: unknown[]) {
      checks++;
      return original.apply(this, args);
    };
    try {
      await collectUntil(clean);
      await sleep(200);
      checks = 0;
      await sleep(1000);
      expect(checks).toBe(0);
    } finally {
      queue.prototype.checkPendingRequests = original;
    }
  });
});
