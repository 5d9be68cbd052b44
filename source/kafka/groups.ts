/**
 * Consumer groups: ListGroups on every broker (each lists the groups it coordinates, which also tells us
 * the coordinator without a FindCoordinator round), then DescribeGroups batched per coordinator; their
 * committed offsets are read by committed-offsets.ts, batched by the same coordinators. Groups whose
 * coordinator moved (NOT_COORDINATOR, ...) are looked up with FindCoordinator and retried once.
 */
import { AssignerProtocol } from 'kafkajs';
import type { GroupType, MemberSnapshot, TopicPartitions } from '../snapshot.js';
import { type AnswerMemo, createAnswerMemo } from './answer-memo.js';
import { type CollectedGroup, type GroupDescription, noteBrokerError } from './collected.js';
import type { StageContext } from './context.js';
import { listTypedGroups } from './group-listing.js';
import { errorMessage } from './text.js';
import {
  COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE,
  errorType,
  GROUP_ID_NOT_FOUND,
  NOT_COORDINATOR,
  sendRaw,
} from './wire.js';

/** Survives between refreshes: coordinators are stable, and a broker that stops answering ListGroups
 * should not make its groups vanish from the snapshot. */
export interface GroupCache {
  coordinators: Map<string, number>;
  /** Groups seen last refresh, with their listed protocol type and group type. */
  listed: Map<string, { protocolType: string; type: GroupType | null }>;
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

export const MOVED = new Set([NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS]);

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
          const listed = await listTypedGroups(
            ctx.connections.get(nodeId)!,
            answerMemo(cache, 'ListGroups', nodeId),
          );
          for (const { groupId, protocolType, type } of listed) {
            if (ctx.groupInScope && !ctx.groupInScope(groupId)) continue;
            collected.groups.set(groupId, newGroup(groupId, protocolType, type));
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
    for (const [groupId, { protocolType, type }] of cache.listed) {
      const coordinator = cache.coordinators.get(groupId);
      if (collected.groups.has(groupId)) continue;
      if (coordinator !== undefined && live.has(coordinator) && !failedBrokers.has(coordinator)) continue;
      collected.groups.set(groupId, newGroup(groupId, protocolType, type));
      cache.coordinators.delete(groupId);
    }
  }
  cache.listed = new Map();
  for (const g of collected.groups.values()) {
    cache.listed.set(g.groupId, { protocolType: g.listedProtocolType, type: g.type });
  }
}

function newGroup(groupId: string, listedProtocolType: string, type: GroupType | null): CollectedGroup {
  return {
    groupId,
    listedProtocolType,
    type,
    description: null,
    consumerProtocol: false,
    committed: null,
    shareOffsets: null,
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
export async function byCoordinator(
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

/**
 * DescribeGroups for the classic groups (and those of an untyped list); kafka4-groups.ts describes the
 * others, and hands back here the ones its APIs turn out not to describe.
 */
export async function describeGroups(
  ctx: StageContext,
  cache: GroupCache,
  groupIds: string[] = classicGroupIds(ctx),
): Promise<void> {
  let pending = groupIds;
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

function classicGroupIds(ctx: StageContext): string[] {
  const ids: string[] = [];
  for (const g of ctx.collected.groups.values())
    if (g.type === null || g.type === 'classic') ids.push(g.groupId);
  return ids;
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
    // Typed classic by a broker before ListGroups v5 (inferred): only ConsumerGroupDescribe sees it.
    group.type = 'consumer';
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

export function fail(ctx: StageContext, groupId: string, message: string): void {
  const cleaned = ctx.clean(message);
  const group = ctx.collected.groups.get(groupId);
  if (group && group.error === null) group.error = cleaned;
  ctx.collected.errors.push({ source: `group:${groupId}`, message: cleaned });
}
