/**
 * Consumer groups: ListGroups on every broker (each lists the groups it coordinates, which also tells us
 * the coordinator without a FindCoordinator round), then DescribeGroups batched per coordinator and one
 * OffsetFetch per group for all its topics at once (OffsetFetch v4 takes a single group). Groups whose
 * coordinator moved (NOT_COORDINATOR, ...) are looked up with FindCoordinator and retried once.
 */
import { AssignerProtocol } from 'kafkajs';
import type { MemberSnapshot, TopicPartitions } from '../snapshot.js';
import { type CollectedGroup, type GroupDescription, noteBrokerError } from './collected.js';
import type { StageContext } from './context.js';
import {
  COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE,
  errorType,
  GROUP_ID_NOT_FOUND,
  NOT_COORDINATOR,
  sendRaw,
} from './internals.js';
import { errorMessage } from './text.js';

/** Survives between refreshes: coordinators are stable, and a broker that stops answering ListGroups
 * should not make its groups vanish from the snapshot. */
export interface GroupCache {
  coordinators: Map<string, number>;
  /** Groups seen last refresh, with their listed protocol type. */
  listed: Map<string, string>;
}

export function createGroupCache(): GroupCache {
  return { coordinators: new Map(), listed: new Map() };
}

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
  responses: Array<{
    topic: string;
    partitions: Array<{ partition: number; offset: string; errorCode: number }>;
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
          const response = await sendRaw<ListGroupsResponse>(ctx.connections.get(nodeId)!, 'ListGroups', {});
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
  cache.listed = new Map([...collected.groups.values()].map((g) => [g.groupId, g.listedProtocolType]));
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

/** The cached coordinator, or a fresh lookup when there is none or `refresh` is set. */
async function coordinatorOf(ctx: StageContext, cache: GroupCache, groupId: string, refresh: boolean) {
  const cached = cache.coordinators.get(groupId);
  if (!refresh && cached !== undefined && ctx.connections.get(cached)) return cached;
  return findCoordinator(ctx, cache, groupId);
}

export async function describeGroups(ctx: StageContext, cache: GroupCache): Promise<void> {
  let pending = [...ctx.collected.groups.keys()];
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const retry: string[] = [];
    const byCoordinator = new Map<number, string[]>();
    await Promise.all(
      pending.map(async (groupId) => {
        try {
          const nodeId = await coordinatorOf(ctx, cache, groupId, round > 0);
          byCoordinator.set(nodeId, [...(byCoordinator.get(nodeId) ?? []), groupId]);
        } catch (error) {
          fail(ctx, groupId, `DescribeGroups: ${errorMessage(error)}`);
        }
      }),
    );
    await Promise.all(
      [...byCoordinator].map(([nodeId, groupIds]) =>
        ctx.limit(async () => {
          try {
            const broker = ctx.connections.get(nodeId);
            if (!broker) throw new Error(`coordinator ${nodeId} not in cluster metadata`);
            const { groups } = await sendRaw<DescribeGroupsResponse>(broker, 'DescribeGroups', { groupIds });
            for (const raw of groups) {
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
  group.description = describe(raw);
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

/** Committed offsets of every group: one OffsetFetch per group for all its topics (topics: null). */
export async function fetchCommittedOffsets(ctx: StageContext, cache: GroupCache): Promise<void> {
  await Promise.all(
    [...ctx.collected.groups.values()].map(async (group) => {
      for (let round = 0; round < 2; round++) {
        try {
          const nodeId = await coordinatorOf(ctx, cache, group.groupId, round > 0);
          const broker = ctx.connections.get(nodeId);
          if (!broker) throw new Error(`coordinator ${nodeId} not in cluster metadata`);
          const response = await ctx.limit(() =>
            sendRaw<OffsetFetchResponse>(broker, 'OffsetFetch', { groupId: group.groupId, topics: [] }),
          );
          const code = response.errorCode ?? 0;
          if (code !== 0) {
            if (MOVED.has(code) && round === 0) continue;
            throw new Error(errorType(code));
          }
          group.committed = toCommitted(ctx, group.groupId, response);
          return;
        } catch (error) {
          if (round === 0) continue;
          fail(ctx, group.groupId, `OffsetFetch: ${errorMessage(error)}`);
        }
      }
    }),
  );
}

function toCommitted(
  ctx: StageContext,
  groupId: string,
  response: OffsetFetchResponse,
): Map<string, Map<number, number>> {
  const committed = new Map<string, Map<number, number>>();
  const failed: string[] = [];
  for (const { topic, partitions } of response.responses) {
    for (const { partition, offset, errorCode } of partitions) {
      if (errorCode !== 0) failed.push(`${topic}-${partition} ${errorType(errorCode)}`);
      // -1: no commit on this partition ("no commit", never lag 0).
      else if (Number(offset) >= 0) {
        const byPartition = committed.get(topic) ?? new Map<number, number>();
        byPartition.set(partition, Number(offset));
        committed.set(topic, byPartition);
      }
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
