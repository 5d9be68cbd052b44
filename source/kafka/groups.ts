/**
 * Consumer groups: ListGroups on every broker (each lists the groups it coordinates, which also tells us
 * the coordinator without a FindCoordinator round), then DescribeGroups batched per coordinator and
 * OffsetFetch batched per coordinator too (v8, many groups per request) where the coordinator serves it,
 * else one OffsetFetch v4 per group. Groups whose coordinator moved (NOT_COORDINATOR, ...) are looked up
 * with FindCoordinator and retried once.
 */
import { AssignerProtocol } from 'kafkajs';
import type { MemberSnapshot, TopicPartitions } from '../snapshot.js';
import { type AnswerMemo, createAnswerMemo } from './answer-memo.js';
import { type CollectedGroup, type GroupDescription, noteBrokerError, setOffset } from './collected.js';
import type { StageContext } from './context.js';
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
import {
  COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE,
  errorType,
  GROUP_ID_NOT_FOUND,
  maxVersion,
  NOT_COORDINATOR,
  sendEncoded,
  sendRaw,
} from './wire.js';

/** Survives between refreshes: coordinators are stable, and a broker that stops answering ListGroups
 * should not make its groups vanish from the snapshot. */
export interface GroupCache {
  coordinators: Map<string, number>;
  /** Groups seen last refresh, with their listed protocol type. */
  listed: Map<string, string>;
  /**
   * The last ListGroups and DescribeGroups answer of each broker: groups and their members rarely change
   * between refreshes, and an unchanged answer is not decoded again (answer-memo.ts).
   */
  answers: Map<string, AnswerMemo>;
}

export function createGroupCache(): GroupCache {
  return { coordinators: new Map(), listed: new Map(), answers: new Map() };
}

function answerMemo(cache: GroupCache, api: 'ListGroups' | 'DescribeGroups', nodeId: number): AnswerMemo {
  const key = `${api} ${nodeId}`;
  let memo = cache.answers.get(key);
  if (!memo) {
    memo = createAnswerMemo();
    cache.answers.set(key, memo);
  }
  return memo;
}

/**
 * Descriptions made from a decoded DescribeGroups group, which an unchanged answer hands back as the same
 * object: a stable group's members and assignments are not decoded again either. Shared between
 * refreshes and with the snapshots (assembleGroup), so nothing writes into a description.
 */
const descriptions = new WeakMap<DescribeGroupsResponse['groups'][number], GroupDescription>();

const MOVED = new Set([NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS]);

interface ListGroupsResponse {
  errorCode: number;
  groups: Array<{ groupId: string; protocolType: string }>;
}

interface RawMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  memberAssignment: Buffer | null;
}

interface DescribeGroupsResponse {
  groups: Array<{
    errorCode: number;
    groupId: string;
    state: string;
    protocolType: string;
    protocol: string;
    members: RawMember[];
  }>;
}

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

interface FindCoordinatorResponse {
  errorCode: number;
  coordinator: { nodeId: number };
}

/** Lists every group on every broker in metadata. */
export async function listGroups(ctx: StageContext, cache: GroupCache): Promise<void> {
  const { collected } = ctx;
  const failedBrokers = new Set<number>();
  await Promise.all(
    ctx.connections.nodeIds().map((nodeId) =>
      ctx.limit(async () => {
        try {
          const response = await sendRaw<ListGroupsResponse>(
            ctx.connections.get(nodeId)!,
            'ListGroups',
            {},
            answerMemo(cache, 'ListGroups', nodeId),
          );
          if (response.errorCode !== 0) throw new Error(errorType(response.errorCode));
          for (const { groupId, protocolType } of response.groups) {
            collected.groups.set(groupId, newGroup(groupId, protocolType));
            cache.coordinators.set(groupId, nodeId);
          }
        } catch (error) {
          failedBrokers.add(nodeId);
          noteBrokerError(collected, nodeId, ctx.clean(`ListGroups: ${errorMessage(error)}`));
        }
      }),
    ),
  );
  // While some broker cannot list its groups (down, or still loading groups it just took over), keep
  // the groups last listed by a broker that failed or left the cluster; their coordinator is looked up
  // again. Without a failure, a group missing from every list is gone (deleted), not hidden.
  if (failedBrokers.size > 0) {
    const live = new Set(ctx.connections.nodeIds());
    for (const [groupId, protocolType] of cache.listed) {
      const coordinator = cache.coordinators.get(groupId);
      if (collected.groups.has(groupId)) continue;
      if (coordinator !== undefined && live.has(coordinator) && !failedBrokers.has(coordinator)) continue;
      collected.groups.set(groupId, newGroup(groupId, protocolType));
      cache.coordinators.delete(groupId);
    }
  }
  cache.listed = new Map();
  for (const g of collected.groups.values()) cache.listed.set(g.groupId, g.listedProtocolType);
}

function newGroup(groupId: string, listedProtocolType: string): CollectedGroup {
  return {
    groupId,
    listedProtocolType,
    description: null,
    consumerProtocol: false,
    committed: null,
    error: null,
  };
}

async function findCoordinator(ctx: StageContext, cache: GroupCache, groupId: string): Promise<number> {
  const { result } = await ctx.limit(() =>
    ctx.connections.anyBroker((broker) =>
      sendRaw<FindCoordinatorResponse>(broker, 'GroupCoordinator', { groupId, coordinatorType: 0 }),
    ),
  );
  if (result.errorCode !== 0) throw new Error(`FindCoordinator: ${errorType(result.errorCode)}`);
  cache.coordinators.set(groupId, result.coordinator.nodeId);
  return result.coordinator.nodeId;
}

