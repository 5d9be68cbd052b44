/**
 * StreamsGroupDescribe (key 89) v0/v1, encoded and decoded here (kafkajs 2.2.4 predates it): streams
 * groups (KIP-1071, production-ready in Kafka 4.2), whose members are Kafka Streams clients assigned
 * tasks (a subtopology id and partitions) rather than partitions. Many groups per request: one per
 * coordinator per refresh. Per group, GROUP_ID_NOT_FOUND (69) for a group that is not a streams group.
 * The group's lag comes from its committed offsets (OffsetFetch), as for a consumer group.
 *
 * Request (body after the header's client id), from StreamsGroupDescribeRequest.json:
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   group_ids => COMPACT_ARRAY of COMPACT_STRING
 *   include_authorized_operations => BOOLEAN
 *   include_topology_description => BOOLEAN          (v1+; kafkatop asks for none)
 *   TAG_BUFFER
 *
 * Response (payload after the correlation id), from StreamsGroupDescribeResponse.json:
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   groups => COMPACT_ARRAY of
 *     error_code => INT16, error_message => COMPACT_NULLABLE_STRING, group_id => COMPACT_STRING,
 *     group_state => COMPACT_STRING, group_epoch => INT32, assignment_epoch => INT32,
 *     topology => nullable Topology (INT8 -1 null, 1 present):
 *       epoch => INT32,
 *       subtopologies => COMPACT_NULLABLE_ARRAY of
 *         subtopology_id => COMPACT_STRING, source_topics => COMPACT_ARRAY of COMPACT_STRING,
 *         repartition_sink_topics => COMPACT_ARRAY of COMPACT_STRING,
 *         state_changelog_topics => COMPACT_ARRAY of TopicInfo,
 *         repartition_source_topics => COMPACT_ARRAY of TopicInfo, TAG_BUFFER
 *       TAG_BUFFER
 *     members => COMPACT_ARRAY of
 *       member_id => COMPACT_STRING, member_epoch => INT32, instance_id => COMPACT_NULLABLE_STRING,
 *       rack_id => COMPACT_NULLABLE_STRING, client_id => COMPACT_STRING, client_host => COMPACT_STRING,
 *       topology_epoch => INT32, process_id => COMPACT_STRING,
 *       user_endpoint => nullable Endpoint { host => COMPACT_STRING, port => UINT16, TAG_BUFFER },
 *       client_tags => COMPACT_ARRAY of KeyValue,
 *       task_offsets => COMPACT_ARRAY of TaskOffset, task_end_offsets => COMPACT_ARRAY of TaskOffset,
 *       assignment => Assignment, target_assignment => Assignment, is_classic => BOOLEAN, TAG_BUFFER
 *     authorized_operations => INT32
 *     topology_description => nullable TopologyDescription (v1+; skipped: asked for none)
 *     topology_description_status => INT8 (v1+)
 *     assignor_name => COMPACT_NULLABLE_STRING (v1+)
 *     TAG_BUFFER
 *   TAG_BUFFER
 * TopicInfo: name => COMPACT_STRING, partitions => INT32, replication_factor => INT16,
 *   topic_configs => COMPACT_ARRAY of KeyValue, TAG_BUFFER
 * KeyValue: key => COMPACT_STRING, value => COMPACT_STRING, TAG_BUFFER
 * TaskOffset: subtopology_id => COMPACT_STRING, partition => INT32, offset => INT64, TAG_BUFFER
 * Assignment: active_tasks, standby_tasks, warmup_tasks => COMPACT_ARRAY of
 *   TaskIds { subtopology_id => COMPACT_STRING, partitions => COMPACT_ARRAY of INT32, TAG_BUFFER }, TAG_BUFFER
 */

import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { sendNegotiated } from './wire.js';

export const STREAMS_GROUP_DESCRIBE_API_KEY = 89;
export const STREAMS_GROUP_DESCRIBE_MAX_VERSION = 1;

export interface StreamsTopicInfo {
  name: string;
  partitions: number;
  replicationFactor: number;
  topicConfigs: { key: string; value: string }[];
}

