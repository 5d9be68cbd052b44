import { describe, expect, it } from 'vitest';
import { formatOnce } from '../../../source/run/once-format.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const snapshot: ClusterSnapshot = {
  schemaVersion: 2,
  takenAt: '2026-11-26T10:00:00.000Z',
  clusterId: 'abc',
  controllerId: null,
  brokers: [
    {
      id: 1,
      host: '127.0.0.1',
      port: 9092,
      rack: null,
      error: null,
      metrics: {
        requestHandlerIdle: 0.934,
        networkProcessorIdle: null,
        underReplicatedPartitions: 0,
        underMinIsrPartitions: 0,
        offlinePartitions: 0,
        isrShrinks: 1,
        isrExpands: 1,
      },
    },
    { id: 2, host: '127.0.0.1', port: 9093, rack: 'r2', error: 'connection refused', metrics: null },
  ],
  topics: [],
  groups: [
    {
      groupId: 'billing\u001b]0;pwned\u0007\u001b[2J',
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'range',
      members: [{ memberId: 'm-1', clientId: 'client\r\nX', host: '/10.0.0.1', assignment: [] }],
      totalLag: 20,
      partitions: [
        {
          topic: 'orders',
          partition: 0,
          committedOffset: 1180,
          logEndOffset: 1200,
          lag: 20,
          memberId: 'm-1',
        },
        { topic: 'orders', partition: 1, committedOffset: null, logEndOffset: 7, lag: null, memberId: null },
      ],
    },
  ],
  errors: [{ source: 'metrics:2', message: 'timed out after 3000 ms' }],
};

describe('formatOnce', () => {
  const text = formatOnce(snapshot);

  it('prints brokers with metrics as percentages and errors', () => {
    expect(text).toMatch(/^ +1 +127\.0\.0\.1 +9092 +- +93\.4% +- +0 +0 +0$/m);
    expect(text).toMatch(/^ +2 +127\.0\.0\.1 +9093 +r2 .*connection refused$/m);
  });

  it('prints group partitions like kafka-consumer-groups.sh, with "no commit" distinct from lag 0', () => {
    expect(text).toMatch(/^orders +0 +1180 +1200 +20 +m-1 +\/10\.0\.0\.1 +client {2}X$/m);
    expect(text).toMatch(/^orders +1 +no commit +7 +- +- +- +-$/m);
  });

  it('sends no control characters to the terminal', () => {
    expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text).toContain('GROUP billing');
  });

  it('lists what failed', () => {
    expect(text).toMatch(/^metrics:2 +timed out after 3000 ms$/m);
  });
});