/** The cached coordinator while it is in the cluster metadata, else undefined. */
function cachedCoordinator(ctx: StageContext, cache: GroupCache, groupId: string): number | undefined {
  const cached = cache.coordinators.get(groupId);
  return cached !== undefined && ctx.connections.get(cached) ? cached : undefined;
}

function addGroup(groups: Map<number, string[]>, nodeId: number, groupId: string): void {
  const list = groups.get(nodeId);
  if (list) list.push(groupId);
  else groups.set(nodeId, [groupId]);
}

type CoordinatorFailure = { groupId: string; error: unknown };

async function lookUpCoordinator(
  ctx: StageContext,
  cache: GroupCache,
  groupId: string,
  groups: Map<number, string[]>,
  unknown: CoordinatorFailure[],
): Promise<void> {
  try {
    addGroup(groups, await findCoordinator(ctx, cache, groupId), groupId);
  } catch (error) {
    unknown.push({ groupId, error });
  }
}

/**
 * The given groups by coordinator (cached, or looked up when `refresh` is set or none is cached).
 * Groups whose coordinator cannot be found are returned with the error. Cached coordinators (every group,
 * most refreshes) are sorted without a promise or a closure per group (docs/performance.md, "Closures on
 * hot paths").
 */
async function byCoordinator(
  ctx: StageContext,
  cache: GroupCache,
  groupIds: string[],
  refresh: boolean,
): Promise<{ groups: Map<number, string[]>; unknown: CoordinatorFailure[] }> {
  const groups = new Map<number, string[]>();
  const unknown: CoordinatorFailure[] = [];
  const lookups: Promise<void>[] = [];
  for (const groupId of groupIds) {
    const cached = refresh ? undefined : cachedCoordinator(ctx, cache, groupId);
    if (cached !== undefined) addGroup(groups, cached, groupId);
    else lookups.push(lookUpCoordinator(ctx, cache, groupId, groups, unknown));
  }
  await Promise.all(lookups);
  return { groups, unknown };
}

export async function describeGroups(ctx: StageContext, cache: GroupCache): Promise<void> {
  let pending = [...ctx.collected.groups.keys()];
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const retry: string[] = [];
    const { groups, unknown } = await byCoordinator(ctx, cache, pending, round > 0);
    for (const { groupId, error } of unknown) fail(ctx, groupId, `DescribeGroups: ${errorMessage(error)}`);
    await Promise.all(
      [...groups].map(([nodeId, groupIds]) =>
        ctx.limit(async () => {
          try {
            const broker = ctx.connections.get(nodeId);
            if (!broker) throw new Error(`coordinator ${nodeId} not in cluster metadata`);
            const response = await sendRaw<DescribeGroupsResponse>(
              broker,
              'DescribeGroups',
              { groupIds },
              answerMemo(cache, 'DescribeGroups', nodeId),
            );
            for (const raw of response.groups) {
              const group = ctx.collected.groups.get(raw.groupId);
              if (!group) continue;
              if (MOVED.has(raw.errorCode) && round === 0) retry.push(raw.groupId);
              else applyDescription(ctx, group, raw);
            }
          } catch (error) {
            if (round === 0) retry.push(...groupIds);
            else for (const id of groupIds) fail(ctx, id, `DescribeGroups: ${errorMessage(error)}`);
            noteBrokerError(ctx.collected, nodeId, ctx.clean(`DescribeGroups: ${errorMessage(error)}`));
          }
        }),
      ),
    );
    pending = retry;
  }
}

function applyDescription(
  ctx: StageContext,
  group: CollectedGroup,
  raw: DescribeGroupsResponse['groups'][number],
): void {
  // KIP-848 groups (Kafka 4.x) are invisible to the classic DescribeGroups: it answers Dead (or
  // GROUP_ID_NOT_FOUND) with no members although ListGroups just listed them as consumer groups.
  const invisible =
    raw.errorCode === GROUP_ID_NOT_FOUND ||
    (raw.errorCode === 0 && raw.state === 'Dead' && raw.members.length === 0);
  if (invisible && group.listedProtocolType === 'consumer') {
    group.consumerProtocol = true;
    return;
  }
  if (raw.errorCode !== 0) {
    fail(ctx, group.groupId, `DescribeGroups: ${errorType(raw.errorCode)}`);
    return;
  }
  let description = descriptions.get(raw);
  if (!description) {
    description = describe(raw);
    descriptions.set(raw, description);
  }
  group.description = description;
}

export function describe(raw: DescribeGroupsResponse['groups'][number]): GroupDescription {
  return {
    state: raw.state,
    protocolType: raw.protocolType,
    protocol: raw.protocol,
    members: raw.members.map(
      (m): MemberSnapshot => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: raw.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : [],
      }),
    ),
  };
}

/** A member's assignment; empty while the group rebalances (empty buffer) or when it cannot be read. */
export function decodeAssignment(buffer: Buffer | null): TopicPartitions[] {
  if (!buffer || buffer.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    if (!decoded) return [];
    return Object.entries(decoded.assignment)
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  } catch {
    return [];
  }
}

/**
 * Committed offsets of every group, for all its topics (topics: null). Any failure is retried once with
 * a fresh FindCoordinator, as a moved or still-loading coordinator is the usual cause; a failure in the
 * second round is the group's error.
 */
export async function fetchCommittedOffsets(ctx: StageContext, cache: GroupCache): Promise<void> {
  let pending = [...ctx.collected.groups.keys()];
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

function fail(ctx: StageContext, groupId: string, message: string): void {
  const cleaned = ctx.clean(message);
  const group = ctx.collected.groups.get(groupId);
  if (group && group.error === null) group.error = cleaned;
  ctx.collected.errors.push({ source: `group:${groupId}`, message: cleaned });
}
