import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeDescribeTransactionsResponse,
  describeTransactions,
  encodeDescribeTransactionsRequest,
} from '../../../source/kafka/describe-transactions.js';
import { expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

/** An answer captured from a real broker (test/fixtures/loghealth/README.md). */
function captured(name: string): Buffer {
  const text = readFileSync(new URL(`../../fixtures/loghealth/${name}.hex`, import.meta.url), 'utf8');
  return Buffer.from(text.trim(), 'hex');
}

describe('DescribeTransactions v0', () => {
  it('asks for the transactional ids (the bytes sent for the capture)', () => {
    expect(encodeDescribeTransactionsRequest(['lh-tx-2']).toString('hex')).toBe(
      hex(`
        00                    # request header v2: no tagged fields
        02 08 6c682d74782d32  # transactional ids: [lh-tx-2]
        00                    # tagged fields
      `),
    );
  });

  it("decodes the coordinator's view as TransactionsCommand describe printed it", () => {
    // Ongoing, producer 2 epoch 0, timeout 300000, on lh-txn-0 (test/fixtures/loghealth/README.md).
    expect(decodeDescribeTransactionsResponse(captured('describe-transactions-v0'))).toEqual([
      {
        errorCode: 0,
        transactionalId: 'lh-tx-2',
        state: 'Ongoing',
        timeoutMs: 300_000,
        startTimeMs: 1796608679536,
        producerId: 2,
        producerEpoch: 0,
        partitions: new Map([['lh-txn', [0]]]),
      },
    ]);
  });

  it('a broker that does not coordinate the id says so', () => {
    const [answer] = decodeDescribeTransactionsResponse(captured('describe-transactions-v0-not-coordinator'));
    expect(answer).toMatchObject({ errorCode: 16, transactionalId: 'lh-tx-2', partitions: new Map() });
  });

  it('a cut answer never yields a value', () => {
    expectTruncationToFail(
      decodeDescribeTransactionsResponse,
      captured('describe-transactions-v0'),
      'DescribeTransactions response',
    );
  });

  it('is sent at v0 where served, and not at all before Kafka 3.0', async () => {
    const served = fakeBroker({ 65: 0 }, captured('describe-transactions-v0'));
    expect(await describeTransactions(served.broker, ['lh-tx-2'])).toHaveLength(1);
    expect(served.sent.map((s) => [s.apiKey, s.apiVersion, s.body.toString('hex')])).toEqual([
      [65, 0, '0002086c682d74782d3200'],
    ]);
    const old = fakeBroker({}, captured('describe-transactions-v0'));
    expect(await describeTransactions(old.broker, ['lh-tx-2'])).toBeNull();
    expect(old.sent).toEqual([]);
  });
});
