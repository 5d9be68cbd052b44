import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKafkaCollector } from '../../../source/kafka/collector.js';

/** A TCP server that accepts connections and never answers: a hung broker. */
async function silentBroker(): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server, sockets };
}

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const { port, server } = await silentBroker();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('Kafka collector without a cluster', () => {
  it('returns a snapshot with a cluster error when no broker is reachable, never throwing', async () => {
    const collector = createKafkaCollector({
      brokers: [`127.0.0.1:${await closedPort()}`],
      sasl: { mechanism: 'plain', username: 'alice', password: 'hunter2-secret' },
    });
    cleanups.push(() => collector.close());
    const snapshot = await collector.collect();
    expect(snapshot).toMatchObject({
      schemaVersion: 2,
      clusterId: null,
      brokers: [],
      topics: [],
      groups: [],
    });
    expect(snapshot.errors).toHaveLength(1);
    expect(snapshot.errors[0]!.source).toBe('cluster');
    expect(snapshot.errors[0]!.message).toMatch(/no broker reachable/);
    expect(JSON.stringify(snapshot)).not.toContain('hunter2-secret');
    expect(JSON.stringify(collector.log.lines())).not.toContain('hunter2-secret');
  });

  it('gives up on a hung broker at the refresh timeout and keeps the kafkajs log off the console', async () => {
    const hung = await silentBroker();
    cleanups.push(async () => {
      for (const s of hung.sockets) s.destroy();
      await new Promise((resolve) => hung.server.close(resolve));
    });
    const collector = createKafkaCollector({
      brokers: [`127.0.0.1:${hung.port}`],
      refreshTimeoutMs: 400,
      requestTimeoutMs: 30_000,
    });
    cleanups.push(() => collector.close());
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((k) =>
      vi.spyOn(console, k).mockImplementation(() => {}),
    );
    const started = Date.now();
    const snapshot = await collector.collect();
    const took = Date.now() - started;
    await collector.close();
    for (const spy of consoleSpies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    // Without the refresh timeout this would wait for the 30 s request timeout.
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(10_000);
    expect(snapshot.errors).toEqual([
      { source: 'cluster', message: 'refresh timed out after 400 ms; partial data' },
    ]);
    expect(hung.sockets.length).toBeGreaterThan(0);
  });
});
