/**
 * ListOffsets v2/v3 (the same bytes both ways; v3 only adds KIP-219 throttling), encoded and decoded here
 * rather than by kafkajs: its encoder builds one Encoder object per partition and copies each into its
 * parent, and its decoder builds an object per partition with the offset as a string. For the log-end
 * offsets of every partition on every refresh that was the largest share of a refresh's CPU. The request
 * body depends only on the partitions asked for, so callers can keep it while the leaders do not move.
 *
 * Request (body after the header's client id):
 *   replica_id => INT32, isolation_level => INT8,
 *   topics => ARRAY of { name => STRING, partitions => ARRAY of { partition => INT32, timestamp => INT64 } }
 * Response (payload after the correlation id):
 *   throttle_time_ms => INT32,
 *   topics => ARRAY of { name => STRING,
 *     partitions => ARRAY of { partition => INT32, error_code => INT16, timestamp => INT64, offset => INT64 } }
 */

import { ProtocolReader } from './protocol-reader.js';

export const LIST_OFFSETS_API_KEY = 2;
/** The lowest version with this layout (isolation level, throttle time). */
export const LIST_OFFSETS_MIN_VERSION = 2;
/** The highest version with it: v4 adds leader epochs. */
export const LIST_OFFSETS_MAX_VERSION = 3;

/** The consumer's replica id: not a follower. */
const CONSUMER_REPLICA_ID = -1;

export function encodeListOffsets(
  topics: ReadonlyMap<string, readonly number[]>,
  timestamp: number,
  isolationLevel: number,
): Buffer {
  const names = new Map<string, Buffer>();
  let size = 4 + 1 + 4;
  for (const [topic, partitions] of topics) {
    const name = Buffer.from(topic, 'utf8');
    names.set(topic, name);
    size += 2 + name.length + 4 + partitions.length * 12;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeInt32BE(CONSUMER_REPLICA_ID, 0);
  at = out.writeInt8(isolationLevel, at);
  at = out.writeInt32BE(topics.size, at);
  const stamp = BigInt(timestamp);
  for (const [topic, partitions] of topics) {
    const name = names.get(topic)!;
    at = out.writeInt16BE(name.length, at);
    at += name.copy(out, at);
    at = out.writeInt32BE(partitions.length, at);
    for (const partition of partitions) {
      at = out.writeInt32BE(partition, at);
      at = out.writeBigInt64BE(stamp, at);
    }
  }
  return out;
}

export interface ListOffsetsAnswer {
  /** Passed on to kafkajs's request queue, which holds back further requests while a broker throttles. */
  clientSideThrottleTime: number;
}

/**
 * Reads the response, calling `each` per partition (offset is meaningful only when errorCode is 0).
 * Bounds-checked: a truncated response throws instead of yielding garbage.
 */
export function decodeListOffsets(
  payload: Buffer,
  version: number,
  each: (topic: string, partition: number, errorCode: number, offset: number) => void,
): ListOffsetsAnswer {
  const input = new ProtocolReader(payload, 'ListOffsets response');
  const throttleTimeMs = input.int32();
  const topicCount = input.int32();
  for (let t = 0; t < topicCount; t++) {
    const topic = input.string();
    const partitionCount = input.int32();
    // A topic's partitions are handed on only once all of them were read.
    const answers: number[] = [];
    for (let p = 0; p < partitionCount; p++) {
      const partition = input.int32();
      const errorCode = input.int16();
      input.skip(8); // the timestamp, -1 for the earliest and latest offsets
      answers.push(partition, errorCode, input.int64());
    }
    for (let i = 0; i < answers.length; i += 3) each(topic, answers[i]!, answers[i + 1]!, answers[i + 2]!);
  }
  input.end();
  // Before v3 the broker throttles by delaying its answer (KIP-219), and kafkajs waits for nothing more.
  return { clientSideThrottleTime: version >= 3 ? throttleTimeMs : 0 };
}
