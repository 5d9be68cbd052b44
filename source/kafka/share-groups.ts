/**
 * Share groups (KIP-932): ShareGroupDescribe (key 77) v1 and DescribeShareGroupOffsets (key 90) v0/v1,
 * encoded and decoded here (kafkajs 2.2.4 predates both; its DescribeGroups answers "Dead" with no
 * members for a share group). Both take many groups per request: one per coordinator per refresh.
 * ShareGroupDescribe v0 was Kafka 4.0's early access and is gone from 4.1, so v1 is the only version.
 * A share group has no target assignment and no committed offsets: what it has consumed is each
 * share-partition's start offset, and from v1 of DescribeShareGroupOffsets (KIP-1226, Kafka 4.2) the lag
 * the broker computes from it. Before that there is no lag (null here, never 0).
 *
 * ShareGroupDescribe request (from ShareGroupDescribeRequest.json): the same fields as
 * ConsumerGroupDescribe's (`encodeGroupDescribeRequest`).
 * ShareGroupDescribe v1 response (from ShareGroupDescribeResponse.json):
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   groups => COMPACT_ARRAY of
 *     error_code => INT16, error_message => COMPACT_NULLABLE_STRING, group_id => COMPACT_STRING,
 *     group_state => COMPACT_STRING, group_epoch => INT32, assignment_epoch => INT32,
 *     assignor_name => COMPACT_STRING,
 *     members => COMPACT_ARRAY of
 *       member_id => COMPACT_STRING, rack_id => COMPACT_NULLABLE_STRING, member_epoch => INT32,
 *       client_id => COMPACT_STRING, client_host => COMPACT_STRING,
 *       subscribed_topic_names => COMPACT_ARRAY of COMPACT_STRING, assignment => Assignment, TAG_BUFFER
 *     authorized_operations => INT32
 *     TAG_BUFFER
 *   TAG_BUFFER
 * Assignment as in ConsumerGroupDescribe (`readAssignment`).
 *
 * DescribeShareGroupOffsets request (from DescribeShareGroupOffsetsRequest.json, v1 = v0):
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   groups => COMPACT_ARRAY of
 *     group_id => COMPACT_STRING
 *     topics => COMPACT_NULLABLE_ARRAY (null: every topic-partition of the group)
 *     TAG_BUFFER
 *   TAG_BUFFER
 * DescribeShareGroupOffsets response (from DescribeShareGroupOffsetsResponse.json):
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   groups => COMPACT_ARRAY of
 *     group_id => COMPACT_STRING
 *     topics => COMPACT_ARRAY of
 *       topic_name => COMPACT_STRING, topic_id => UUID,
 *       partitions => COMPACT_ARRAY of
 *         partition_index => INT32, start_offset => INT64, leader_epoch => INT32,
 *         lag => INT64 (v1+, -1 unknown), error_code => INT16, error_message => COMPACT_NULLABLE_STRING,
 *         TAG_BUFFER
 *       TAG_BUFFER
 *     error_code => INT16, error_message => COMPACT_NULLABLE_STRING
 *     TAG_BUFFER
 *   TAG_BUFFER
 */

import { type AssignedTopic, encodeGroupDescribeRequest, readAssignment } from './consumer-group-describe.js';
import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { sendNegotiated } from './wire.js';

export const SHARE_GROUP_DESCRIBE_API_KEY = 77;
export const SHARE_GROUP_DESCRIBE_VERSION = 1;
export const DESCRIBE_SHARE_GROUP_OFFSETS_API_KEY = 90;
export const DESCRIBE_SHARE_GROUP_OFFSETS_MAX_VERSION = 1;

export interface ShareGroupMember {
  memberId: string;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  assignment: AssignedTopic[];
}

export interface DescribedShareGroup {
  /** 0, or GROUP_ID_NOT_FOUND (69: not a share group, or no such group), NOT_COORDINATOR (16), ... */
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  /** "Empty", "Stable", "Dead", or "" on an error. */
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  /** "simple" on Kafka 4.x. */
  assignorName: string;
  members: ShareGroupMember[];
}

export interface ShareGroupDescribeResponse {
  throttleTimeMs: number;
  groups: DescribedShareGroup[];
}

export function decodeShareGroupDescribeResponse(
  payload: Buffer,
  version: number,
): ShareGroupDescribeResponse {
  const input = new ProtocolReader(payload, `ShareGroupDescribe v${version} response`);
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const groups = input.compactArray(readShareGroup);
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, groups };
}

function readShareGroup(input: ProtocolReader): DescribedShareGroup {
  const errorCode = input.int16();
  const errorMessage = input.compactNullableString();
  const groupId = input.compactString();
  const groupState = input.compactString();
  const groupEpoch = input.int32();
  const assignmentEpoch = input.int32();
  const assignorName = input.compactString();
  const members = input.compactArray(readShareMember);
  input.int32(); // authorized_operations: not asked for
  input.skipTaggedFields();
  return { errorCode, errorMessage, groupId, groupState, groupEpoch, assignmentEpoch, assignorName, members };
}

