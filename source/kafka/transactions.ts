/**
 * Who holds a last stable offset back, named as `kafka-transactions.sh find-hanging` names it: DescribeProducers
 * (key 61) v0 on the partition's leader gives each producer with a transaction open on it, and where that
 * transaction starts; ListTransactions (key 66) v0-v2 on every broker (each answers for the transactions it
 * coordinates) gives the transactional id and state of those producer ids. Both encoded and decoded here
 * (kafkajs 2.2.4 predates them). DescribeProducers needs Read on the topic, ListTransactions Describe on the
 * transactional id: without them the refresh says what is missing and goes on.
 *
 * DescribeProducers request (DescribeProducersRequest.json):
 *   TAG_BUFFER, topics => COMPACT_ARRAY of { name => COMPACT_STRING, partition_indexes => COMPACT_ARRAY of INT32,
 *   TAG_BUFFER }, TAG_BUFFER
 * Response (DescribeProducersResponse.json):
 *   TAG_BUFFER, throttle_time_ms => INT32, topics => COMPACT_ARRAY of { name => COMPACT_STRING,
 *     partitions => COMPACT_ARRAY of { partition_index => INT32, error_code => INT16,
 *       error_message => COMPACT_NULLABLE_STRING, active_producers => COMPACT_ARRAY of { producer_id => INT64,
 *         producer_epoch => INT32, last_sequence => INT32, last_timestamp => INT64, coordinator_epoch => INT32,
 *         current_txn_start_offset => INT64, TAG_BUFFER }, TAG_BUFFER }, TAG_BUFFER }, TAG_BUFFER
 *
 * ListTransactions request (ListTransactionsRequest.json):
 *   TAG_BUFFER, state_filters => COMPACT_ARRAY of COMPACT_STRING, producer_id_filters => COMPACT_ARRAY of INT64,
 *   duration_filter => INT64 (v1+), transactional_id_pattern => COMPACT_NULLABLE_STRING (v2+), TAG_BUFFER
 * Response (ListTransactionsResponse.json):
 *   TAG_BUFFER, throttle_time_ms => INT32, error_code => INT16, unknown_state_filters => COMPACT_ARRAY of
 *   COMPACT_STRING, transaction_states => COMPACT_ARRAY of { transactional_id => COMPACT_STRING,
 *   producer_id => INT64, transaction_state => COMPACT_STRING, TAG_BUFFER }, TAG_BUFFER
 */

import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';

export const DESCRIBE_PRODUCERS_API_KEY = 61;
export const DESCRIBE_PRODUCERS_MAX_VERSION = 0;
export const LIST_TRANSACTIONS_API_KEY = 66;
export const LIST_TRANSACTIONS_MAX_VERSION = 2;

export interface ActiveProducer {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
  /** Where its open transaction starts on this partition; null when it has none (-1). */
  currentTxnStartOffset: number | null;
}

export interface ProducersOfPartition {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  producers: ActiveProducer[];
}

export interface ListedTransaction {
  transactionalId: string;
  producerId: number;
  state: string;
}

export interface ListTransactionsResponse {
  errorCode: number;
  transactions: ListedTransaction[];
}

export function encodeDescribeProducersRequest(topics: ReadonlyMap<string, readonly number[]>): Buffer {
  const out = new FlexibleWriter(64).tags().uvarint(topics.size + 1);
  for (const [topic, partitions] of topics) {
    out.compactString(topic).uvarint(partitions.length + 1);
    for (const p of partitions) out.int32(p);
    out.tags();
  }
  return out.tags().done();
}

export function decodeDescribeProducersResponse(payload: Buffer): ProducersOfPartition[] {
  const input = new ProtocolReader(payload, 'DescribeProducers response');
  input.skipTaggedFields(); // response header v1
  input.int32(); // throttle time
  const out: ProducersOfPartition[] = [];
  const topicCount = input.uvarint() - 1;
  for (let t = 0; t < topicCount; t++) {
    const topic = input.compactString();
    const partitionCount = input.uvarint() - 1;
    for (let p = 0; p < partitionCount; p++) {
      const partition = input.int32();
      const errorCode = input.int16();
      const errorMessage = input.compactNullableString();
      const producers = input.compactArray(readProducer);
      input.skipTaggedFields();
      out.push({ topic, partition, errorCode, errorMessage, producers });
    }
    input.skipTaggedFields();
  }
  input.skipTaggedFields();
  input.end();
  return out;
}

function readProducer(input: ProtocolReader): ActiveProducer {
  const producerId = input.int64();
  const producerEpoch = input.int32();
  const lastSequence = input.int32();
  const lastTimestamp = input.int64();
  const coordinatorEpoch = input.int32();
  const start = input.int64();
  input.skipTaggedFields();
  return {
    producerId,
    producerEpoch,
    lastSequence,
    lastTimestamp,
    coordinatorEpoch,
    currentTxnStartOffset: start < 0 ? null : start,
  };
}

/** The transactions of these producer ids that the broker coordinates, in any state. */
export function encodeListTransactionsRequest(version: number, producerIds: readonly number[]): Buffer {
  const out = new FlexibleWriter(32)
    .tags()
    .uvarint(1)
    .uvarint(producerIds.length + 1);
  // INT64 as two INT32 halves: producer ids are below 2^53.
  for (const id of producerIds) out.int32(Math.floor(id / 2 ** 32)).int32((id % 2 ** 32) | 0);
  if (version >= 1) out.int32(-1).int32(-1); // duration filter: none
  if (version >= 2) out.uvarint(0); // transactional id pattern: null
  return out.tags().done();
}

export function decodeListTransactionsResponse(payload: Buffer): ListTransactionsResponse {
  const input = new ProtocolReader(payload, 'ListTransactions response');
  input.skipTaggedFields(); // response header v1
  input.int32(); // throttle time
  const errorCode = input.int16();
  input.compactStringArray(); // unknown state filters: we send none
  const transactions = input.compactArray((i) => {
    const transactionalId = i.compactString();
    const producerId = i.int64();
    const state = i.compactString();
    i.skipTaggedFields();
    return { transactionalId, producerId, state };
  });
  input.skipTaggedFields();
  input.end();
  return { errorCode, transactions };
}
