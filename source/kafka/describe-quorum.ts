/**
 * DescribeQuorum (key 55) v0-v2, encoded and decoded here (kafkajs 2.2.4 predates it): the KRaft metadata
 * quorum's leader, the active controller. Under KRaft, Metadata and DescribeCluster name a random broker
 * as the controller, so this is the only reliable source of it. Sent to a broker, it is forwarded to the
 * controllers; it needs Describe on the cluster.
 *
 * Request (body after the header's client id), from DescribeQuorumRequest.json (v1 and v2 = v0):
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   topics => COMPACT_ARRAY of
 *     topic_name => COMPACT_STRING   ("__cluster_metadata")
 *     partitions => COMPACT_ARRAY of { partition_index => INT32 (0), TAG_BUFFER }
 *     TAG_BUFFER
 *   TAG_BUFFER
 *
 * Response (payload after the correlation id), from DescribeQuorumResponse.json:
 *   TAG_BUFFER                       response header v1's tagged fields
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING                   (v2+)
 *   topics => COMPACT_ARRAY of
 *     topic_name => COMPACT_STRING
 *     partitions => COMPACT_ARRAY of
 *       partition_index => INT32, error_code => INT16,
 *       error_message => COMPACT_NULLABLE_STRING                (v2+)
 *       leader_id => INT32, leader_epoch => INT32, high_watermark => INT64,
 *       current_voters => COMPACT_ARRAY of ReplicaState, observers => COMPACT_ARRAY of ReplicaState,
 *       TAG_BUFFER
 *     TAG_BUFFER
 *   nodes => COMPACT_ARRAY of                                   (v2+)
 *     node_id => INT32,
 *     listeners => COMPACT_ARRAY of { name => COMPACT_STRING, host => COMPACT_STRING, port => UINT16, TAG_BUFFER }
 *     TAG_BUFFER
 *   TAG_BUFFER
 * ReplicaState:
 *   replica_id => INT32, replica_directory_id => UUID (v2+), log_end_offset => INT64,
 *   last_fetch_timestamp => INT64 (v1+), last_caught_up_timestamp => INT64 (v1+), TAG_BUFFER
 */

import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { sendNegotiated } from './wire.js';

export const DESCRIBE_QUORUM_API_KEY = 55;
export const DESCRIBE_QUORUM_MAX_VERSION = 2;
/** The KRaft metadata log: the one topic-partition a quorum describes. */
export const CLUSTER_METADATA_TOPIC = '__cluster_metadata';

export interface QuorumReplica {
  replicaId: number;
  /** v2 (KIP-853): the replica's metadata log directory id; null before v2. */
  replicaDirectoryId: string | null;
  logEndOffset: number;
  /**
   * Leader wall-clock ms of the replica's last fetch; null when unknown (-1: the leader itself, a voter
   * not heard from, or before v1).
   */
  lastFetchTimestamp: number | null;
  /** Leader wall-clock ms of the offset the replica's last fetch caught up to; null when unknown. */
  lastCaughtUpTimestamp: number | null;
}

export interface QuorumPartition {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
  /** The active controller's node id; -1 while there is no leader. */
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  currentVoters: QuorumReplica[];
  observers: QuorumReplica[];
}

export interface QuorumNodeListener {
  name: string;
  host: string;
  port: number;
}

export interface QuorumNode {
  nodeId: number;
  listeners: QuorumNodeListener[];
}

export interface DescribeQuorumResponse {
  errorCode: number;
  errorMessage: string | null;
  topics: { topicName: string; partitions: QuorumPartition[] }[];
  /** v2: the voters' controller listeners; empty before v2. */
  nodes: QuorumNode[];
}

/** The request is the same bytes at every version: partition 0 of the metadata log. */
export function encodeDescribeQuorumRequest(): Buffer {
  return new FlexibleWriter(32)
    .tags()
    .uvarint(2) // topics: 1
    .compactString(CLUSTER_METADATA_TOPIC)
    .uvarint(2) // partitions: 1
    .int32(0)
    .tags()
    .tags()
    .tags()
    .done();
}

export function decodeDescribeQuorumResponse(payload: Buffer, version: number): DescribeQuorumResponse {
  const input = new ProtocolReader(payload, `DescribeQuorum v${version} response`);
  input.skipTaggedFields(); // response header v1
  const errorCode = input.int16();
  const errorMessage = version >= 2 ? input.compactNullableString() : null;
  const topics: DescribeQuorumResponse['topics'] = [];
  const topicCount = input.uvarint() - 1;
  for (let t = 0; t < topicCount; t++) {
    const topicName = input.compactString();
    const partitions: QuorumPartition[] = [];
    const partitionCount = input.uvarint() - 1;
    for (let p = 0; p < partitionCount; p++) partitions.push(readPartition(input, version));
    input.skipTaggedFields();
    topics.push({ topicName, partitions });
  }
  const nodes = version >= 2 ? input.compactArray(readNode) : [];
  input.skipTaggedFields();
  input.end();
  return { errorCode, errorMessage, topics, nodes };
}

function readPartition(input: ProtocolReader, version: number): QuorumPartition {
  const partitionIndex = input.int32();
  const errorCode = input.int16();
  const errorMessage = version >= 2 ? input.compactNullableString() : null;
  const leaderId = input.int32();
  const leaderEpoch = input.int32();
  const highWatermark = input.int64();
  const currentVoters = readReplicas(input, version);
  const observers = readReplicas(input, version);
  input.skipTaggedFields();
  return {
    partitionIndex,
    errorCode,
    errorMessage,
    leaderId,
    leaderEpoch,
    highWatermark,
    currentVoters,
    observers,
  };
}

function readReplicas(input: ProtocolReader, version: number): QuorumReplica[] {
  const count = input.uvarint() - 1;
  const replicas: QuorumReplica[] = [];
  for (let i = 0; i < count; i++) {
    const replicaId = input.int32();
    const replicaDirectoryId = version >= 2 ? input.uuid() : null;
    const logEndOffset = input.int64();
    const lastFetchTimestamp = version >= 1 ? known(input.int64()) : null;
    const lastCaughtUpTimestamp = version >= 1 ? known(input.int64()) : null;
    input.skipTaggedFields();
    replicas.push({ replicaId, replicaDirectoryId, logEndOffset, lastFetchTimestamp, lastCaughtUpTimestamp });
  }
  return replicas;
}

/** -1 is the schema's "unknown". */
function known(timestamp: number): number | null {
  return timestamp < 0 ? null : timestamp;
}

function readNode(input: ProtocolReader): QuorumNode {
  const nodeId = input.int32();
  const listeners = input.compactArray(readListener);
  input.skipTaggedFields();
  return { nodeId, listeners };
}

function readListener(input: ProtocolReader): QuorumNodeListener {
  const name = input.compactString();
  const host = input.compactString();
  const port = input.uint16();
  input.skipTaggedFields();
  return { name, host, port };
}

/** The metadata quorum, from any broker, or null when the broker does not advertise DescribeQuorum. */
export async function describeQuorum(broker: InternalBroker): Promise<DescribeQuorumResponse | null> {
  return sendNegotiated(broker, {
    apiName: 'DescribeQuorum',
    apiKey: DESCRIBE_QUORUM_API_KEY,
    minVersion: 0,
    maxVersion: DESCRIBE_QUORUM_MAX_VERSION,
    body: () => encodeDescribeQuorumRequest(),
    decode: decodeDescribeQuorumResponse,
  });
}
