/**
 * DescribeTransactions (key 65, v0, Kafka 3.0+, KIP-664): the transaction coordinator's view of a transactional
 * id: its state, producer id and epoch, and the partitions in its current transaction. Asked only of the
 * broker whose ListTransactions answer listed the id (each broker lists the ids it coordinates), so no
 * FindCoordinator is sent. Needs Describe on the transactional id. kafkajs 2.2.4 predates it.
 *
 * Request v0 (DescribeTransactionsRequest.json):
 *   TAG_BUFFER                       request header v2's tagged fields
 *   transactional_ids => COMPACT_ARRAY of COMPACT_STRING
 *   TAG_BUFFER
 *
 * Response v0 (DescribeTransactionsResponse.json):
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   transaction_states => COMPACT_ARRAY of
 *     error_code => INT16, transactional_id => COMPACT_STRING, transaction_state => COMPACT_STRING,
 *     transaction_timeout_ms => INT32, transaction_start_time_ms => INT64, producer_id => INT64,
 *     producer_epoch => INT16,
 *     topic_partitions => COMPACT_ARRAY of { name => COMPACT_STRING, partition_indexes => COMPACT_ARRAY of INT32,
 *       TAG_BUFFER }
 *       ("partitions in the current transaction (if active); when preparing to commit or abort, only those
 *       without markers")
 *     TAG_BUFFER
 *   TAG_BUFFER
 */
import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { sendNegotiated } from './wire.js';

export const DESCRIBE_TRANSACTIONS_API_KEY = 65;
export const DESCRIBE_TRANSACTIONS_MAX_VERSION = 0;

export interface DescribedTransaction {
  /** NOT_COORDINATOR, TRANSACTIONAL_ID_NOT_FOUND, TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ...; 0 when described. */
  errorCode: number;
  transactionalId: string;
  /** Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead, PrepareEpochFence. */
  state: string;
  timeoutMs: number;
  /** -1 when no transaction is in progress. */
  startTimeMs: number;
  producerId: number;
  producerEpoch: number;
  /** topic -> partitions the coordinator still has to write a marker to. */
  partitions: Map<string, number[]>;
}

export function encodeDescribeTransactionsRequest(transactionalIds: readonly string[]): Buffer {
  return new FlexibleWriter(32).tags().compactStrings(transactionalIds).tags().done();
}

export function decodeDescribeTransactionsResponse(payload: Buffer): DescribedTransaction[] {
  const input = new ProtocolReader(payload, 'DescribeTransactions response');
  input.skipTaggedFields();
  input.int32(); // throttle time
  const out = input.compactArray(readTransaction);
  input.skipTaggedFields();
  input.end();
  return out;
}

function readTransaction(input: ProtocolReader): DescribedTransaction {
  const errorCode = input.int16();
  const transactionalId = input.compactString();
  const state = input.compactString();
  const timeoutMs = input.int32();
  const startTimeMs = input.int64();
  const producerId = input.int64();
  const producerEpoch = input.int16();
  const partitions = new Map<string, number[]>();
  const topicCount = input.uvarint() - 1;
  for (let t = 0; t < topicCount; t++) {
    const topic = input.compactString();
    partitions.set(topic, input.compactInt32Array());
    input.skipTaggedFields();
  }
  input.skipTaggedFields();
  return { errorCode, transactionalId, state, timeoutMs, startTimeMs, producerId, producerEpoch, partitions };
}

/** The coordinator's view of these transactional ids; null when the broker does not serve the API. */
export function describeTransactions(
  broker: InternalBroker,
  transactionalIds: readonly string[],
): Promise<DescribedTransaction[] | null> {
  return sendNegotiated(broker, {
    apiName: 'DescribeTransactions',
    apiKey: DESCRIBE_TRANSACTIONS_API_KEY,
    minVersion: 0,
    maxVersion: DESCRIBE_TRANSACTIONS_MAX_VERSION,
    body: () => encodeDescribeTransactionsRequest(transactionalIds),
    decode: decodeDescribeTransactionsResponse,
  });
}
