/**
 * ConsumerGroupDescribe (key 69) v0/v1, encoded and decoded here: kafkajs 2.2.4 predates it, and its
 * DescribeGroups answers "Dead" with no members for a KIP-848 consumer-protocol group. Many groups per
 * request, so a refresh sends one per coordinator. Assignments carry topic names as well as topic ids,
 * so no topic-id lookup is needed to read them.
 *
 * Per group, error GROUP_ID_NOT_FOUND (69) with "Group X is not a consumer group." means a classic group
 * (describe it with DescribeGroups, as ConsumerGroupCommand 4.4 does); 69 for a group that does not
 * exist reads "Group X not found.". Kafka 3.9.1 advertises v0 but answers UNSUPPORTED_VERSION (35) for
 * each group while the consumer protocol is off (its default): the API is not available there.
 *
 * Request (body after the header's client id), from ConsumerGroupDescribeRequest.json (v1 = v0):
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   group_ids => COMPACT_ARRAY of COMPACT_STRING
 *   include_authorized_operations => BOOLEAN
 *   TAG_BUFFER
 *
 * Response (payload after the correlation id), from ConsumerGroupDescribeResponse.json:
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   groups => COMPACT_ARRAY of
 *     error_code => INT16, error_message => COMPACT_NULLABLE_STRING, group_id => COMPACT_STRING,
 *     group_state => COMPACT_STRING, group_epoch => INT32, assignment_epoch => INT32,
 *     assignor_name => COMPACT_STRING,
 *     members => COMPACT_ARRAY of
 *       member_id => COMPACT_STRING, instance_id => COMPACT_NULLABLE_STRING,
 *       rack_id => COMPACT_NULLABLE_STRING, member_epoch => INT32, client_id => COMPACT_STRING,
 *       client_host => COMPACT_STRING, subscribed_topic_names => COMPACT_ARRAY of COMPACT_STRING,
 *       subscribed_topic_regex => COMPACT_NULLABLE_STRING,
 *       assignment => Assignment, target_assignment => Assignment,
 *       member_type => INT8 (v1+: -1 unknown, 0 classic member, 1 consumer member)
 *       TAG_BUFFER
 *     authorized_operations => INT32
 *     TAG_BUFFER
 *   TAG_BUFFER
 * Assignment (shared with ShareGroupDescribe):
 *   topic_partitions => COMPACT_ARRAY of
 *     topic_id => UUID, topic_name => COMPACT_STRING, partitions => COMPACT_ARRAY of INT32, TAG_BUFFER
 *   TAG_BUFFER
 */

import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { sendNegotiated } from './wire.js';

export const CONSUMER_GROUP_DESCRIBE_API_KEY = 69;
export const CONSUMER_GROUP_DESCRIBE_MAX_VERSION = 1;

export interface AssignedTopic {
  /** Kafka's topic id, as Kafka prints it (URL-safe base64). */
  topicId: string;
  topicName: string;
  partitions: number[];
}

export interface ConsumerGroupMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  /** A broker-side (RE2J) regex subscription; null for a subscription by names. */
  subscribedTopicRegex: string | null;
  assignment: AssignedTopic[];
  targetAssignment: AssignedTopic[];
  /** v1 (KIP-1099): 0 a classic member of an upgraded group, 1 a consumer member, -1 unknown (and v0). */
  memberType: number;
}

export interface DescribedConsumerGroup {
  /** 0, or GROUP_ID_NOT_FOUND (69: classic group or no such group), UNSUPPORTED_VERSION (35), ... */
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  /** "Empty", "Assigning", "Reconciling", "Stable", "Dead", or "" on an error. */
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: ConsumerGroupMember[];
}

export interface ConsumerGroupDescribeResponse {
  throttleTimeMs: number;
  groups: DescribedConsumerGroup[];
}

/** The request body of ConsumerGroupDescribe and ShareGroupDescribe (the same fields). */
export function encodeGroupDescribeRequest(groupIds: readonly string[]): Buffer {
  return new FlexibleWriter(8 + groupIds.length * 24)
    .tags()
    .compactStrings(groupIds)
    .bool(false) // include_authorized_operations: kafkatop shows none
    .tags()
    .done();
}

export function decodeConsumerGroupDescribeResponse(
  payload: Buffer,
  version: number,
): ConsumerGroupDescribeResponse {
  const input = new ProtocolReader(payload, `ConsumerGroupDescribe v${version} response`);
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const count = input.uvarint() - 1;
  const groups: DescribedConsumerGroup[] = [];
  for (let i = 0; i < count; i++) groups.push(readGroup(input, version));
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, groups };
}

function readGroup(input: ProtocolReader, version: number): DescribedConsumerGroup {
  const errorCode = input.int16();
  const errorMessage = input.compactNullableString();
  const groupId = input.compactString();
  const groupState = input.compactString();
  const groupEpoch = input.int32();
  const assignmentEpoch = input.int32();
  const assignorName = input.compactString();
  const count = input.uvarint() - 1;
  const members: ConsumerGroupMember[] = [];
  for (let i = 0; i < count; i++) members.push(readMember(input, version));
  input.int32(); // authorized_operations: not asked for
  input.skipTaggedFields();
  return { errorCode, errorMessage, groupId, groupState, groupEpoch, assignmentEpoch, assignorName, members };
}

function readMember(input: ProtocolReader, version: number): ConsumerGroupMember {
  const memberId = input.compactString();
  const instanceId = input.compactNullableString();
  const rackId = input.compactNullableString();
  const memberEpoch = input.int32();
  const clientId = input.compactString();
  const clientHost = input.compactString();
  const subscribedTopicNames = input.compactStringArray();
  // Kafka 4.4 answers "" rather than null for a member that subscribed by names.
  const subscribedTopicRegex = input.compactNullableString() || null;
  const assignment = readAssignment(input);
  const targetAssignment = readAssignment(input);
  const memberType = version >= 1 ? input.int8() : -1;
  input.skipTaggedFields();
  return {
    memberId,
    instanceId,
    rackId,
    memberEpoch,
    clientId,
    clientHost,
    subscribedTopicNames,
    subscribedTopicRegex,
    assignment,
    targetAssignment,
    memberType,
  };
}

/** Assignment (commonStructs of ConsumerGroupDescribe and ShareGroupDescribe). */
export function readAssignment(input: ProtocolReader): AssignedTopic[] {
  const topics = input.compactArray(readAssignedTopic);
  input.skipTaggedFields();
  return topics;
}

function readAssignedTopic(input: ProtocolReader): AssignedTopic {
  const topicId = input.uuid();
  const topicName = input.compactString();
  const partitions = input.compactInt32Array();
  input.skipTaggedFields();
  return { topicId, topicName, partitions };
}

/**
 * Describes consumer-protocol groups on their coordinator, or null when the broker does not advertise
 * ConsumerGroupDescribe (before 3.7). Per-group errors are in the answer (see the module comment).
 */
export async function describeConsumerGroups(
  coordinator: InternalBroker,
  groupIds: readonly string[],
): Promise<ConsumerGroupDescribeResponse | null> {
  return sendNegotiated(coordinator, {
    apiName: 'ConsumerGroupDescribe',
    apiKey: CONSUMER_GROUP_DESCRIBE_API_KEY,
    minVersion: 0,
    maxVersion: CONSUMER_GROUP_DESCRIBE_MAX_VERSION,
    body: () => encodeGroupDescribeRequest(groupIds),
    decode: decodeConsumerGroupDescribeResponse,
  });
}
