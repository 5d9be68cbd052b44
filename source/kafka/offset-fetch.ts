/**
 * OffsetFetch v8 (KIP-709, Kafka >= 3.0): committed offsets of many groups in one request. kafkajs 2.2.4
 * encodes OffsetFetch only up to v4 (one group per request), so v8 is encoded and decoded here, from
 * Kafka's OffsetFetchRequest.json / OffsetFetchResponse.json. v8 is a flexible version: compact strings
 * and arrays (unsigned varint length + 1, 0 meaning null) and a tagged-field section after every struct
 * and in the request/response headers (request header v2, response header v1).
 *
 * Request v8 (body after the header's client id):
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   groups => COMPACT_ARRAY of
 *     group_id => COMPACT_STRING
 *     topics => COMPACT_NULLABLE_ARRAY (null: every topic the group committed on)
 *     TAG_BUFFER
 *   require_stable => BOOLEAN
 *   TAG_BUFFER
 *
 * Response v8 (payload after the correlation id):
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   groups => COMPACT_ARRAY of
 *     group_id => COMPACT_STRING
 *     topics => COMPACT_ARRAY of
 *       name => COMPACT_STRING
 *       partitions => COMPACT_ARRAY of
 *         partition_index => INT32, committed_offset => INT64, committed_leader_epoch => INT32,
 *         metadata => COMPACT_NULLABLE_STRING, error_code => INT16, TAG_BUFFER
 *       TAG_BUFFER
 *     error_code => INT16
 *     TAG_BUFFER
 *   TAG_BUFFER
 */

import { ProtocolReader } from './protocol-reader.js';

export const OFFSET_FETCH_API_KEY = 9;
/** The first OffsetFetch version that takes many groups per request. */
export const OFFSET_FETCH_MULTI_GROUP_VERSION = 8;

export interface CommittedPartition {
  partition: number;
  /** -1 means no commit on this partition. A number from kafkatop's decoder, a decimal string from kafkajs's. */
  offset: number | string;
  errorCode: number;
}

export interface CommittedTopic {
  topic: string;
  partitions: CommittedPartition[];
}

export interface OffsetFetchGroupResponse {
  groupId: string;
  /** Group-level error (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, GROUP_AUTHORIZATION_FAILED, ...). */
  errorCode: number;
  topics: CommittedTopic[];
}

export interface OffsetFetchV8Response {
  throttleTimeMs: number;
  groups: OffsetFetchGroupResponse[];
}

/**
 * The request body for all topics of each group (topics null), require_stable false: a monitor wants
 * the offsets committed so far, not to wait for pending transactional commits.
 */
export function encodeOffsetFetchV8(groupIds: readonly string[]): Buffer {
  // Sized first, then written into one buffer: no Buffer per field.
  const names = groupIds.map((id) => Buffer.from(id, 'utf8'));
  let size = 1 + uvarintLength(groupIds.length + 1) + 1 + 1; // header tags, count, require_stable, tags
  for (const name of names) size += uvarintLength(name.length + 1) + name.length + 1 + 1; // name, topics, tags
  const out = Buffer.allocUnsafe(size);
  let at = writeUVarInt(out, 0, 0); // request header v2's tagged fields
  at = writeUVarInt(out, at, groupIds.length + 1);
  for (const name of names) {
    at = writeUVarInt(out, at, name.length + 1);
    at += name.copy(out, at);
    at = writeUVarInt(out, at, 0); // topics: null
    at = writeUVarInt(out, at, 0); // tagged fields
  }
  at = out.writeInt8(0, at); // require_stable: false
  writeUVarInt(out, at, 0); // tagged fields
  return out;
}

function uvarintLength(value: number): number {
  let length = 1;
  for (let v = value >>> 7; v > 0; v >>>= 7) length++;
  return length;
}

function writeUVarInt(out: Buffer, at: number, value: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

export function decodeOffsetFetchV8(payload: Buffer): OffsetFetchV8Response {
  const input = new ProtocolReader(payload, 'OffsetFetch v8 response');
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const groups = input.compactArray(readGroup);
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, groups };
}

// Module-level readers, not closures made per response (docs/performance.md, "Closures on hot paths").
function readGroup(input: ProtocolReader): OffsetFetchGroupResponse {
  const groupId = input.compactString();
  const topics = input.compactArray(readTopic);
  const errorCode = input.int16();
  input.skipTaggedFields();
  return { groupId, errorCode, topics };
}

function readTopic(input: ProtocolReader): CommittedTopic {
  const topic = input.compactString();
  const partitions = input.compactArray(readPartition);
  input.skipTaggedFields();
  return { topic, partitions };
}

function readPartition(input: ProtocolReader): CommittedPartition {
  const partition = input.int32();
  const offset = input.int64();
  input.int32(); // committed_leader_epoch
  input.compactNullableString(); // metadata
  const errorCode = input.int16();
  input.skipTaggedFields();
  return { partition, offset, errorCode };
}
