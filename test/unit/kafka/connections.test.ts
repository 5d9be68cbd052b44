import { describe, expect, it } from 'vitest';
import { type Connections, skippingUnresponsive } from '../../../source/kafka/connections.js';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';

/** A broker that records whether it was asked. */
function fakeBroker(port: number, asked: number[]) {
  return {
    connectionPool: { host: '127.0.0.1', port },
    isConnected: () => true,
    connect: async () => {
      asked.push(port);
    },
  } as unknown as InternalBroker;
}

function fakeConnections(brokers: Map<number, InternalBroker>): Connections {
  return {
    get: (id) => brokers.get(id),
    nodeIds: () => [...brokers.keys()],
    sync: async () => {},
    async anyBroker(send, avoid = () => false) {
      const ordered = [...brokers].sort(([, a], [, b]) => Number(avoid(a)) - Number(avoid(b)));
      for (const [nodeId, broker] of ordered) {
        try {
          return { result: await send(broker), nodeId };
        } catch {}
      }
      throw new Error('no broker reachable');
    },
    close: async () => {},
  };
}

describe('a refresh skipping brokers that timed out', () => {
  const asked: number[] = [];
  const brokers = new Map([
    [1, fakeBroker(9091, asked)],
    [2, fakeBroker(9092, asked)],
  ]);
  const unresponsive = new Set<string>();
  const view = skippingUnresponsive(fakeConnections(brokers), unresponsive, 5000);

  it('fails a request to a broker that let one time out, at once and naming it; others are untouched', async () => {
    await view.get(2)!.connect();
    unresponsive.add('127.0.0.1:9092');
    await expect(view.get(2)!.connect()).rejects.toThrow(
      'not asked: broker 2 let a request time out (5000 ms) earlier in this refresh',
    );
    await view.get(1)!.connect();
    expect(asked).toEqual([9092, 9091]);
    // The rest of the broker is the real one (its address, its state).
    expect(view.get(2)!.connectionPool.port).toBe(9092);
    expect(view.get(3)).toBeUndefined();
  });

  it('asks an unresponsive broker last when any broker will do', async () => {
    const { nodeId } = await view.anyBroker(async (broker) => broker.connectionPool.port);
    expect(nodeId).toBe(1);
  });
});
