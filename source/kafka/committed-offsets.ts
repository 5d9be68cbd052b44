/**
 * Committed offsets of the groups: OffsetFetch batched per coordinator (v8, many groups per request) where
 * the coordinator serves it, else one OffsetFetch v4 per group. The coordinators are the ones groups.ts
 * found; a group whose coordinator moved is looked up again and retried once.
 */
import { setOffset } from './collected.js';
import type { StageContext } from './context.js';
import { byCoordinator, fail, type GroupCache } from './groups.js';
import type { InternalBroker } from './kafkajs-internals.js';
import {
  type CommittedTopic,
  decodeOffsetFetchV8,
  encodeOffsetFetchV8,
  OFFSET_FETCH_API_KEY,
  OFFSET_FETCH_MULTI_GROUP_VERSION,
  type OffsetFetchV8Response,
} from './offset-fetch.js';
import { errorMessage } from './text.js';
import { errorType, maxVersion, sendEncoded, sendRaw } from './wire.js';

interface OffsetFetchResponse {
  errorCode?: number;
  responses: CommittedTopic[];
}

/**
 * Groups per OffsetFetch v8 request. The answer holds every committed partition of every group in it,
 * so a chunk bounds the response size (about 20 bytes per partition) and lets coordinators' chunks run
 * in parallel; at a few hundred groups per coordinator a refresh still sends one request per coordinator.
 */
export const GROUPS_PER_OFFSET_FETCH = 200;

/**
 * Committed offsets of every group, for all its topics (topics: null). Any failure is retried once with
 * a fresh FindCoordinator, as a moved or still-loading coordinator is the usual cause; a failure in the
 * second round is the group's error.
 */
export async function fetchCommittedOffsets(ctx: StageContext, cache: GroupCache): Promise<void> {
  // A share group commits nothing: its start offsets come from DescribeShareGroupOffsets (kafka4-groups.ts).
  let pending: string[] = [];
  for (const g of ctx.collected.groups.values()) if (g.type !== 'share') pending.push(g.groupId);
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const retry: string[] = [];
    const setback: Setback =
      round === 0 ? (groupId) => retry.push(groupId) : (groupId, message) => fail(ctx, groupId, message);
    const { groups, unknown } = await byCoordinator(ctx, cache, pending, round > 0);
    for (const { groupId, error } of unknown) setback(groupId, `OffsetFetch: ${errorMessage(error)}`);
    await Promise.all(
      [...groups].map(([nodeId, groupIds]) => fetchFromCoordinator(ctx, nodeId, groupIds, setback)),
    );
    pending = retry;
  }
}

/** What to do with a group whose offsets could not be read this round: retry it, or report it. */
type Setback = (groupId: string, message: string) => void;

async function fetchFromCoordinator(
  ctx: StageContext,
  nodeId: number,
  groupIds: string[],
  setback: Setback,
): Promise<void> {
  const broker = ctx.connections.get(nodeId);
  let version: number;
  try {
    if (!broker) throw new Error(`coordinator ${nodeId} not in cluster metadata`);
    version = await ctx.limit(() => maxVersion(broker, OFFSET_FETCH_API_KEY));
  } catch (error) {
    for (const groupId of groupIds) setback(groupId, `OffsetFetch: ${errorMessage(error)}`);
    return;
  }
  if (version >= OFFSET_FETCH_MULTI_GROUP_VERSION) {
    const chunks: string[][] = [];
    for (let i = 0; i < groupIds.length; i += GROUPS_PER_OFFSET_FETCH) {
      chunks.push(groupIds.slice(i, i + GROUPS_PER_OFFSET_FETCH));
    }
    await Promise.all(chunks.map((chunk) => ctx.limit(() => fetchManyGroups(ctx, broker, chunk, setback))));
  } else {
    // Brokers before Kafka 3.0: kafkajs's own encoder, one group per request.
    await Promise.all(
      groupIds.map((groupId) => ctx.limit(() => fetchOneGroup(ctx, broker, groupId, setback))),
    );
  }
}

/** OffsetFetch v8: one request for the chunk, an error code per group. */
async function fetchManyGroups(
  ctx: StageContext,
  broker: InternalBroker,
  groupIds: string[],
  setback: Setback,
): Promise<void> {
  let response: OffsetFetchV8Response;
  try {
    response = await sendEncoded(broker, {
      apiName: 'OffsetFetch',
      apiKey: OFFSET_FETCH_API_KEY,
      apiVersion: OFFSET_FETCH_MULTI_GROUP_VERSION,
      body: encodeOffsetFetchV8(groupIds),
      // Read by kafkajs's request queue to honour the broker's throttle (KIP-219), as for v4.
      decode: (payload) => {
        const decoded = decodeOffsetFetchV8(payload);
        return Object.assign(decoded, { clientSideThrottleTime: decoded.throttleTimeMs });
      },
    });
  } catch (error) {
    for (const groupId of groupIds) setback(groupId, `OffsetFetch: ${errorMessage(error)}`);
    return;
  }
  const asked = new Set(groupIds);
  for (const { groupId, errorCode, topics } of response.groups) {
    const group = ctx.collected.groups.get(groupId);
    if (!asked.delete(groupId) || !group) continue;
    if (errorCode !== 0) setback(groupId, `OffsetFetch: ${errorType(errorCode)}`);
    else group.committed = toCommitted(ctx, groupId, topics);
  }
  for (const groupId of asked) setback(groupId, 'OffsetFetch: the coordinator did not answer for this group');
}

/** OffsetFetch v4 (kafkajs's highest): one group. */
async function fetchOneGroup(
  ctx: StageContext,
  broker: InternalBroker,
  groupId: string,
  setback: Setback,
): Promise<void> {
  try {
    const response = await sendRaw<OffsetFetchResponse>(broker, 'OffsetFetch', { groupId, topics: [] });
    const code = response.errorCode ?? 0;
    if (code !== 0) setback(groupId, `OffsetFetch: ${errorType(code)}`);
    else {
      const group = ctx.collected.groups.get(groupId);
      if (group) group.committed = toCommitted(ctx, groupId, response.responses);
    }
  } catch (error) {
    setback(groupId, `OffsetFetch: ${errorMessage(error)}`);
  }
}

function toCommitted(
  ctx: StageContext,
  groupId: string,
  topics: CommittedTopic[],
): Map<string, Map<number, number>> {
  const committed = new Map<string, Map<number, number>>();
  const failed: string[] = [];
  for (const { topic, partitions } of topics) {
    for (const { partition, offset, errorCode } of partitions) {
      const value = Number(offset);
      if (errorCode !== 0) failed.push(`${topic}-${partition} ${errorType(errorCode)}`);
      // -1: no commit on this partition ("no commit", never lag 0).
      else if (value >= 0) setOffset(committed, topic, partition, value);
    }
  }
  if (failed.length > 0) fail(ctx, groupId, `OffsetFetch: ${failed.join(', ')}`);
  return committed;
}
