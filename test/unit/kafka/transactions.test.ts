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

/** Hand-written answers for what the test cluster does not show: each field as the schema quoted in the codec. */
const answers = {
  // DescribeProducers v0: lh-txn-0 TOPIC_AUTHORIZATION_FAILED (29), no message, no producers.
  topicDenied: hex(`00 00000000 02 07 6c682d74786e 02 00000000 001d 00 01 00 00 00`),
  // ListTransactions v2: no error, no unknown filters, no transaction listed.
  noneListed: hex(`00 00000000 0000 01 01 00`),
  // DescribeTransactions v0: lh-tx-2 CompleteCommit, producer 2 epoch 0, no partition left in it.
  completed: hex(`
    00 00000000 02 0000 08 6c682d74782d32 0f 436f6d706c657465436f6d6d6974
    000493e0 ffffffffffffffff 0000000000000002 0000 01 00 00
  `),
  // DescribeTransactions v0: lh-tx-2 TRANSACTIONAL_ID_NOT_FOUND (105), as NOT_COORDINATOR's answer looks.
  notFound: hex(`
    00 00000000 02 0069 08 6c682d74782d32 01 00000000 0000000000000000 0000000000000000 0000 01 00 00
  `),
  // DescribeTransactions v0: lh-tx-2 Ongoing on lh-txn-0, but producer 2 epoch 1: a later transaction.
  laterEpoch: hex(`
    00 00000000 02 0000 08 6c682d74782d32 08 4f6e676f696e67 000493e0 0000019a24e38de7 0000000000000002
    0001 02 07 6c682d74786e 02 00000000 00 00 00
  `),
};

