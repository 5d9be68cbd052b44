/**
 * ListGroups v3-v5, encoded and decoded here: kafkajs 2.2.4 speaks it only up to v2, whose answer has no
 * group state and no group type. v5 (KIP-848, Kafka >= 3.8) names each group's type: classic, consumer
 * (the KIP-848 protocol), share (KIP-932) or streams (KIP-1071); v4 (KIP-518) its state. A broker lists
 * only the groups it coordinates, so the request goes to every broker.
 *
 * Request (body after the header's client id), from ListGroupsRequest.json; flexible from v3:
 *   TAG_BUFFER                       request header v2's tagged fields (kafkajs writes header v1)
 *   states_filter => COMPACT_ARRAY of COMPACT_STRING   (v4+; empty: every state)
 *   types_filter => COMPACT_ARRAY of COMPACT_STRING    (v5+; empty: every type)
 *   TAG_BUFFER
 *
 * Response (payload after the correlation id), from ListGroupsResponse.json:
 *   TAG_BUFFER                       response header v1's tagged fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => COMPACT_ARRAY of
 *     group_id => COMPACT_STRING
 *     protocol_type => COMPACT_STRING   ("consumer", "share", "streams", "connect", "" ...)
 *     group_state => COMPACT_STRING     (v4+, e.g. "Stable", "Empty", "Assigning", "Reconciling")
 *     group_type => COMPACT_STRING      (v5+: "classic", "consumer", "share", "streams")
 *     TAG_BUFFER
 *   TAG_BUFFER
 */

import type { InternalBroker } from './kafkajs-internals.js';
import { ProtocolReader } from './protocol-reader.js';
import { FlexibleWriter } from './protocol-writer.js';
import { sendNegotiated } from './wire.js';

export const LIST_GROUPS_API_KEY = 16;
/** The first flexible version; before it, kafkajs's own ListGroups v2 serves (answers without a state). */
export const LIST_GROUPS_MIN_VERSION = 3;
export const LIST_GROUPS_MAX_VERSION = 5;

/** Group types as Kafka names them (GroupType.java); a newer broker may name others. */
export type GroupType = 'classic' | 'consumer' | 'share' | 'streams';

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** null before v4. */
  groupState: string | null;
  /** From the broker on v5; before it inferred from the protocol type (see `inferGroupType`). */
  groupType: string;
  /** true when groupType came from the broker, false when inferred. */
  groupTypeFromBroker: boolean;
}

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroup[];
}

/**
 * A group's type from its protocol type, for answers before v5 (brokers before 3.8, and kafkajs's v2).
 * Share and streams groups say so in their protocol type. A "consumer" protocol type is classic here:
 * brokers that answer without types had no production-ready consumer protocol (it is GA from 4.0, and
 * 4.0 answers v5). On a broker that answers v5 a ConsumerGroupDescribe error 69 ("not a consumer group")
 * is what tells a classic group from a consumer-protocol one.
 */
export function inferGroupType(protocolType: string): GroupType {
  return protocolType === 'share' || protocolType === 'streams' ? protocolType : 'classic';
}

export interface ListGroupsFilter {
  /** States to list (v4+), e.g. ["Stable"]; empty or absent: every state. */
  states?: readonly string[];
  /** Types to list (v5+), e.g. ["share"]; empty or absent: every type. */
  types?: readonly string[];
}

export function encodeListGroupsRequest(version: number, filter: ListGroupsFilter = {}): Buffer {
  const out = new FlexibleWriter(8).tags();
  if (version >= 4) out.compactStrings(filter.states ?? []);
  if (version >= 5) out.compactStrings(filter.types ?? []);
  return out.tags().done();
}

export function decodeListGroupsResponse(payload: Buffer, version: number): ListGroupsResponse {
  const input = new ProtocolReader(payload, `ListGroups v${version} response`);
  input.skipTaggedFields(); // response header v1
  const throttleTimeMs = input.int32();
  const errorCode = input.int16();
  const count = input.uvarint() - 1;
  const groups: ListedGroup[] = [];
  for (let i = 0; i < count; i++) {
    const groupId = input.compactString();
    const protocolType = input.compactString();
    const groupState = version >= 4 ? input.compactString() : null;
    const typed = version >= 5;
    const groupType = typed ? input.compactString() : inferGroupType(protocolType);
    input.skipTaggedFields();
    groups.push({ groupId, protocolType, groupState, groupType, groupTypeFromBroker: typed });
  }
  input.skipTaggedFields();
  input.end();
  return { throttleTimeMs, errorCode, groups };
}

/**
 * The groups a broker coordinates, at the highest version both sides speak, or null when the broker
 * speaks none from v3 (the caller keeps kafkajs's ListGroups v2 there).
 */
export async function listGroups(
  broker: InternalBroker,
  filter: ListGroupsFilter = {},
): Promise<ListGroupsResponse | null> {
  return sendNegotiated(broker, {
    apiName: 'ListGroups',
    apiKey: LIST_GROUPS_API_KEY,
    minVersion: LIST_GROUPS_MIN_VERSION,
    maxVersion: LIST_GROUPS_MAX_VERSION,
    body: (version) => encodeListGroupsRequest(version, filter),
    decode: decodeListGroupsResponse,
  });
}
