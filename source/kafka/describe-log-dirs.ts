/**
 * DescribeLogDirs (key 35) v2-v5, encoded and decoded here (kafkajs 2.2.4 speaks v0/v1, without the disk
 * figures): each log directory of the broker asked, its partitions' sizes, and from v4 (Kafka 3.3, KIP-827)
 * the volume's total and usable bytes, from v5 (Kafka 4.3) whether it is cordoned. Needs Describe on the
 * cluster. Every broker answers for its own log directories only: one request per broker.
 *
 * Request (body after the header's client id), from DescribeLogDirsRequest.json (v2-v5 the same):
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   topics => COMPACT_NULLABLE_ARRAY (null: every partition)
 *   TAG_BUFFER
 *
 * Response (payload after the correlation id), from DescribeLogDirsResponse.json:
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32, error_code => INT16 (v3+)
 *   results => COMPACT_ARRAY of
 *     error_code => INT16, log_dir => COMPACT_STRING
 *     topics => COMPACT_ARRAY of
 *       name => COMPACT_STRING
 *       partitions => COMPACT_ARRAY of
 *         partition_index => INT32, partition_size => INT64, offset_lag => INT64, is_future_key => BOOL, TAG_BUFFER
 *       TAG_BUFFER
 *     total_bytes => INT64 (v4+), usable_bytes => INT64 (v4+), is_cordoned => BOOL (v5+)
 *     TAG_BUFFER
 *   TAG_BUFFER
 */

import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { sendNegotiated } from './wire.js';

export const DESCRIBE_LOG_DIRS_API_KEY = 35;
/** The first flexible version: what we decode from. */
export const DESCRIBE_LOG_DIRS_MIN_VERSION = 2;
export const DESCRIBE_LOG_DIRS_MAX_VERSION = 5;

export interface LogDirAnswer {
  path: string;
  errorCode: number;
  /** null before v4 (-1 in the answer: unknown). */
  totalBytes: number | null;
  usableBytes: number | null;
  cordoned: boolean;
}

export interface DescribeLogDirsAnswer {
  errorCode: number;
  logDirs: LogDirAnswer[];
}

/** The request body: every partition (the same bytes at every flexible version). */
export const DESCRIBE_ALL_LOG_DIRS = Buffer.from([0, 0, 0]);

/**
 * Reads the response, calling `each` per replica of a partition in a log dir (a future replica, being moved
 * between log dirs of this broker, is passed with `future` true). Bounds-checked: a truncated response throws.
 */
export function decodeDescribeLogDirs(
  payload: Buffer,
  version: number,
  each: (
    logDir: number,
    topic: string,
    partition: number,
    sizeBytes: number,
    offsetLag: number,
    future: boolean,
  ) => void,
): DescribeLogDirsAnswer {
  const input = new ProtocolReader(payload, `DescribeLogDirs v${version} response`);
  input.skipTaggedFields(); // response header v1
  input.int32(); // throttle time: kafkajs's queue is not told (one request per broker every 30 s)
  const errorCode = version >= 3 ? input.int16() : 0;
  const logDirs: LogDirAnswer[] = [];
  const dirCount = input.uvarint() - 1;
  for (let d = 0; d < dirCount; d++) {
    const dirError = input.int16();
    const path = input.compactString();
    const topicCount = input.uvarint() - 1;
    for (let t = 0; t < topicCount; t++) {
      const topic = input.compactString();
      const partitionCount = input.uvarint() - 1;
      for (let p = 0; p < partitionCount; p++) {
        const partition = input.int32();
        const size = input.int64();
        const lag = input.int64();
        const future = input.bool();
        input.skipTaggedFields();
        each(d, topic, partition, size, lag, future);
      }
      input.skipTaggedFields();
    }
    const totalBytes = version >= 4 ? known(input.int64()) : null;
    const usableBytes = version >= 4 ? known(input.int64()) : null;
    const cordoned = version >= 5 ? input.bool() : false;
    input.skipTaggedFields();
    logDirs.push({ path, errorCode: dirError, totalBytes, usableBytes, cordoned });
  }
  input.skipTaggedFields();
  input.end();
  return { errorCode, logDirs };
}

function known(bytes: number): number | null {
  return bytes < 0 ? null : bytes;
}

/** One broker's log dirs, or null when it does not serve a flexible version (before Kafka 2.6). */
export async function describeLogDirs(
  broker: InternalBroker,
  each: Parameters<typeof decodeDescribeLogDirs>[2],
): Promise<DescribeLogDirsAnswer | null> {
  return sendNegotiated(broker, {
    apiName: 'DescribeLogDirs',
    apiKey: DESCRIBE_LOG_DIRS_API_KEY,
    minVersion: DESCRIBE_LOG_DIRS_MIN_VERSION,
    maxVersion: DESCRIBE_LOG_DIRS_MAX_VERSION,
    body: () => DESCRIBE_ALL_LOG_DIRS,
    decode: (payload, version) => decodeDescribeLogDirs(payload, version, each),
  });
}