describe('collectOpenTransactions', () => {
  type Answers = Partial<Record<61 | 65 | 66, string | Error>>;

  /** A broker answering with the captured answers, or those given (hex, or an Error to fail with). */
  function broker(sent: number[], given: Answers): InternalBroker {
    const b = {
      nodeId: 1,
      versions: {
        61: { minVersion: 0, maxVersion: 0 },
        65: { minVersion: 0, maxVersion: 0 },
        66: { minVersion: 0, maxVersion: 2 },
      },
      isConnected: () => true,
      async connect() {},
      async disconnect() {},
      connectionPool: {
        async send({
          request,
          response,
        }: {
          request: { apiKey: 61 | 65 | 66 };
          response: { decode(b: Buffer): Promise<unknown>; parse(x: unknown): Promise<unknown> };
        }) {
          sent.push(request.apiKey);
          const answer = given[request.apiKey];
          if (answer instanceof Error) throw answer;
          const bytes =
            answer !== undefined
              ? Buffer.from(answer, 'hex')
              : captured(
                  { 61: 'describe-producers-v0', 65: 'describe-transactions-v0', 66: 'list-transactions-v2' }[
                    request.apiKey
                  ],
                );
          return response.parse(await response.decode(bytes));
        },
      },
    };
    return b as unknown as InternalBroker;
  }

  function context(sent: number[], lso: number, end: number, given: Answers = {}): StageContext {
    const b = broker(sent, given);
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
    expect(sent).toEqual([61, 66, 65]);
    // Its coordinator has lh-txn-0 in producer 2's ongoing transaction: open, not hanging.
    expect(pinned.collected.openTransactions.get('lh-txn')?.get(0)).toEqual({
      producerId: 2,
      producerEpoch: 0,
      startOffset: 651,
      lastTimestamp: 1796608685098,
      transactionalId: 'lh-tx-2',
      state: 'Ongoing',
      hanging: false,
    });
    const later = context(sent, 651, 1200);
    await collectOpenTransactions(later, watch, 20_000);
    expect(sent).toEqual([61, 66, 65]);
    expect(later.collected.openTransactions.get('lh-txn')?.get(0)?.transactionalId).toBe('lh-tx-2');

    const moved = context(sent, 1200, 1200);
    await collectOpenTransactions(moved, watch, 50_000);
    expect(sent).toEqual([61, 66, 65]);
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

  it('a --stuck-lso under 10 s: asked at the bound, so the stuck event names its culprit', async () => {
    const watch = createOpenTransactionWatch(5_000);
    const sent: number[] = [];
    await collectOpenTransactions(context(sent, 651, 1058), watch, 0);
    await collectOpenTransactions(context(sent, 651, 1058), watch, 4_000);
    expect(sent).toEqual([]);
    const stuck = context(sent, 651, 1100);
    await collectOpenTransactions(stuck, watch, 5_000);
    expect(sent).toEqual([61, 66, 65]);
    expect(stuck.collected.openTransactions.get('lh-txn')?.get(0)?.transactionalId).toBe('lh-tx-2');
  });

  it('asked again when the LSO crosses the stuck bound, so the stuck event carries a fresh verdict', async () => {
    const watch = createOpenTransactionWatch(45_000);
    const sent: number[] = [];
    await collectOpenTransactions(context(sent, 651, 1058), watch, 0);
    await collectOpenTransactions(context(sent, 651, 1058), watch, 10_000);
    expect(sent).toEqual([61, 66, 65]);
    await collectOpenTransactions(context(sent, 651, 1058), watch, 40_000); // 30 s later: the period
    await collectOpenTransactions(context(sent, 651, 1058), watch, 45_000); // at the bound
    await collectOpenTransactions(context(sent, 651, 1058), watch, 50_000);
    expect(sent).toEqual([61, 66, 65, 61, 66, 65, 61, 66, 65]);
  });

  it('says what is missing when DescribeProducers is refused: Read on the topic', async () => {
    const watch = createOpenTransactionWatch();
    const sent: number[] = [];
    await collectOpenTransactions(context(sent, 651, 1058), watch, 0);
    const denied = context(sent, 651, 1100, { 61: answers.topicDenied });
    await collectOpenTransactions(denied, watch, 10_000);
    expect(sent).toEqual([61]);
    expect(denied.collected.errors).toEqual([
      {
        source: 'topic:lh-txn',
        message: 'DescribeProducers: partition 0 TOPIC_AUTHORIZATION_FAILED (needs Read on the topic)',
      },
    ]);
    expect(denied.collected.openTransactions.size).toBe(0);
  });

  describe('hanging, as kafka-transactions.sh find-hanging decides it', () => {
    /** Pinned at 0, asked at `atMs` with these answers; the open transaction found, and the errors. */
    async function verdict(atMs: number, given: Answers, maxTimeoutMs: number | null = null) {
      const watch = createOpenTransactionWatch();
      const sent: number[] = [];
      await collectOpenTransactions(context(sent, 651, 1058), watch, 0, maxTimeoutMs);
      const ctx = context(sent, 651, 1100, given);
      await collectOpenTransactions(ctx, watch, atMs, maxTimeoutMs);
      return { t: ctx.collected.openTransactions.get('lh-txn')?.get(0), errors: ctx.collected.errors, sent };
    }
    const MIN = 60_000;

    it('its coordinator ended the transaction without the partition, older than transaction.max.timeout.ms', async () => {
      const { t, errors } = await verdict(16 * MIN, { 65: answers.completed });
      expect(t).toMatchObject({ transactionalId: 'lh-tx-2', state: 'CompleteCommit', hanging: true });
      expect(errors).toEqual([]);
      // The brokers' own transaction.max.timeout.ms, once read, is the age to pass.
      expect((await verdict(16 * MIN, { 65: answers.completed }, 60 * MIN)).t?.hanging).toBeNull();
    });

    it('younger than any live transaction may get: not yet a verdict (the marker may be on its way)', async () => {
      expect((await verdict(10_000, { 65: answers.completed })).t?.hanging).toBeNull();
    });

    it('an open transaction is never hanging, however old', async () => {
      const { t } = await verdict(60 * MIN, {});
      expect(t).toMatchObject({ state: 'Ongoing', hanging: false });
    });

    it('no broker lists the producer: its coordinator does not know it (hanging, not a missing ACL)', async () => {
      const { t, errors, sent } = await verdict(16 * MIN, { 66: answers.noneListed });
      expect(t).toMatchObject({ producerId: 2, transactionalId: null, state: null, hanging: true });
      expect(errors).toEqual([]);
      expect(sent).toEqual([61, 66]); // no transactional id to describe
    });

    it('unknown while a broker could not list its transactions', async () => {
      const { t, errors } = await verdict(16 * MIN, { 66: new Error('Connection refused') });
      expect(t).toMatchObject({ transactionalId: null, hanging: null });
      expect(errors).toEqual([{ source: 'broker:1', message: 'ListTransactions: Connection refused' }]);
    });

    it('the coordinator no longer knows the transactional id', async () => {
      expect((await verdict(16 * MIN, { 65: answers.notFound })).t?.hanging).toBe(true);
    });

    it('the coordinator is in a later epoch of the producer', async () => {
      expect((await verdict(16 * MIN, { 65: answers.laterEpoch })).t?.hanging).toBe(true);
    });

    it('unknown when DescribeTransactions fails', async () => {
      const { t, errors } = await verdict(16 * MIN, { 65: new Error('Request timed out') });
      expect(t).toMatchObject({ transactionalId: 'lh-tx-2', state: 'Ongoing', hanging: null });
      expect(errors).toEqual([{ source: 'broker:1', message: 'DescribeTransactions: Request timed out' }]);
    });
  });
});
