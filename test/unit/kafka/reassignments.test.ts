import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyCollected } from '../../../source/kafka/collected.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';
import {
  collectReassignments,
  createReassignmentWatch,
  decodeListPartitionReassignmentsResponse,
  encodeListPartitionReassignmentsRequest,
} from '../../../source/kafka/reassignments.js';
import { expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

/** An answer captured from a real broker (test/fixtures/loghealth/README.md). */
function captured(name: string): Buffer {
  const text = readFileSync(new URL(`../../fixtures/loghealth/${name}.hex`, import.meta.url), 'utf8');
  return Buffer.from(text.trim(), 'hex');
}

describe('encodeListPartitionReassignmentsRequest', () => {
  it('asks for every reassignment (ListPartitionReassignmentsRequest.json v0)', () => {
    expect(encodeListPartitionReassignmentsRequest(30_000).toString('hex')).toBe(
      hex(`
        00         # request header v2: no tagged fields
        00007530   # timeout_ms 30000
        00         # topics: null (every reassignment)
        00         # tagged fields
      `),
    );
  });
});

describe('decodeListPartitionReassignmentsResponse on answers captured from Kafka 4.4.0', () => {
  it('two partitions moving, as ReassignPartitionsCommand --list printed them', () => {
    // lh-move-0: replicas: 3,2,1. adding: 3. removing: 1.
    // lh-move-1: replicas: 2,1,3. adding: 1. removing: 3.
    const answer = decodeListPartitionReassignmentsResponse(captured('list-partition-reassignments-v0'));
    expect(answer).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      reassignments: [
        { topic: 'lh-move', partition: 0, replicas: [3, 2, 1], adding: [3], removing: [1] },
        { topic: 'lh-move', partition: 1, replicas: [2, 1, 3], adding: [1], removing: [3] },
      ],
    });
  });

  it('none', () => {
    const answer = decodeListPartitionReassignmentsResponse(captured('list-partition-reassignments-v0-none'));
    expect(answer.reassignments).toEqual([]);
    expect(answer.errorCode).toBe(0);
  });

  it('a cut answer never yields a value', () => {
    expectTruncationToFail(
      decodeListPartitionReassignmentsResponse,
      captured('list-partition-reassignments-v0'),
      'ListPartitionReassignments response',
    );
  });
});

describe('collectReassignments', () => {
  function context(answer: Buffer, isr: number[]) {
    const { broker, sent } = fakeBroker({ 46: 0 }, answer);
    const connections = {
      async anyBroker<T>(send: (b: InternalBroker) => Promise<T>) {
        return { result: await send(broker), nodeId: 1 };
      },
    } as unknown as Connections;
    const collected = emptyCollected();
    collected.metadata = {
      brokers: [],
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'lh-move',
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [3, 2, 1], isr }],
        },
      ],
    };
    const ctx: StageContext = { connections, limit: (task) => task(), clean: (t) => t, collected };
    return { ctx, sent };
  }

  it('asks while an ISR lacks a replica, and gives each moving partition its adding and removing replicas', async () => {
    const { ctx, sent } = context(captured('list-partition-reassignments-v0'), [1, 2]);
    await collectReassignments(ctx, createReassignmentWatch(), false);
    expect(sent).toHaveLength(1);
    expect(ctx.collected.reassignments.get('lh-move')?.get(1)).toEqual({ adding: [1], removing: [3] });
  });

  it('does not ask when every ISR is full and none was seen, but does on the full read', async () => {
    const quiet = context(captured('list-partition-reassignments-v0-none'), [3, 2, 1]);
    await collectReassignments(quiet.ctx, createReassignmentWatch(), false);
    expect(quiet.sent).toHaveLength(0);
    await collectReassignments(quiet.ctx, createReassignmentWatch(), true);
    expect(quiet.sent).toHaveLength(1);
  });

  it('keeps asking while one was seen, and carries it through a failed answer', async () => {
    const watch = createReassignmentWatch();
    await collectReassignments(
      context(captured('list-partition-reassignments-v0'), [1, 2]).ctx,
      watch,
      false,
    );
    // ISRs full now, but a reassignment was seen: asked again; the answer is cut short.
    const failing = context(captured('list-partition-reassignments-v0').subarray(0, 20), [3, 2, 1]);
    await collectReassignments(failing.ctx, watch, false);
    expect(failing.sent).toHaveLength(1);
    expect(failing.ctx.collected.errors[0]!.source).toBe('reassignments');
    expect(failing.ctx.collected.reassignments.get('lh-move')?.size).toBe(2);
  });
});
