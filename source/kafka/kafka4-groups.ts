/**
 * The groups classic DescribeGroups cannot see (it answers Dead with no members for all three), described
 * with the Kafka 4 APIs, each batched per coordinator (one request per coordinator per API, never one per
 * group): consumer-protocol groups by ConsumerGroupDescribe, share groups by ShareGroupDescribe and
 * DescribeShareGroupOffsets, streams groups by StreamsGroupDescribe (their lag comes from their committed
 * offsets, as a consumer group's). Only groups ListGroups v5 typed are sent here. A group one of these
 * APIs does not describe (error 69 "not a consumer group": classic after all; 35 on Kafka 3.9.1, whose
 * consumer protocol is off by default) is described the classic way. A share or streams API a coordinator
 * does not serve at a version we speak (Kafka 4.0's early-access ShareGroupDescribe v0) is noted once for
 * the cluster, not an error per group. Unchanged answers are not decoded again (answer-memo.ts).
 */
import { type AnswerMemo, createAnswerMemo, decodeOnce } from './answer-memo.js';
import type { CollectedGroup, GroupDescription } from './collected.js';
import { noteBrokerError, noteUnserved } from './collected.js';
import {
  CONSUMER_GROUP_DESCRIBE_API_KEY,
  CONSUMER_GROUP_DESCRIBE_MAX_VERSION,
  type DescribedConsumerGroup,
  decodeConsumerGroupDescribeResponse,
  encodeGroupDescribeRequest,
} from './consumer-group-describe.js';
import type { StageContext } from './context.js';
import { byCoordinator, describeGroups, fail, type GroupCache, MOVED } from './groups.js';
import {
  describeConsumerGroup,
  describeShareGroup,
  describeStreamsGroup,
  shareOffsetsOf,
} from './kafka4-descriptions.js';
import type { InternalBroker, ProtocolResponse } from './kafkajs-internals.js';
import {
  DESCRIBE_SHARE_GROUP_OFFSETS_API_KEY,
  DESCRIBE_SHARE_GROUP_OFFSETS_MAX_VERSION,
  type DescribedShareGroup,
  decodeDescribeShareGroupOffsetsResponse,
  decodeShareGroupDescribeResponse,
  encodeDescribeShareGroupOffsetsRequest,
  SHARE_GROUP_DESCRIBE_API_KEY,
  SHARE_GROUP_DESCRIBE_VERSION,
  type ShareGroupOffsets,
} from './share-groups.js';
import {
  type DescribedStreamsGroup,
  decodeStreamsGroupDescribeResponse,
  encodeStreamsGroupDescribeRequest,
  STREAMS_GROUP_DESCRIBE_API_KEY,
  STREAMS_GROUP_DESCRIBE_MAX_VERSION,
} from './streams-group-describe.js';
import { errorMessage } from './text.js';
import { errorType, GROUP_ID_NOT_FOUND, sendNegotiated } from './wire.js';

export const UNSUPPORTED_VERSION = 35;

/** One Kafka 4 group API: how to ask it about many groups, and what each answer means. */
interface GroupApi<G extends { groupId: string; errorCode: number }> {
  name: string;
  apiKey: number;
  minVersion: number;
  maxVersion: number;
  encode(version: number, groupIds: readonly string[]): Buffer;
  decode(payload: Buffer, version: number): { groups: G[] };
  /** Applies one group's answer (errorCode 0, or one not handled by the caller). */
  apply(ctx: StageContext, group: CollectedGroup, answer: G): void;
  /** What snapshot notes say when a coordinator does not serve the api at a version we speak. */
  unserved: string;
}

/** Per api and version, one decoder object: the memo re-reads nothing a decoder already read. */
const decoders = new Map<string, ProtocolResponse>();
function decoderFor(api: GroupApi<never>, version: number): ProtocolResponse {
  const key = `${api.name} ${version}`;
  let decoder = decoders.get(key);
  if (!decoder) {
    decoder = { decode: async (payload) => api.decode(payload, version), parse: async (data) => data };
    decoders.set(key, decoder);
  }
  return decoder;
}

function memoFor(cache: GroupCache, api: string, nodeId: number): AnswerMemo {
  const key = `${api} ${nodeId}`;
  let memo = cache.answers.get(key);
  if (!memo) {
    memo = createAnswerMemo();
    cache.answers.set(key, memo);
  }
  return memo;
}

