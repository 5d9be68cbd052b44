/**
 * ListPartitionReassignments (key 46) v0, encoded and decoded here (kafkajs 2.2.4 cannot send it): the
 * partitions being moved (kafka-reassign-partitions.sh, Cruise Control, a broker decommission) with the
 * replicas being added and removed. While one moves, its replica list holds both the old and the new
 * replicas and the ISR lacks the new ones until they catch up: under-replicated by count, an operation in
 * progress in fact. Answered by the controller (a broker forwards it); needs Describe on the cluster.
 *
 * Request (body after the header's client id), from ListPartitionReassignmentsRequest.json:
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   timeout_ms => INT32
 *   topics => COMPACT_NULLABLE_ARRAY (null: every reassignment)
 *   TAG_BUFFER
 *
 * Response (payload after the correlation id), from ListPartitionReassignmentsResponse.json:
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32, error_code => INT16, error_message => COMPACT_NULLABLE_STRING
 *   topics => COMPACT_ARRAY of
 *     name => COMPACT_STRING
 *     partitions => COMPACT_ARRAY of
 *       partition_index => INT32, replicas => COMPACT_ARRAY of INT32,
 *       adding_replicas => COMPACT_ARRAY of INT32, removing_replicas => COMPACT_ARRAY of INT32, TAG_BUFFER
 *     TAG_BUFFER
 *   TAG_BUFFER
 */

import type { PartitionReassignment } from '../snapshot.js';
import type { RawMetadata } from './collected.js';
import type { StageContext } from './context.js';
import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { errorMessage } from './text.js';
import { errorType, sendNegotiated } from './wire.js';

export const LIST_PARTITION_REASSIGNMENTS_API_KEY = 46;
export const LIST_PARTITION_REASSIGNMENTS_MAX_VERSION = 0;

export interface OngoingReassignment {
  topic: string;
  partition: number;
  replicas: number[];
  adding: number[];
  removing: number[];
}

export interface ListPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  reassignments: OngoingReassignment[];
}

/** Every ongoing reassignment; the controller answers within `timeoutMs`. */
export function encodeListPartitionReassignmentsRequest(timeoutMs: number): Buffer {
  return new FlexibleWriter(16).tags().int32(timeoutMs).uvarint(0).tags().done();
}

export function decodeListPartitionReassignmentsResponse(
  payload: Buffer,
): ListPartitionReassignmentsResponse {
  const input = new ProtocolReader(payload, 'ListPartitionReassignments response');
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const errorCode = input.int16();
  const errorMessage = input.compactNullableString();
  const reassignments: OngoingReassignment[] = [];
  const topicCount = input.uvarint() - 1;
  for (let t = 0; t < topicCount; t++) {
    const topic = input.compactString();
    const partitionCount = input.uvarint() - 1;
    for (let p = 0; p < partitionCount; p++) {
      const partition = input.int32();
      const replicas = input.compactInt32Array();
      const adding = input.compactInt32Array();
      const removing = input.compactInt32Array();
      input.skipTaggedFields();
      reassignments.push({ topic, partition, replicas, adding, removing });
    }
    input.skipTaggedFields();
  }
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, errorCode, errorMessage, reassignments };
}

/** The ongoing reassignments, or null when the broker does not advertise the API (before Kafka 2.4). */
export async function listPartitionReassignments(
  broker: InternalBroker,
  timeoutMs: number,
): Promise<ListPartitionReassignmentsResponse | null> {
  return sendNegotiated(broker, {
    apiName: 'ListPartitionReassignments',
    apiKey: LIST_PARTITION_REASSIGNMENTS_API_KEY,
    minVersion: 0,
    maxVersion: LIST_PARTITION_REASSIGNMENTS_MAX_VERSION,
    body: () => encodeListPartitionReassignmentsRequest(timeoutMs),
    decode: (payload) => decodeListPartitionReassignmentsResponse(payload),
  });
}

/**
 * When to ask. An ongoing reassignment's new replicas stay out of the ISR until they catch up, and the
 * controller completes it as soon as they are in, so while none was seen last time, and no partition in the
 * metadata lacks an ISR member, there is nothing to find: the request is sent only then, or on the slowly
 * changing data's full read (every 30 s), which catches the rest. On a healthy cluster: one request in 15
 * refreshes instead of one per refresh.
 */
export interface ReassignmentWatch {
  /** The last answer, carried through a failed request so that a failure does not read as every end. */
  last: Map<string, Map<number, PartitionReassignment>>;
}

export function createReassignmentWatch(): ReassignmentWatch {
  return { last: new Map() };
}

function anyIsrShort(metadata: RawMetadata | null): boolean {
  for (const topic of metadata?.topicMetadata ?? []) {
    for (const p of topic.partitionMetadata) if (p.isr.length < p.replicas.length) return true;
  }
  return false;
}

const REQUEST_TIMEOUT_MS = 5000;

export async function collectReassignments(
  ctx: StageContext,
  watch: ReassignmentWatch,
  fullRead: boolean,
): Promise<void> {
  const collected = ctx.collected;
  if (!fullRead && watch.last.size === 0 && !anyIsrShort(collected.metadata)) return;
  try {
    const { result } = await ctx.limit(() =>
      ctx.connections.anyBroker((broker) => listPartitionReassignments(broker, REQUEST_TIMEOUT_MS)),
    );
    if (result === null) return; // not served (Kafka before 2.4): never any
    if (result.errorCode !== 0) {
      throw new Error(
        `${errorType(result.errorCode)}${result.errorMessage ? `: ${result.errorMessage}` : ''}`,
      );
    }
    const found = new Map<string, Map<number, PartitionReassignment>>();
    for (const r of result.reassignments) {
      let byPartition = found.get(r.topic);
      if (!byPartition) {
        byPartition = new Map();
        found.set(r.topic, byPartition);
      }
      byPartition.set(r.partition, { adding: r.adding, removing: r.removing });
    }
    watch.last = found;
  } catch (error) {
    collected.errors.push({
      source: 'reassignments',
      message: ctx.clean(`ListPartitionReassignments: ${errorMessage(error)}`),
    });
  }
  collected.reassignments = watch.last;
}