function readShareMember(input: ProtocolReader): ShareGroupMember {
  const memberId = input.compactString();
  const rackId = input.compactNullableString();
  const memberEpoch = input.int32();
  const clientId = input.compactString();
  const clientHost = input.compactString();
  const subscribedTopicNames = input.compactStringArray();
  const assignment = readAssignment(input);
  input.skipTaggedFields();
  return { memberId, rackId, memberEpoch, clientId, clientHost, subscribedTopicNames, assignment };
}

export interface SharePartitionOffset {
  partitionIndex: number;
  /** The share-partition start offset; null while it has none (-1: not yet initialised). */
  startOffset: number | null;
  leaderEpoch: number;
  /** Lag computed by the broker (v1, Kafka >= 4.2); null when it gives none (v0, or -1). Never 0 for unknown. */
  lag: number | null;
  errorCode: number;
  errorMessage: string | null;
}

export interface ShareTopicOffsets {
  topicName: string;
  topicId: string;
  partitions: SharePartitionOffset[];
}

export interface ShareGroupOffsets {
  groupId: string;
  topics: ShareTopicOffsets[];
  errorCode: number;
  errorMessage: string | null;
}

export interface DescribeShareGroupOffsetsResponse {
  throttleTimeMs: number;
  groups: ShareGroupOffsets[];
}

/** Every topic-partition of each group (topics null). */
export function encodeDescribeShareGroupOffsetsRequest(groupIds: readonly string[]): Buffer {
  const out = new FlexibleWriter(8 + groupIds.length * 24).tags().uvarint(groupIds.length + 1);
  for (const groupId of groupIds) out.compactString(groupId).compactStrings(null).tags();
  return out.tags().done();
}

export function decodeDescribeShareGroupOffsetsResponse(
  payload: Buffer,
  version: number,
): DescribeShareGroupOffsetsResponse {
  const input = new ProtocolReader(payload, `DescribeShareGroupOffsets v${version} response`);
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const groups: ShareGroupOffsets[] = [];
  const groupCount = input.uvarint() - 1;
  for (let g = 0; g < groupCount; g++) {
    const groupId = input.compactString();
    const topics: ShareTopicOffsets[] = [];
    const topicCount = input.uvarint() - 1;
    for (let t = 0; t < topicCount; t++) {
      const topicName = input.compactString();
      const topicId = input.uuid();
      const partitions: SharePartitionOffset[] = [];
      const partitionCount = input.uvarint() - 1;
      for (let p = 0; p < partitionCount; p++) partitions.push(readSharePartition(input, version));
      input.skipTaggedFields();
      topics.push({ topicName, topicId, partitions });
    }
    const errorCode = input.int16();
    const errorMessage = input.compactNullableString();
    input.skipTaggedFields();
    groups.push({ groupId, topics, errorCode, errorMessage });
  }
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, groups };
}

function readSharePartition(input: ProtocolReader, version: number): SharePartitionOffset {
  const partitionIndex = input.int32();
  const startOffset = input.int64();
  const leaderEpoch = input.int32();
  const lag = version >= 1 ? input.int64() : -1;
  const errorCode = input.int16();
  const errorMessage = input.compactNullableString();
  input.skipTaggedFields();
  return {
    partitionIndex,
    startOffset: startOffset < 0 ? null : startOffset,
    leaderEpoch,
    lag: lag < 0 ? null : lag,
    errorCode,
    errorMessage,
  };
}

/** Describes share groups on their coordinator, or null when it does not serve ShareGroupDescribe v1. */
export async function describeShareGroups(
  coordinator: InternalBroker,
  groupIds: readonly string[],
): Promise<ShareGroupDescribeResponse | null> {
  return sendNegotiated(coordinator, {
    apiName: 'ShareGroupDescribe',
    apiKey: SHARE_GROUP_DESCRIBE_API_KEY,
    minVersion: SHARE_GROUP_DESCRIBE_VERSION,
    maxVersion: SHARE_GROUP_DESCRIBE_VERSION,
    body: () => encodeGroupDescribeRequest(groupIds),
    decode: decodeShareGroupDescribeResponse,
  });
}

/**
 * Start offsets (and from Kafka 4.2 the lag) of every share-partition of the groups, from their
 * coordinator, or null when it does not serve DescribeShareGroupOffsets.
 */
export async function describeShareGroupOffsets(
  coordinator: InternalBroker,
  groupIds: readonly string[],
): Promise<DescribeShareGroupOffsetsResponse | null> {
  return sendNegotiated(coordinator, {
    apiName: 'DescribeShareGroupOffsets',
    apiKey: DESCRIBE_SHARE_GROUP_OFFSETS_API_KEY,
    minVersion: 0,
    maxVersion: DESCRIBE_SHARE_GROUP_OFFSETS_MAX_VERSION,
    body: () => encodeDescribeShareGroupOffsetsRequest(groupIds),
    decode: decodeDescribeShareGroupOffsetsResponse,
  });
}