/** The answer for these groups, or null when the coordinator does not serve the api at a version we speak. */
async function ask<G extends { groupId: string; errorCode: number }>(
  api: GroupApi<G>,
  broker: InternalBroker,
  groupIds: readonly string[],
  memo: AnswerMemo,
): Promise<G[] | null> {
  const response = await sendNegotiated(broker, {
    apiName: api.name,
    apiKey: api.apiKey,
    minVersion: api.minVersion,
    maxVersion: api.maxVersion,
    body: (version) => api.encode(version, groupIds),
    decode: (payload, version) =>
      decodeOnce(memo, payload, decoderFor(api as unknown as GroupApi<never>, version), version) as Promise<{
        groups: G[];
      }>,
  });
  return response === null ? null : response.groups;
}

/** The groups an api did not describe: its coordinator does not serve it, or it answered 69 or 35. */
interface NotDescribed {
  unserved: string[];
  elsewhere: string[];
}

/**
 * Asks `api` about the groups, one request per coordinator; a group whose coordinator moved is looked up
 * again and asked once more. Returns the groups the api does not describe.
 */
async function describeOnCoordinators<G extends { groupId: string; errorCode: number }>(
  ctx: StageContext,
  cache: GroupCache,
  api: GroupApi<G>,
  groupIds: string[],
): Promise<NotDescribed> {
  const unserved: string[] = [];
  const elsewhere: string[] = [];
  let pending = groupIds;
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const retry: string[] = [];
    const { groups, unknown } = await byCoordinator(ctx, cache, pending, round > 0);
    for (const { groupId, error } of unknown) fail(ctx, groupId, `${api.name}: ${errorMessage(error)}`);
    await Promise.all(
      [...groups].map(([nodeId, ids]) =>
        ctx.limit(async () => {
          try {
            const broker = ctx.connections.get(nodeId);
            if (!broker) throw new Error(`coordinator ${nodeId} not in cluster metadata`);
            const answers = await ask(api, broker, ids, memoFor(cache, api.name, nodeId));
            if (answers === null) {
              unserved.push(...ids);
              return;
            }
            for (const answer of answers) {
              const group = ctx.collected.groups.get(answer.groupId);
              if (!group) continue;
              const code = answer.errorCode;
              if (MOVED.has(code) && round === 0) retry.push(answer.groupId);
              else if (code === GROUP_ID_NOT_FOUND || code === UNSUPPORTED_VERSION)
                elsewhere.push(answer.groupId);
              else api.apply(ctx, group, answer);
            }
          } catch (error) {
            if (round === 0) retry.push(...ids);
            else for (const id of ids) fail(ctx, id, `${api.name}: ${errorMessage(error)}`);
            noteBrokerError(ctx.collected, nodeId, ctx.clean(`${api.name}: ${errorMessage(error)}`));
          }
        }),
      ),
    );
    pending = retry;
  }
  return { unserved, elsewhere };
}

function described(ctx: StageContext, api: string, group: CollectedGroup, code: number): boolean {
  if (code === 0) return true;
  fail(ctx, group.groupId, `${api}: ${errorType(code)}`);
  return false;
}

function setDescription(
  group: CollectedGroup,
  description: GroupDescription,
  consumerProtocol: boolean,
): void {
  group.description = description;
  group.consumerProtocol = consumerProtocol;
}

const consumerGroupDescribe: GroupApi<DescribedConsumerGroup> = {
  name: 'ConsumerGroupDescribe',
  apiKey: CONSUMER_GROUP_DESCRIBE_API_KEY,
  minVersion: 0,
  maxVersion: CONSUMER_GROUP_DESCRIBE_MAX_VERSION,
  encode: (_version, ids) => encodeGroupDescribeRequest(ids),
  decode: decodeConsumerGroupDescribeResponse,
  apply(ctx, group, answer) {
    if (described(ctx, this.name, group, answer.errorCode))
      setDescription(group, describeConsumerGroup(answer), true);
  },
  // Not noted: such a group is described the classic way.
  unserved: '',
};

