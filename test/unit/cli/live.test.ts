import { describe, expect, it } from 'vitest';
import { mergeMetrics } from '../../../source/cli/live.js';
import type { BrokerMetrics, ClusterSnapshot } from '../../../source/snapshot.js';

const metrics: BrokerMetrics = {
  requestHandlerIdle: 0.9,
  networkProcessorIdle: 0.95,
  underReplicatedPartitions: 0,
  underMinIsrPartitions: 0,
  offlinePartitions: 0,
  isrShrinks: 1,
  isrExpands: 1,
};

const base: ClusterSnapshot = {
  schemaVersion: 2,
  takenAt: 't',
  durationMs: 5,
  clusterId: 'c',
  controllerId: null,
  brokers: [1, 2, 3].map((id) => ({
    id,
    host: '127.0.0.1',
    port: 9090 + id,
    rack: null,
    error: null,
    metrics: null,
  })),
  topics: [],
  groups: [],
  errors: [{ source: 'group:g', message: 'x' }],
  stats: { kafkaRequests: 10, kafkaBytesIn: 100, metricsRequests: 0 },
};

describe('mergeMetrics', () => {
  it('puts metrics on their brokers, sets the controller, and keeps every error', () => {
    const merged = mergeMetrics(
      base,
      {
        byBroker: new Map([
          [1, metrics],
          [2, metrics],
        ]),
        controllerId: 0,
        errors: [{ source: 'metrics:3', message: 'timed out' }],
        requests: 3,
      },
      42,
    );
    expect(merged.brokers.map((b) => [b.id, b.metrics?.requestHandlerIdle ?? null, b.error])).toEqual([
      [1, 0.9, null],
      [2, 0.9, null],
      [3, null, 'timed out'],
    ]);
    expect(merged.controllerId).toBe(0);
    expect(merged.errors.map((e) => e.source)).toEqual(['group:g', 'metrics:3']);
    expect(merged.stats).toEqual({ kafkaRequests: 10, kafkaBytesIn: 100, metricsRequests: 3 });
    expect(merged.durationMs).toBe(42);
    expect(base.brokers[0]!.metrics).toBeNull();
  });
});
