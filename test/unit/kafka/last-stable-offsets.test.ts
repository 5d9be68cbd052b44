/**
 * The last stable offset round: the same partitions per leader as the log-end round, asked with
 * isolation_level READ_COMMITTED, its answers kept apart from the log ends.
 */
import { describe, expect, it } from 'vitest';
import { emptyCollected } from '../../../source/kafka/collected.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import { collectLogOffsets } from '../../../source/kafka/offsets.js';
import { fakeBroker, hex } from './kafka4-support.js';

// ListOffsets v3 answer: orders-0 at 0 (a transaction held open from the start), orders-1 at 42.
const answer = Buffer.from(
  hex(`
    00000000            # throttle_time_ms
    00000001 0006 6f7264657273  # topics [orders]
    00000002
      00000000 0000 ffffffffffffffff 0000000000000000
      00000001 0000 ffffffffffffffff 000000000000002a
  `),
  'hex',
);

function context() {
  const { broker, sent } = fakeBroker({ 2: 3 }, answer);
  const connections = { get: (id: number) => (id === 1 ? broker : undefined) } as unknown as Connections;
  const collected = emptyCollected();
  collected.metadata = {
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9091, rack: null }],
    topicMetadata: [
      {
        topicErrorCode: 0,
        topic: 'orders',
        partitionMetadata: [0, 1].map((partitionId) => ({
          partitionErrorCode: 0,
          partitionId,
          leader: 1,
          replicas: [1],
          isr: [1],
        })),
      },
    ],
  };
  const ctx: StageContext = { connections, limit: (task) => task(), clean: (t) => t, collected };
  return { ctx, sent };
}

describe('last stable offsets', () => {
  it('asks each leader with READ_COMMITTED and keeps the answers apart from the log ends', async () => {
    const { ctx, sent } = context();
    await collectLogOffsets(ctx, 'stable');
    expect(sent.map((r) => [r.apiKey, r.apiVersion])).toEqual([[2, 3]]);
    // replica_id -1, then the isolation level.
    expect(sent[0]!.body.readInt32BE(0)).toBe(-1);
    expect(sent[0]!.body.readInt8(4)).toBe(1);
    expect(ctx.collected.lastStable.get('orders')).toEqual(
      new Map([
        [0, 0],
        [1, 42],
      ]),
    );
    expect(ctx.collected.logEnd.size).toBe(0);
  });

  it('leaves the log-end round READ_UNCOMMITTED (the high watermark)', async () => {
    const { ctx, sent } = context();
    await collectLogOffsets(ctx, 'latest');
    expect(sent[0]!.body.readInt8(4)).toBe(0);
    expect(ctx.collected.logEnd.get('orders')?.get(1)).toBe(42);
    expect(ctx.collected.lastStable.size).toBe(0);
  });
});
