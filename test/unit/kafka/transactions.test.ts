import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyCollected, setOffset } from '../../../source/kafka/collected.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';
import {
  collectOpenTransactions,
  createOpenTransactionWatch,
} from '../../../source/kafka/open-transactions.js';
import {
  decodeDescribeProducersResponse,
  decodeListTransactionsResponse,
  encodeDescribeProducersRequest,
  encodeListTransactionsRequest,
} from '../../../source/kafka/transactions.js';
import { expectTruncationToFail, hex } from './kafka4-support.js';

/** An answer captured from a real broker (test/fixtures/loghealth/README.md). */
function captured(name: string): Buffer {
  const text = readFileSync(new URL(`../../fixtures/loghealth/${name}.hex`, import.meta.url), 'utf8');
  return Buffer.from(text.trim(), 'hex');
}

describe('DescribeProducers v0', () => {
  it('asks for the partitions by topic (the bytes sent for the capture)', () => {
    expect(encodeDescribeProducersRequest(new Map([['lh-txn', [0]]])).toString('hex')).toBe(
      hex(`
        00                  # request header v2: no tagged fields
        02 07 6c682d74786e  # topics: [lh-txn]
        02 00000000 00      # partitions [0], the topic's tagged fields
        00                  # tagged fields
      `),
    );
  });

  it('decodes each active producer as TransactionsCommand describe-producers printed them', () => {
    // ProducerId ProducerEpoch LatestCoordinatorEpoch LastSequence LastTimestamp CurrentTransactionStartOffset
    // 1          0             -1                     49           1796608627269 None
    // 2          0             -1                     278          1796608693327 651   (printed a few s later)
    // 1000       1             0                      -1           1796608660177 None
    const [partition] = decodeDescribeProducersResponse(captured('describe-producers-v0'));
    expect(partition).toMatchObject({ topic: 'lh-txn', partition: 0, errorCode: 0, errorMessage: null });
    expect(
      partition!.producers.map((p) => [
        p.producerId,
        p.producerEpoch,
        p.coordinatorEpoch,
        p.currentTxnStartOffset,
      ]),
    ).toEqual([
      [1, 0, -1, null],
      [2, 0, -1, 651],
      [1000, 1, 0, null],
    ]);
    expect(partition!.producers[0]).toMatchObject({ lastSequence: 49, lastTimestamp: 1796608627269 });
  });

  it('a cut answer never yields a value', () => {
    expectTruncationToFail(
      decodeDescribeProducersResponse,
      captured('describe-producers-v0'),
      'DescribeProducers response',
    );
  });
});

describe('ListTransactions v0-v2', () => {
  it('filters by producer id, no state filter (the bytes sent for the capture, and v0)', () => {
    expect(encodeListTransactionsRequest(2, []).toString('hex')).toBe('000101ffffffffffffffff0000');
    expect(encodeListTransactionsRequest(0, [2, 2 ** 40 + 5]).toString('hex')).toBe(
      hex(`00 01 03 0000000000000002 0000010000000005 00`),
    );
  });

  it('decodes the transactions a broker coordinates, as TransactionsCommand list printed them', () => {
    // TransactionalId Coordinator ProducerId TransactionState
    // lh-tx-2         1           2          Ongoing
    // lh-tx-1         2           1000       CompleteCommit
    expect(decodeListTransactionsResponse(captured('list-transactions-v2'))).toEqual({
      errorCode: 0,
      transactions: [{ transactionalId: 'lh-tx-2', producerId: 2, state: 'Ongoing' }],
    });
    const expected = {
      errorCode: 0,
      transactions: [{ transactionalId: 'lh-tx-1', producerId: 1000, state: 'CompleteCommit' }],
    };
    expect(decodeListTransactionsResponse(captured('list-transactions-v2-node2'))).toEqual(expected);
    expect(decodeListTransactionsResponse(captured('list-transactions-v0-node2'))).toEqual(expected);
    expectTruncationToFail(
      decodeListTransactionsResponse,
      captured('list-transactions-v2'),
      'ListTransactions response',
    );
  });
});

describe('collectOpenTransactions', () => {
  /** A broker answering DescribeProducers and ListTransactions with the captured answers. */
  function broker(sent: number[]): InternalBroker {
    const b = {
      nodeId: 1,
      versions: { 61: { minVersion: 0, maxVersion: 0 }, 66: { minVersion: 0, maxVersion: 2 } },
      isConnected: () => true,
      async connect() {},
      async disconnect() {},
      connectionPool: {
        async send({
          request,
          response,
        }: {
          request: { apiKey: number };
          response: { decode(b: Buffer): Promise<unknown>; parse(x: unknown): Promise<unknown> };
        }) {
          sent.push(request.apiKey);
          const answer =
            request.apiKey === 61 ? captured('describe-producers-v0') : captured('list-transactions-v2');
          return response.parse(await response.decode(answer));
        },
      },
    };
    return b as unknown as InternalBroker;
  }

  function context(sent: number[], lso: number, end: number): StageContext {
    const b = broker(sent);
    const connections = { get: () => b, nodeIds: () => [1] } as unknown as Connections;
    const collected = emptyCollected();
    collected.metadata = {
      brokers: [],
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'lh-txn',
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1] }],
        },
      ],
    };
    setOffset(collected.lastStable, 'lh-txn', 0, lso);
    setOffset(collected.logEnd, 'lh-txn', 0, end);
    return { connections, limit: (task) => task(), clean: (t) => t, collected };
  }

  it('names the transaction holding an LSO pinned for 10 s, asks again only after 30 s, carries it between', async () => {
    const watch = createOpenTransactionWatch();
    const sent: number[] = [];
    const first = context(sent, 651, 1058);
    await collectOpenTransactions(first, watch, 0);
    expect(sent).toEqual([]); // just pinned: short transactions move it at every commit
    const pinned = context(sent, 651, 1100);
    await collectOpenTransactions(pinned, watch, 10_000);
    expect(sent).toEqual([61, 66]);
    expect(pinned.collected.openTransactions.get('lh-txn')?.get(0)).toEqual({
      producerId: 2,
      producerEpoch: 0,
      startOffset: 651,
      lastTimestamp: 1796608685098,
      transactionalId: 'lh-tx-2',
      state: 'Ongoing',
    });
    const later = context(sent, 651, 1200);
    await collectOpenTransactions(later, watch, 20_000);
    expect(sent).toEqual([61, 66]);
    expect(later.collected.openTransactions.get('lh-txn')?.get(0)?.transactionalId).toBe('lh-tx-2');

    const moved = context(sent, 1200, 1200);
    await collectOpenTransactions(moved, watch, 50_000);
    expect(sent).toEqual([61, 66]);
    expect(moved.collected.openTransactions.size).toBe(0);
  });

  it('sends nothing while every LSO is at its log end', async () => {
    const sent: number[] = [];
    const ctx = context(sent, 500, 500);
    const watch = createOpenTransactionWatch();
    await collectOpenTransactions(ctx, watch, 0);
    await collectOpenTransactions(ctx, watch, 60_000);
    expect(sent).toEqual([]);
  });
});
