/**
 * One kafkajs broker connection per node id, kept in line with the latest metadata, plus the seed
 * brokers from the command line for when no known broker answers. Unlike kafkajs's BrokerPool, nothing
 * here retries or refreshes metadata behind the collector's back: a failure is reported, not hidden.
 */

import type { InternalBroker, InternalCluster } from './kafkajs-internals.js';
import { errorMessage } from './text.js';

export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface Connections {
  /** The connection to a node from the latest metadata, if it is in there. */
  get(nodeId: number): InternalBroker | undefined;
  /** Node ids from the latest metadata. */
  nodeIds(): number[];
  /** Adds, replaces (host or port changed) and drops connections to match this broker list. */
  sync(brokers: BrokerAddress[]): Promise<void>;
  /**
   * Runs `send` against known brokers (connected ones first, `avoid`ed ones last), then each seed broker
   * once, until one succeeds. Throws an error naming every failure when none does.
   */
  anyBroker<T>(
    send: (broker: InternalBroker) => Promise<T>,
    avoid?: (broker: InternalBroker) => boolean,
  ): Promise<{ result: T; nodeId: number | null }>;
  close(): Promise<void>;
}

export function createConnections(cluster: InternalCluster, seedCount: number): Connections {
  const byId = new Map<number, InternalBroker>();
  let seed: InternalBroker | null = null;

  const dropSeed = async () => {
    const old = seed;
    seed = null;
    await old?.disconnect().catch(() => {});
  };

  return {
    get: (nodeId) => byId.get(nodeId),
    nodeIds: () => [...byId.keys()],

    async sync(brokers) {
      const fresh = new Set(brokers.map((b) => b.nodeId));
      const stale: InternalBroker[] = [];
      for (const [nodeId, broker] of byId) {
        if (!fresh.has(nodeId)) {
          stale.push(broker);
          byId.delete(nodeId);
        }
      }
      for (const { nodeId, host, port, rack } of brokers) {
        const existing = byId.get(nodeId);
        const pool = existing?.connectionPool;
        if (existing && pool?.host === host && pool.port === port) continue;
        if (existing) stale.push(existing);
        const connectionPool = await cluster.connectionPoolBuilder.build({ host, port, rack });
        byId.set(
          nodeId,
          cluster.brokerPool.createBroker({ connectionPool, logger: cluster.rootLogger, nodeId }),
        );
      }
      await Promise.all(stale.map((b) => b.disconnect().catch(() => {})));
      // Once the cluster's own addresses are known the seed connection is only a duplicate.
      if (byId.size > 0) await dropSeed();
    },

    async anyBroker(send, avoid = () => false) {
      const failures: string[] = [];
      const rank = (b: InternalBroker) => (avoid(b) ? 2 : b.isConnected() ? 0 : 1);
      const known = [...byId.entries()].sort(([, a], [, b]) => rank(a) - rank(b));
      for (const [nodeId, broker] of known) {
        try {
          return { result: await send(broker), nodeId };
        } catch (error) {
          failures.push(`broker ${nodeId}: ${errorMessage(error)}`);
        }
      }
      // The connection pool builder hands out the seed addresses round-robin.
      for (let attempt = 0; attempt < seedCount; attempt++) {
        if (!seed) {
          const connectionPool = await cluster.connectionPoolBuilder.build();
          seed = cluster.brokerPool.createBroker({ connectionPool, logger: cluster.rootLogger });
        }
        const current = seed;
        try {
          return { result: await send(current), nodeId: null };
        } catch (error) {
          failures.push(
            `${current.connectionPool.host}:${current.connectionPool.port}: ${errorMessage(error)}`,
          );
          await dropSeed();
        }
      }
      throw new Error(`no broker reachable (${failures.join('; ')})`);
    },

    async close() {
      const all = [...byId.values()];
      byId.clear();
      await Promise.all([...all.map((b) => b.disconnect().catch(() => {})), dropSeed()]);
    },
  };
}

const addressOf = (broker: InternalBroker) => `${broker.connectionPool.host}:${broker.connectionPool.port}`;

/**
 * One refresh's view of the connections: a broker that let a request time out earlier in the refresh
 * (`unresponsive` holds its HOST:PORT) fails every later request at once, and is asked last by `anyBroker`.
 * A paused or hung broker then costs a refresh one request timeout, not one per stage, so the stages
 * after it still run for the healthy brokers before the refresh's own timeout. The next refresh asks again.
 */
export function skippingUnresponsive(
  connections: Connections,
  unresponsive: ReadonlySet<string>,
  requestTimeoutMs: number,
): Connections {
  const skipped = (broker: InternalBroker, nodeId: number) =>
    new Proxy(broker, {
      get(target, property, receiver) {
        if (property !== 'connect') return Reflect.get(target, property, receiver);
        return async () => {
          throw new Error(
            `not asked: broker ${nodeId} let a request time out (${requestTimeoutMs} ms) earlier in this refresh`,
          );
        };
      },
    });
  return {
    get(nodeId) {
      const broker = connections.get(nodeId);
      return broker && unresponsive.has(addressOf(broker)) ? skipped(broker, nodeId) : broker;
    },
    nodeIds: () => connections.nodeIds(),
    sync: (brokers) => connections.sync(brokers),
    anyBroker: (send) => connections.anyBroker(send, (broker) => unresponsive.has(addressOf(broker))),
    close: () => connections.close(),
  };
}