const shareGroupDescribe: GroupApi<DescribedShareGroup> = {
  name: 'ShareGroupDescribe',
  apiKey: SHARE_GROUP_DESCRIBE_API_KEY,
  minVersion: SHARE_GROUP_DESCRIBE_VERSION,
  maxVersion: SHARE_GROUP_DESCRIBE_VERSION,
  encode: (_version, ids) => encodeGroupDescribeRequest(ids),
  decode: decodeShareGroupDescribeResponse,
  apply(ctx, group, answer) {
    if (described(ctx, this.name, group, answer.errorCode))
      setDescription(group, describeShareGroup(answer), false);
  },
  // Kafka 4.0's early-access share groups answer ShareGroupDescribe v0 only, a version we do not speak.
  unserved: `share groups: ShareGroupDescribe v${SHARE_GROUP_DESCRIBE_VERSION} not served by this broker (Kafka 4.1+)`,
};

const describeShareGroupOffsets: GroupApi<ShareGroupOffsets> = {
  name: 'DescribeShareGroupOffsets',
  apiKey: DESCRIBE_SHARE_GROUP_OFFSETS_API_KEY,
  minVersion: 0,
  maxVersion: DESCRIBE_SHARE_GROUP_OFFSETS_MAX_VERSION,
  encode: (_version, ids) => encodeDescribeShareGroupOffsetsRequest(ids),
  decode: decodeDescribeShareGroupOffsetsResponse,
  apply(ctx, group, answer) {
    if (!described(ctx, this.name, group, answer.errorCode)) return;
    const { offsets, failed } = shareOffsetsOf(answer);
    group.shareOffsets = offsets;
    if (failed.length > 0) fail(ctx, group.groupId, `${this.name}: ${failed.join(', ')}`);
  },
  unserved: 'share groups: DescribeShareGroupOffsets not served by this broker (Kafka 4.1+)',
};

const streamsGroupDescribe: GroupApi<DescribedStreamsGroup> = {
  name: 'StreamsGroupDescribe',
  apiKey: STREAMS_GROUP_DESCRIBE_API_KEY,
  minVersion: 0,
  maxVersion: STREAMS_GROUP_DESCRIBE_MAX_VERSION,
  encode: encodeStreamsGroupDescribeRequest,
  decode: decodeStreamsGroupDescribeResponse,
  apply(ctx, group, answer) {
    if (described(ctx, this.name, group, answer.errorCode))
      setDescription(group, describeStreamsGroup(answer), false);
  },
  unserved: 'streams groups: StreamsGroupDescribe not served by this broker (Kafka 4.1+)',
};

/** Describes the consumer-protocol, share and streams groups ListGroups v5 named. */
export async function describeKafka4Groups(ctx: StageContext, cache: GroupCache): Promise<void> {
  const consumer: string[] = [];
  const share: string[] = [];
  const streams: string[] = [];
  for (const g of ctx.collected.groups.values()) {
    if (g.type === 'consumer') consumer.push(g.groupId);
    else if (g.type === 'share') share.push(g.groupId);
    else if (g.type === 'streams') streams.push(g.groupId);
  }
  const tasks: Promise<unknown>[] = [];
  if (consumer.length > 0) {
    tasks.push(
      describeOnCoordinators(ctx, cache, consumerGroupDescribe, consumer).then(({ unserved, elsewhere }) => {
        const classic = unserved.concat(elsewhere);
        return classic.length > 0 ? describeGroups(ctx, cache, classic) : undefined;
      }),
    );
  }
  if (share.length > 0) {
    tasks.push(
      describeOnCoordinators(ctx, cache, shareGroupDescribe, share).then((rest) =>
        notDescribed(ctx, rest, shareGroupDescribe),
      ),
      describeOnCoordinators(ctx, cache, describeShareGroupOffsets, share).then((rest) =>
        notDescribed(ctx, rest, describeShareGroupOffsets),
      ),
    );
  }
  if (streams.length > 0) {
    tasks.push(
      describeOnCoordinators(ctx, cache, streamsGroupDescribe, streams).then((rest) =>
        notDescribed(ctx, rest, streamsGroupDescribe),
      ),
    );
  }
  await Promise.all(tasks);
}

/**
 * A share or streams group its API did not describe: not served (a broker without the API, or with an
 * early-access version only), said once for the cluster and not an error; else gone since it was listed.
 */
function notDescribed<G extends { groupId: string; errorCode: number }>(
  ctx: StageContext,
  { unserved, elsewhere }: NotDescribed,
  api: GroupApi<G>,
): void {
  if (unserved.length > 0) noteUnserved(ctx.collected, api.unserved);
  for (const id of elsewhere) fail(ctx, id, `${api.name}: not described by its coordinator`);
}