export interface StreamsSubtopology {
  subtopologyId: string;
  sourceTopics: string[];
  repartitionSinkTopics: string[];
  stateChangelogTopics: StreamsTopicInfo[];
  repartitionSourceTopics: StreamsTopicInfo[];
}

export interface StreamsTopology {
  epoch: number;
  /** null while the broker has not yet received the topology. */
  subtopologies: StreamsSubtopology[] | null;
}

/** Tasks of one subtopology: its id and the partitions (task ids `subtopology_partition`). */
export interface StreamsTasks {
  subtopologyId: string;
  partitions: number[];
}

export interface StreamsAssignment {
  activeTasks: StreamsTasks[];
  standbyTasks: StreamsTasks[];
  warmupTasks: StreamsTasks[];
}

export interface StreamsTaskOffset {
  subtopologyId: string;
  partition: number;
  offset: number;
}

export interface StreamsGroupMember {
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  topologyEpoch: number;
  processId: string;
  /** The member's application.server (interactive queries), or null. */
  userEndpoint: { host: string; port: number } | null;
  clientTags: { key: string; value: string }[];
  /** The changelog offsets of the member's tasks, and their end offsets: how far its state is restored. */
  taskOffsets: StreamsTaskOffset[];
  taskEndOffsets: StreamsTaskOffset[];
  assignment: StreamsAssignment;
  targetAssignment: StreamsAssignment;
  isClassic: boolean;
}

export interface DescribedStreamsGroup {
  /** 0, or GROUP_ID_NOT_FOUND (69: not a streams group, or no such group), NOT_COORDINATOR (16), ... */
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  /** "Empty", "NotReady", "Assigning", "Reconciling", "Stable", "Dead", or "" on an error. */
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  topology: StreamsTopology | null;
  members: StreamsGroupMember[];
  /** v1 (KIP-1357); null before it. */
  assignorName: string | null;
}

export interface StreamsGroupDescribeResponse {
  throttleTimeMs: number;
  groups: DescribedStreamsGroup[];
}

export function encodeStreamsGroupDescribeRequest(version: number, groupIds: readonly string[]): Buffer {
  const out = new FlexibleWriter(8 + groupIds.length * 24).tags().compactStrings(groupIds).bool(false);
  if (version >= 1) out.bool(false); // include_topology_description: the nodes are not shown
  return out.tags().done();
}

export function decodeStreamsGroupDescribeResponse(
  payload: Buffer,
  version: number,
): StreamsGroupDescribeResponse {
  const input = new ProtocolReader(payload, `StreamsGroupDescribe v${version} response`);
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const count = input.uvarint() - 1;
  const groups: DescribedStreamsGroup[] = [];
  for (let i = 0; i < count; i++) groups.push(readGroup(input, version));
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, groups };
}

function readGroup(input: ProtocolReader, version: number): DescribedStreamsGroup {
  const errorCode = input.int16();
  const errorMessage = input.compactNullableString();
  const groupId = input.compactString();
  const groupState = input.compactString();
  const groupEpoch = input.int32();
  const assignmentEpoch = input.int32();
  const topology = present(input) ? readTopology(input) : null;
  const members = input.compactArray(readMember);
  input.int32(); // authorized_operations: not asked for
  let assignorName: string | null = null;
  if (version >= 1) {
    if (present(input))
      throw new Error(`StreamsGroupDescribe v${version} response: a topology description not asked for`);
    input.int8(); // topology_description_status: about the description, not asked for
    assignorName = input.compactNullableString();
  }
  input.skipTaggedFields();
  return {
    errorCode,
    errorMessage,
    groupId,
    groupState,
    groupEpoch,
    assignmentEpoch,
    topology,
    members,
    assignorName,
  };
}

/** A nullable struct's marker: -1 null, 1 present. */
function present(input: ProtocolReader): boolean {
  return input.int8() >= 0;
}

