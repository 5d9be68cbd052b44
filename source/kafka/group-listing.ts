/**
 * ListGroups with each group's type: our own v3-v5 (list-groups.ts) where the broker serves it, else
 * kafkajs's v2. Before v5 (brokers before 3.8) the type is inferred from the protocol type, as Kafka's
 * own tools do (`inferGroupType`); DescribeGroups then tells a consumer-protocol group by what it cannot
 * see (groups.ts). An unchanged answer is not decoded again (answer-memo.ts), as for kafkajs's own: a
 * broker's group list rarely changes between refreshes.
 */
import type { GroupType } from '../snapshot.js';
import { type AnswerMemo, decodeOnce } from './answer-memo.js';
import type { InternalBroker, ProtocolResponse } from './kafkajs-internals.js';
import {
  decodeListGroupsResponse,
  encodeListGroupsRequest,
  inferGroupType,
  LIST_GROUPS_API_KEY,
  LIST_GROUPS_MAX_VERSION,
  LIST_GROUPS_MIN_VERSION,
} from './list-groups.js';
import { errorType, maxVersion, sendEncoded, sendRaw } from './wire.js';

export interface TypedListedGroup {
  groupId: string;
  protocolType: string;
  /** From ListGroups v5, else inferred from the protocol type. */
  type: GroupType;
}

interface ListGroupsV2Response {
  errorCode: number;
  groups: Array<{ groupId: string; protocolType: string }>;
}

const GROUP_TYPES = new Set<string>(['classic', 'consumer', 'share', 'streams']);

/**
 * One decoder object per version, so the memo knows an answer was read by the same decoder. The groups
 * it yields are the memo's value, handed back while the answer is unchanged: nothing writes into them.
 */
const decoders = new Map<number, ProtocolResponse>();
function decoderFor(version: number): ProtocolResponse {
  let decoder = decoders.get(version);
  if (!decoder) {
    decoder = {
      decode: async (payload) => {
        const response = decodeListGroupsResponse(payload, version);
        const groups: TypedListedGroup[] = response.groups.map((g) => ({
          groupId: g.groupId,
          protocolType: g.protocolType,
          // Inferred before v5. A type this kafkatop does not know (a newer broker's) is described the
          // classic way.
          type: GROUP_TYPES.has(g.groupType) ? (g.groupType as GroupType) : 'classic',
        }));
        return { errorCode: response.errorCode, groups };
      },
      parse: async (data) => data,
    };
    decoders.set(version, decoder);
  }
  return decoder;
}

/** kafkajs's v2 groups, typed once per decoded answer: an unchanged answer is the memo's same object. */
const typedV2Groups = new WeakMap<ListGroupsV2Response, TypedListedGroup[]>();
function typedV2(v2: ListGroupsV2Response): TypedListedGroup[] {
  let groups = typedV2Groups.get(v2);
  if (!groups) {
    groups = v2.groups.map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType,
      type: inferGroupType(g.protocolType),
    }));
    typedV2Groups.set(v2, groups);
  }
  return groups;
}

/** The groups a broker coordinates, typed where it says; throws on a request or top-level error. */
export async function listTypedGroups(broker: InternalBroker, memo: AnswerMemo): Promise<TypedListedGroup[]> {
  const version = Math.min(await maxVersion(broker, LIST_GROUPS_API_KEY), LIST_GROUPS_MAX_VERSION);
  let response: { errorCode: number; groups: TypedListedGroup[] };
  if (version >= LIST_GROUPS_MIN_VERSION) {
    const decoder = decoderFor(version);
    response = await sendEncoded(broker, {
      apiName: 'ListGroups',
      apiKey: LIST_GROUPS_API_KEY,
      apiVersion: version,
      body: encodeListGroupsRequest(version),
      decode: (payload) => decodeOnce(memo, payload, decoder, version) as Promise<typeof response>,
    });
  } else {
    const v2 = await sendRaw<ListGroupsV2Response>(broker, 'ListGroups', {}, memo);
    response = { errorCode: v2.errorCode, groups: typedV2(v2) };
  }
  if (response.errorCode !== 0) throw new Error(errorType(response.errorCode));
  return response.groups;
}