function readTopology(input: ProtocolReader): StreamsTopology {
  const epoch = input.int32();
  const length = input.uvarint();
  const subtopologies: StreamsSubtopology[] | null = length === 0 ? null : [];
  for (let i = 0; i < length - 1; i++) subtopologies!.push(readSubtopology(input));
  input.skipTaggedFields();
  return { epoch, subtopologies };
}

function readSubtopology(input: ProtocolReader): StreamsSubtopology {
  const subtopologyId = input.compactString();
  const sourceTopics = input.compactStringArray();
  const repartitionSinkTopics = input.compactStringArray();
  const stateChangelogTopics = input.compactArray(readTopicInfo);
  const repartitionSourceTopics = input.compactArray(readTopicInfo);
  input.skipTaggedFields();
  return {
    subtopologyId,
    sourceTopics,
    repartitionSinkTopics,
    stateChangelogTopics,
    repartitionSourceTopics,
  };
}

function readTopicInfo(input: ProtocolReader): StreamsTopicInfo {
  const name = input.compactString();
  const partitions = input.int32();
  const replicationFactor = input.int16();
  const topicConfigs = input.compactArray(readKeyValue);
  input.skipTaggedFields();
  return { name, partitions, replicationFactor, topicConfigs };
}

function readKeyValue(input: ProtocolReader): { key: string; value: string } {
  const key = input.compactString();
  const value = input.compactString();
  input.skipTaggedFields();
  return { key, value };
}

function readMember(input: ProtocolReader): StreamsGroupMember {
  const memberId = input.compactString();
  const memberEpoch = input.int32();
  const instanceId = input.compactNullableString();
  const rackId = input.compactNullableString();
  const clientId = input.compactString();
  const clientHost = input.compactString();
  const topologyEpoch = input.int32();
  const processId = input.compactString();
  const userEndpoint = present(input) ? readEndpoint(input) : null;
  const clientTags = input.compactArray(readKeyValue);
  const taskOffsets = input.compactArray(readTaskOffset);
  const taskEndOffsets = input.compactArray(readTaskOffset);
  const assignment = readAssignment(input);
  const targetAssignment = readAssignment(input);
  const isClassic = input.bool();
  input.skipTaggedFields();
  return {
    memberId,
    memberEpoch,
    instanceId,
    rackId,
    clientId,
    clientHost,
    topologyEpoch,
    processId,
    userEndpoint,
    clientTags,
    taskOffsets,
    taskEndOffsets,
    assignment,
    targetAssignment,
    isClassic,
  };
}

function readEndpoint(input: ProtocolReader): { host: string; port: number } {
  const host = input.compactString();
  const port = input.uint16();
  input.skipTaggedFields();
  return { host, port };
}

function readTaskOffset(input: ProtocolReader): StreamsTaskOffset {
  const subtopologyId = input.compactString();
  const partition = input.int32();
  const offset = input.int64();
  input.skipTaggedFields();
  return { subtopologyId, partition, offset };
}

function readAssignment(input: ProtocolReader): StreamsAssignment {
  const activeTasks = input.compactArray(readTasks);
  const standbyTasks = input.compactArray(readTasks);
  const warmupTasks = input.compactArray(readTasks);
  input.skipTaggedFields();
  return { activeTasks, standbyTasks, warmupTasks };
}

function readTasks(input: ProtocolReader): StreamsTasks {
  const subtopologyId = input.compactString();
  const partitions = input.compactInt32Array();
  input.skipTaggedFields();
  return { subtopologyId, partitions };
}

/** Describes streams groups on their coordinator, or null when it does not serve StreamsGroupDescribe. */
export async function describeStreamsGroups(
  coordinator: InternalBroker,
  groupIds: readonly string[],
): Promise<StreamsGroupDescribeResponse | null> {
  return sendNegotiated(coordinator, {
    apiName: 'StreamsGroupDescribe',
    apiKey: STREAMS_GROUP_DESCRIBE_API_KEY,
    minVersion: 0,
    maxVersion: STREAMS_GROUP_DESCRIBE_MAX_VERSION,
    body: (version) => encodeStreamsGroupDescribeRequest(version, groupIds),
    decode: decodeStreamsGroupDescribeResponse,
  });
}
